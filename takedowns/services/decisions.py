"""The measures a decider takes on a notice, each with its statement of reasons:
hide at once (interim), withdraw, correct the credit, reject, close as
incomplete, maintain after a reconsideration, restore."""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from photos import services as photo_services
from photos.models import Photo
from takedowns.models import Notice, NoticePhoto
from takedowns.services.credits import credit_problems
from takedowns.services.emails import _announce
from takedowns.services.transitions import (
    Outcome,
    Reasons,
    Status,
    TransitionError,
    _check_state,
    _decide,
    _locked,
    _record,
    _require_decider,
    _require_identity,
    _set_reasons,
)


def hide_now(
    *,
    notice: Notice,
    by: AbstractBaseUser,
    reasons: Reasons,
    photos: Iterable[Photo] | None = None,
) -> Notice:
    """Interim measure: the photos leave every page at once while the notice is
    examined, and their files leave public storage (every URL they had answers
    404); reversible: the originals wait in private storage."""
    _require_decider(by)
    with transaction.atomic():
        notice = _locked(notice)
        previous = _check_state(notice, Notice.OPEN_STATUSES)
        links = _links(notice, photos)
        for link in links:
            if link.photo.status == Photo.Status.VISIBLE:
                photo_services.hide_photo(
                    photo=link.photo, by=by, reason=_("Demande n° %s") % notice.reference
                )
                link.hidden_by_notice = True
                link.save(update_fields=["hidden_by_notice"])
        notice.status = Status.UNDER_REVIEW
        notice.first_measure_at = notice.first_measure_at or timezone.now()
        _set_reasons(notice, reasons)
        _record(notice, by=by, action="hide", previous=previous, reasons=reasons)
    _announce(notice, reasons, photos=[link.photo for link in links], interim=True)
    return notice


def withdraw(
    *,
    notice: Notice,
    by: AbstractBaseUser,
    reasons: Reasons,
    photos: Iterable[Photo],
) -> Notice:
    """Withdraw the photos (those of the notice and the duplicates chosen among
    their likely duplicates) from every page and from public storage. A private
    copy of each original is kept until the case is closed."""
    _require_decider(by)
    with transaction.atomic():
        notice = _locked(notice)
        previous = _check_state(notice, [Status.NEW, Status.VERIFIED, Status.UNDER_REVIEW])
        _require_identity(notice)
        chosen = _with_duplicates(notice, photos)
        if not chosen:
            raise ValidationError({"photos": _("Choisissez au moins une photo à retirer.")})
        for photo in chosen:
            if photo.status != Photo.Status.WITHDRAWN:
                photo_services.withdraw_photo(
                    photo=photo,
                    by=by,
                    reason=_("Demande d'ayant droit n° %s") % notice.reference,
                    keep_private_copy=True,
                    case_reference=notice.reference,
                )
        _decide(notice, Outcome.WITHDRAWN, reasons)
        _record(notice, by=by, action="withdraw", previous=previous, reasons=reasons)
    _announce(notice, reasons, photos=chosen)
    return notice


def correct_credit(
    *,
    notice: Notice,
    by: AbstractBaseUser,
    reasons: Reasons,
    credit: str,
    photographer: str,
    agency: str = "",
    anonymous: bool = False,
    photos: Iterable[Photo] | None = None,
) -> Notice:
    """Correct (or add) the credit of the photos everywhere at once; photos
    hidden during the examination are shown again, with their new credit."""
    _require_decider(by)
    problems = credit_problems(
        credit=credit, photographer=photographer, agency=agency, anonymous=anonymous
    )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        notice = _locked(notice)
        previous = _check_state(notice, [Status.NEW, Status.VERIFIED, Status.UNDER_REVIEW])
        _require_identity(notice)
        links = _links(notice, photos)
        photo_services.update_credits(
            photos=[link.photo for link in links],
            credit=credit.strip(),
            photographer=photographer.strip(),
            agency=agency.strip() if agency else None,
        )
        _show_again(links, by)
        _decide(notice, Outcome.CREDIT_CORRECTED, reasons)
        _record(notice, by=by, action="correct_credit", previous=previous, reasons=reasons)
    _announce(notice, reasons, photos=[link.photo for link in links])
    return notice


def reject(*, notice: Notice, by: AbstractBaseUser, reasons: Reasons) -> Notice:
    """The notice is unfounded: photos hidden during the examination come back."""
    return _close_without_measure(notice, by, reasons, Outcome.REJECTED, "reject")


