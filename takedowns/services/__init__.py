"""Every state change of a rights holder's request, with its side effects on
photos and its emails. The public views, the admin and the management commands
all call these functions; each one runs in a transaction, locks the notice,
checks the state it starts from and writes exactly one audit row (``Event``).

Decisions (hide, withdraw, correct the credit, reject, restore…) require a
statement of reasons: the measure and its scope, the facts relied on and the
ground. It is emailed to the sender, with how to ask for reconsideration, and
to the volunteer authors of the articles showing the photos, without the
sender's personal data.

Emails are sent once the database work is done (after the transaction block),
through the ``send_email`` task enqueued on commit (``takedowns/tasks.py``).

The package follows a request's stages: ``intake`` (what the sender does),
``examination``, ``decisions``, ``retention`` (closing, anonymising, reminders),
``emails`` (and the tracking link), over ``transitions`` (what every state
change shares), ``credits`` and ``screening`` (checks on a new notice). Every
name is importable from here, as ``takedowns.services.<name>``."""

from takedowns.services.credits import credit_problems, is_placeholder_credit
from takedowns.services.decisions import (
    close_incomplete,
    correct_credit,
    hide_now,
    maintain_decision,
    reject,
    restore,
    withdraw,
)
from takedowns.services.emails import (
    TRACKING_SALT,
    author_emails,
    decider_emails,
    notice_for_token,
    tracking_token,
    tracking_url,
)
from takedowns.services.examination import mark_verified, record_identity_check, request_information
from takedowns.services.intake import (
    VERIFY_SALT,
    _sign,
    add_complement,
    confirm_notice,
    notice_from_signature,
    request_reconsideration,
    submit_notice,
)
from takedowns.services.retention import (
    anonymise,
    close_case,
    due_for_anonymisation,
    due_for_closing,
    send_reminders,
)
from takedowns.services.screening import email_matches_organisation, missing_information
from takedowns.services.transitions import (
    SENDER,
    SYSTEM,
    Outcome,
    Reasons,
    Status,
    TransitionError,
    can_decide,
)

__all__ = [
    "SENDER",
    "SYSTEM",
    "TRACKING_SALT",
    "VERIFY_SALT",
    "Outcome",
    "Reasons",
    "Status",
    "TransitionError",
    "_sign",
    "add_complement",
    "anonymise",
    "author_emails",
    "can_decide",
    "close_case",
    "close_incomplete",
    "confirm_notice",
    "correct_credit",
    "credit_problems",
    "decider_emails",
    "due_for_anonymisation",
    "due_for_closing",
    "email_matches_organisation",
    "hide_now",
    "is_placeholder_credit",
    "maintain_decision",
    "mark_verified",
    "missing_information",
    "notice_for_token",
    "notice_from_signature",
    "record_identity_check",
    "reject",
    "request_information",
    "request_reconsideration",
    "restore",
    "send_reminders",
    "submit_notice",
    "tracking_token",
    "tracking_url",
    "withdraw",
]
