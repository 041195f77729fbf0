"""What time does to a notice: the case closed once the reconsideration period
is over (private copies discarded), the sender's personal data erased after the
retention period, and the daily reminder of notices left waiting."""

import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from photos import services as photo_services
from takedowns.models import Notice
from takedowns.services.emails import _email_context, _send, decider_emails
from takedowns.services.transitions import SYSTEM, Status, _check_state, _locked, _record


def close_case(*, notice: Notice, by: AbstractBaseUser | None = None) -> Notice:
    """End of the reconsideration period: the private copies are discarded."""
    with transaction.atomic():
        notice = _locked(notice)
        previous = _check_state(notice, [Status.DECIDED])
        if notice.closed_at:
            return notice
        for link in notice.notice_photos.select_related("photo"):
            if link.photo.private_copy:
                photo_services.discard_private_copy(photo=link.photo)
        notice.closed_at = timezone.now()
        _record(notice, by=by, action="close", previous=previous, who=SYSTEM)
    return notice


def anonymise(*, notice: Notice) -> Notice:
    """Erase the sender's personal data (and proof files); figures, dates, the
    decision and the audit trail remain."""
    with transaction.atomic():
        notice = _locked(notice)
        if notice.anonymised_at:
            return notice
        for item in notice.evidence.all():
            item.file.delete(save=False)
        notice.evidence.all().delete()
        notice.messages.update(text="")
        for field in (
            "name",
            "email",
            "organisation",
            "rights_holder",
            "urls",
            "original_work",
            "explanation",
            "requested_credit",
            "identity_check",
            "missing_information",
        ):
            setattr(notice, field, "")
        notice.tracking_token_hash = None
        notice.anonymised_at = timezone.now()
        _record(notice, by=None, action="anonymise", previous=notice.status, who=SYSTEM)
    return notice


def due_for_anonymisation(now: datetime.datetime | None = None):
    now = now or timezone.now()
    decided = now - datetime.timedelta(days=settings.TAKEDOWN_RETENTION_DAYS)
    unverified = now - datetime.timedelta(days=settings.TAKEDOWN_UNVERIFIED_RETENTION_DAYS)
    return Notice.objects.filter(anonymised_at__isnull=True).filter(
        Q(status=Status.DECIDED, decided_at__lt=decided)
        | Q(status=Status.UNVERIFIED, created_at__lt=unverified)
    )


def due_for_closing(now: datetime.datetime | None = None):
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.TAKEDOWN_RECONSIDERATION_DAYS)
    return Notice.objects.filter(
        status=Status.DECIDED, closed_at__isnull=True, decided_at__lt=limit
    )


def send_reminders(now: datetime.datetime | None = None) -> list[Notice]:
    """One email to the deciders listing the open notices older than
    TAKEDOWN_REMINDER_DAYS; returns them."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.TAKEDOWN_REMINDER_DAYS)
    late = list(Notice.objects.open().filter(received_at__lt=limit).order_by("received_at"))
    recipients = decider_emails()
    if late and recipients:
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "takedowns/email/reminder.txt",
                {"notices": late, "now": now, **_email_context()},
            )
            _send(
                _("Demandes d'ayants droit en attente : %(n)d") % {"n": len(late)},
                body,
                recipients,
            )
    return late
