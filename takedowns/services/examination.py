"""The examination of a notice before any measure: how the sender's identity was
checked, the notice marked complete, or the sender asked for what is missing."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from takedowns.models import Notice
from takedowns.services.emails import _send_to_sender, tracking_url
from takedowns.services.transitions import (
    Status,
    _check_state,
    _locked,
    _record,
    _require_decider,
    _require_identity,
)


def record_identity_check(*, notice: Notice, by: AbstractBaseUser, check: str) -> Notice:
    """Record how the sender's authority to act for the organisation was checked."""
    _require_decider(by)
    if not check.strip():
        raise ValidationError({"check": _("Décrivez la vérification faite.")})
    with transaction.atomic():
        notice = _locked(notice)
        _check_state(notice, Notice.OPEN_STATUSES)
        notice.identity_check = check.strip()
        notice.identity_checked_at = timezone.now()
        _record(notice, by=by, action="identity_check", previous=notice.status, note=check)
    return notice


def mark_verified(*, notice: Notice, by: AbstractBaseUser, note: str = "") -> Notice:
    """The notice holds what a decision needs (and the identity was checked if
    it had to be)."""
    _require_decider(by)
    with transaction.atomic():
        notice = _locked(notice)
        previous = _check_state(notice, [Status.NEW, Status.INCOMPLETE])
        _require_identity(notice)
        notice.status = Status.VERIFIED
        notice.missing_information = ""
        _record(notice, by=by, action="verify", previous=previous, note=note)
    return notice


def request_information(*, notice: Notice, by: AbstractBaseUser, missing: str) -> Notice:
    """Ask the sender for exactly what is missing."""
    _require_decider(by)
    if not missing.strip():
        raise ValidationError({"missing": _("Indiquez précisément ce qui manque.")})
    with transaction.atomic():
        notice = _locked(notice)
        previous = _check_state(notice, [Status.NEW, Status.VERIFIED, Status.UNDER_REVIEW])
        notice.status = Status.INCOMPLETE
        notice.missing_information = missing.strip()
        _record(notice, by=by, action="request_information", previous=previous, note=missing)
    _send_to_sender(
        notice,
        subject=_("Demande n° %(ref)s : informations manquantes") % {"ref": notice.reference},
        template="takedowns/email/incomplete.txt",
        context={
            "missing": notice.missing_information.splitlines(),
            "tracking_url": tracking_url(notice),
        },
    )
    return notice
