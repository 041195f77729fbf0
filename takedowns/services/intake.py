"""What the sender does: send a notice, confirm their address through the
signed link, supply what was missing, ask for a reconsideration."""

import datetime
import hashlib
import re
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from photos.models import Photo
from takedowns.models import Evidence, Message, Notice, NoticePhoto, token_hash
from takedowns.services.emails import _absolute, _notify_deciders, _send_to_sender, tracking_token
from takedowns.services.screening import (
    _is_site_author,
    email_matches_organisation,
    missing_information,
)
from takedowns.services.transitions import Status, TransitionError, _locked, _record

VERIFY_SALT = "takedowns.verify-email"


def submit_notice(
    *,
    name: str,
    email: str,
    capacity: str,
    kind: str,
    explanation: str,
    good_faith: bool,
    photos: Iterable[Photo] = (),
    urls: Iterable[str] = (),
    organisation: str = "",
    rights_holder: str = "",
    original_work: str = "",
    requested_credit: str = "",
    evidence: Iterable[tuple[UploadedFile, str, str]] = (),
) -> Notice:
    """Record a notice as "unverified" and email its sender a signed link to
    confirm their address. ``evidence`` holds (file, content type, sha256) of
    proof files already checked by the form."""
    if not good_faith:
        raise ValidationError(_("La déclaration de bonne foi est obligatoire."))
    photos = list(dict.fromkeys(photos))
    stored = []
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                name=name.strip(),
                email=email.strip().lower(),
                organisation=organisation.strip(),
                capacity=capacity,
                rights_holder=rights_holder.strip(),
                urls="\n".join(urls),
                original_work=original_work.strip(),
                kind=kind,
                explanation=explanation.strip(),
                requested_credit=requested_credit.strip(),
                good_faith=True,
            )
            NoticePhoto.objects.bulk_create(
                [NoticePhoto(notice=notice, photo=photo) for photo in photos]
            )
            for upload, content_type, digest in evidence:
                item = Evidence(
                    notice=notice,
                    original_name=_safe_filename(upload.name),
                    content_type=content_type,
                    size=upload.size,
                    sha256=digest,
                )
                extension = {"application/pdf": "pdf", "image/png": "png"}.get(content_type, "jpg")
                upload.seek(0)
                item.file.save(f"{secrets.token_urlsafe(24)}.{extension}", upload, save=False)
                stored.append(item.file.name)
                item.save()
            _record(notice, by=None, action="submit", previous="")
    except BaseException:
        storage = Evidence._meta.get_field("file").storage
        for name_ in stored:
            storage.delete(name_)
        raise
    _send_to_sender(
        notice,
        subject=_("Confirmez votre demande concernant une photo"),
        template="takedowns/email/verify.txt",
        context={"confirm_url": _absolute(reverse("takedowns:confirm", args=[_sign(notice)]))},
    )
    return notice


def _safe_filename(name: str) -> str:
    base = (name or "fichier").replace("\\", "/").rsplit("/", 1)[-1]
    return re.sub(r"[^\w.\- ]", "_", base)[:200] or "fichier"


def _sign(notice: Notice) -> str:
    return signing.dumps({"n": notice.pk, "e": _email_digest(notice.email)}, salt=VERIFY_SALT)


def _email_digest(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def notice_from_signature(signature: str) -> Notice | None:
    """The notice a confirmation link is for, or None if the link is forged or expired."""
    max_age = datetime.timedelta(days=settings.TAKEDOWN_VERIFY_MAX_AGE_DAYS)
    try:
        data = signing.loads(signature, salt=VERIFY_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    notice = Notice.objects.filter(pk=data.get("n")).first()
    if notice is None or _email_digest(notice.email) != data.get("e"):
        return None
    return notice


def confirm_notice(*, notice: Notice) -> str | None:
    """The sender confirmed their address: the notice gets its reference and
    enters the queue ("reçue", or "incomplète" if a decision needs more). Returns
    the private tracking token (only its hash is stored), or None if the notice
    was already confirmed."""
    with transaction.atomic():
        notice = _locked(notice)
        if notice.status != Status.UNVERIFIED or notice.anonymised_at:
            return None
        now = timezone.now()
        notice.reference = f"{timezone.localtime(now).year}-{notice.pk:06d}"
        notice.received_at = now
        token = tracking_token(notice)
        notice.tracking_token_hash = token_hash(token)
        photos = [link.photo for link in notice.notice_photos.select_related("photo")]
        notice.identity_check_needed = bool(notice.organisation) and not (
            email_matches_organisation(notice.email, notice.organisation)
        )
        notice.author_revocation = _is_site_author(notice.email, photos)
        missing = missing_information(notice)
        notice.missing_information = "\n".join(missing)
        notice.status = Status.INCOMPLETE if missing else Status.NEW
        _record(notice, by=None, action="confirm", previous=Status.UNVERIFIED)
    tracking_url = _absolute(reverse("takedowns:tracking", args=[token]))
    _send_to_sender(
        notice,
        subject=_("Demande n° %(ref)s : accusé de réception") % {"ref": notice.reference},
        template="takedowns/email/acknowledgement.txt",
        context={"tracking_url": tracking_url, "missing": missing},
    )
    _notify_deciders(
        notice,
        subject=(
            _("Nouvelle demande d'ayant droit n° %(ref)s")
            if not notice.author_revocation
            else _("Un auteur du site retire une autorisation : demande n° %(ref)s")
        )
        % {"ref": notice.reference},
        template="takedowns/email/new_notice.txt",
    )
    return token


def add_complement(*, notice: Notice, text: str) -> Notice:
    """The sender supplies what was missing (from their tracking page)."""
    with transaction.atomic():
        notice = _locked(notice)
        if notice.status != Status.INCOMPLETE:
            raise TransitionError(_("Cette demande n'attend pas de complément."))
        Message.objects.create(notice=notice, kind=Message.Kind.COMPLEMENT, text=text.strip())
        notice.status = Status.NEW
        _record(notice, by=None, action="complement", previous=Status.INCOMPLETE)
    _notify_deciders(
        notice,
        subject=_("Demande n° %(ref)s : complément reçu") % {"ref": notice.reference},
        template="takedowns/email/new_notice.txt",
    )
    return notice


def request_reconsideration(*, notice: Notice, text: str) -> Notice:
    """The sender contests the decision within the reconsideration period."""
    with transaction.atomic():
        notice = _locked(notice)
        if not notice.reconsideration_open():
            raise TransitionError(_("Le délai pour demander un réexamen est écoulé."))
        Message.objects.create(notice=notice, kind=Message.Kind.RECONSIDERATION, text=text.strip())
        notice.status = Status.UNDER_REVIEW
        _record(notice, by=None, action="reconsideration", previous=Status.DECIDED)
    _notify_deciders(
        notice,
        subject=_("Demande n° %(ref)s : demande de réexamen") % {"ref": notice.reference},
        template="takedowns/email/new_notice.txt",
    )
    return notice