def close_incomplete(*, notice: Notice, by: AbstractBaseUser, reasons: Reasons) -> Notice:
    """The sender never supplied what was missing."""
    return _close_without_measure(notice, by, reasons, Outcome.INCOMPLETE, "close_incomplete")


def _close_without_measure(notice, by, reasons: Reasons, outcome: str, action: str) -> Notice:
    _require_decider(by)
    with transaction.atomic():
        notice = _locked(notice)
        allowed = Notice.OPEN_STATUSES if outcome == Outcome.REJECTED else [Status.INCOMPLETE]
        previous = _check_state(notice, allowed)
        links = list(notice.notice_photos.select_related("photo"))
        _show_again(links, by)
        _decide(notice, outcome, reasons)
        _record(notice, by=by, action=action, previous=previous, reasons=reasons)
    _announce(notice, reasons, photos=[link.photo for link in links])
    return notice


def maintain_decision(*, notice: Notice, by: AbstractBaseUser, reasons: Reasons) -> Notice:
    """After a reconsideration, keep the decision (and its outcome) as it was."""
    _require_decider(by)
    with transaction.atomic():
        notice = _locked(notice)
        previous = _check_state(notice, [Status.UNDER_REVIEW])
        if not notice.outcome:
            raise TransitionError(_("Aucune décision n'a encore été prise."))
        _decide(notice, notice.outcome, reasons)
        _record(notice, by=by, action="maintain", previous=previous, reasons=reasons)
    _announce(notice, reasons, photos=list(notice.photos.all()))
    return notice


def restore(
    *,
    notice: Notice,
    by: AbstractBaseUser,
    reasons: Reasons,
    photos: Iterable[Photo] | None = None,
) -> Notice:
    """Put back photos withdrawn by mistake, from their private copies: new
    public file names, renditions made again, visible at once."""
    _require_decider(by)
    with transaction.atomic():
        notice = _locked(notice)
        previous = _check_state(notice, [Status.DECIDED, Status.UNDER_REVIEW])
        if notice.closed_at:
            raise TransitionError(_("Le dossier est clos : les copies ont été effacées."))
        links = [
            link
            for link in _links(notice, photos)
            if link.photo.status == Photo.Status.WITHDRAWN and link.photo.private_copy
        ]
        if not links:
            raise ValidationError(
                {"photos": _("Aucune photo retirée de ce dossier ne peut être remise en ligne.")}
            )
        for link in links:
            photo_services.restore_photo(photo=link.photo, by=by)
        _decide(notice, Outcome.RESTORED, reasons)
        _record(notice, by=by, action="restore", previous=previous, reasons=reasons)
    _announce(notice, reasons, photos=[link.photo for link in links])
    return notice


def _links(notice: Notice, photos: Iterable[Photo] | None) -> list[NoticePhoto]:
    links = list(notice.notice_photos.select_related("photo"))
    if photos is not None:
        wanted = {photo.pk for photo in photos}
        links = [link for link in links if link.photo_id in wanted]
    return links


def _with_duplicates(notice: Notice, photos: Iterable[Photo]) -> list[Photo]:
    """The photos chosen, checked to be the notice's own or likely duplicates of
    them; duplicates are attached to the notice (so a restore finds them)."""
    own = {link.photo_id: link.photo for link in notice.notice_photos.select_related("photo")}
    allowed = dict(own)
    for photo in own.values():
        allowed.update({d.pk: d for d in photo.likely_duplicates()})
    chosen = []
    for photo in photos:
        if photo.pk not in allowed:
            raise ValidationError(
                {
                    "photos": _("La photo n° %(pk)s ne concerne pas cette demande.")
                    % {"pk": photo.pk}
                }
            )
        if photo.pk not in own:
            NoticePhoto.objects.get_or_create(
                notice=notice, photo=photo, defaults={"duplicate": True}
            )
        chosen.append(allowed[photo.pk])
    return chosen


def _show_again(links: list[NoticePhoto], by) -> None:
    for link in links:
        if link.hidden_by_notice and link.photo.status == Photo.Status.HIDDEN:
            photo_services.unhide_photo(photo=link.photo, by=by)
        if link.hidden_by_notice:
            link.hidden_by_notice = False
            link.save(update_fields=["hidden_by_notice"])
