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
through the ``send_email`` task enqueued on commit (``takedowns/tasks.py``)."""

import base64
import datetime
import hashlib
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Permission
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _
from unidecode import unidecode

from notifications import services as notification_settings
from photos import services as photo_services
from photos.models import Photo
from takedowns import tasks
from takedowns.models import (
    DECIDE_PERMISSION,
    Event,
    Evidence,
    Message,
    Notice,
    NoticePhoto,
    token_hash,
)

logger = logging.getLogger(__name__)
Status = Notice.Status
Outcome = Notice.Outcome
VERIFY_SALT = "takedowns.verify-email"
TRACKING_SALT = "takedowns.tracking-token"
SENDER = "sender"  # actor_name of events caused by the sender of the notice
SYSTEM = "system"  # ...and of those done by a scheduled command


class TransitionError(ValidationError):
    """An action that the notice's current state does not allow."""


@dataclass(frozen=True)
class Reasons:
    """A statement of reasons (DSA art. 17): every part is required."""

    measure: str  # the measure taken and its scope (which photos, where)
    facts: str  # the facts and circumstances relied on
    ground: str  # the ground: the rights invoked, the licence, the law

    def __post_init__(self):
        errors = {}
        for field, message in (
            ("measure", _("Décrivez la mesure prise et sa portée.")),
            ("facts", _("Indiquez les faits sur lesquels la décision s'appuie.")),
            ("ground", _("Indiquez le motif de la décision.")),
        ):
            if not (getattr(self, field) or "").strip():
                errors[field] = message
        if errors:
            raise ValidationError(errors)

    def as_text(self) -> str:
        return "\n".join(
            [
                _("Mesure et portée : %s") % self.measure.strip(),
                _("Faits retenus : %s") % self.facts.strip(),
                _("Motif : %s") % self.ground.strip(),
            ]
        )


# Credits -------------------------------------------------------------------------

_PLACEHOLDERS = {
    "dr",
    "droits reserves",
    "tous droits reserves",
    "all rights reserved",
    "rights reserved",
    "x",
    "xx",
    "anonyme",
    "inconnu",
    "auteur inconnu",
    "nc",
    "non communique",
    "nd",
    "photo",
    "copyright",
}


def _normalise(text: str) -> str:
    text = unidecode(text or "").lower().replace("©", " ").replace("(c)", " ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def is_placeholder_credit(text: str) -> bool:
    """ "DR", "Droits réservés", "X"…: words that name nobody."""
    return _normalise(text) in _PLACEHOLDERS or not _normalise(text)


def credit_problems(
    *, credit: str, photographer: str, agency: str = "", anonymous: bool = False
) -> dict[str, str]:
    """Why a credit may not be used, by field; empty if it may. A credit names the
    photographer, not only an agency or "DR", unless the photographer asked to
    stay anonymous or to be credited under a pseudonym."""
    errors = {}
    if is_placeholder_credit(credit):
        errors["credit"] = _("Indiquez le crédit exact à afficher sous la photo.")
        return errors
    if anonymous:
        return errors
    if not (photographer or "").strip() or is_placeholder_credit(photographer):
        errors["photographer"] = _(
            "Le crédit doit nommer le photographe, pas seulement une agence ou « DR » "
            "(sauf si l'auteur a demandé l'anonymat ou un pseudonyme : cochez alors la case)."
        )
    elif agency and _normalise(photographer) == _normalise(agency):
        errors["photographer"] = _(
            "Le nom du photographe est celui de l'agence : indiquez la personne qui a pris "
            "la photo."
        )
    elif _normalise(photographer) not in _normalise(credit):
        errors["credit"] = _("Le crédit doit contenir le nom du photographe (« %(name)s »).") % {
            "name": photographer.strip()
        }
    return errors


# Identity and routing ---------------------------------------------------------------

_FREE_MAIL = {
    "gmail.com",
    "googlemail.com",
    "yahoo.fr",
    "yahoo.com",
    "hotmail.fr",
    "hotmail.com",
    "outlook.fr",
    "outlook.com",
    "live.fr",
    "live.com",
    "msn.com",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "sfr.fr",
    "neuf.fr",
    "laposte.net",
    "icloud.com",
    "me.com",
    "gmx.fr",
    "gmx.com",
    "protonmail.com",
    "proton.me",
    "aol.com",
}
_GENERIC_WORDS = {
    "les",
    "des",
    "the",
    "and",
    "film",
    "films",
    "production",
    "productions",
    "studio",
    "studios",
    "presse",
    "press",
    "agence",
    "agency",
    "groupe",
    "group",
    "distribution",
    "media",
    "medias",
    "communication",
    "photo",
    "photos",
    "editions",
    "sas",
    "sarl",
    "inc",
    "ltd",
}


def email_matches_organisation(email: str, organisation: str) -> bool:
    """Whether an address looks like it belongs to the organisation: its domain
    (free webmail never does) contains the organisation's name or a distinctive
    word of it. A heuristic: a mismatch only asks for a human check."""
    domain = email.rsplit("@", 1)[-1].lower().strip()
    if not domain or domain in _FREE_MAIL:
        return False
    labels = domain.split(".")[:-1] or [domain]
    domain_compact = re.sub(r"[^a-z0-9]", "", "".join(labels))
    words = slugify(unidecode(organisation)).split("-")
    distinctive = [w for w in words if len(w) >= 3 and w not in _GENERIC_WORDS]
    compact = "".join(w for w in words if w)
    if compact and compact in domain_compact:
        return True
    main = re.sub(r"[^a-z0-9]", "", labels[-1])
    if len(main) >= 4 and main in compact:
        return True
    return any(len(w) >= 4 and w in domain_compact for w in distinctive)


def _is_site_author(email: str, photos: Iterable[Photo]) -> bool:
    """The sender is one of our volunteers (an author, or whoever uploaded one
    of the photos): withdrawing a licence they granted is for the
    editor-in-chief to settle, never decided automatically."""
    users = get_user_model().objects.filter(email__iexact=email)
    if users.filter(author_profile__isnull=False).exists():
        return True
    return any(p.uploaded_by_id and users.filter(pk=p.uploaded_by_id).exists() for p in photos)


def missing_information(notice: Notice) -> list[str]:
    """What a decision needs and the notice lacks, in French, one item each."""
    missing = []
    if not notice.notice_photos.exists():
        missing.append(
            _(
                "La photo concernée : nous n'avons trouvé aucune photo aux adresses indiquées. "
                "Indiquez son numéro (il figure dans le lien « Signaler cette photo » sous la "
                "photo) ou l'adresse exacte de la page où elle apparaît."
            )
        )
    if notice.kind == Notice.Kind.WITHDRAW and not notice.original_work.strip():
        missing.append(
            _(
                "L'œuvre originale : un lien vers la photo d'origine ou sa description "
                "(auteur, date, circonstances de la prise de vue)."
            )
        )
    if notice.acts_for_someone_else and not (notice.rights_holder or notice.organisation):
        missing.append(_("Le nom du titulaire des droits au nom duquel vous agissez."))
    return missing


# Submission and confirmation -----------------------------------------------------------


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


def tracking_token(notice: Notice) -> str:
    """The private tracking token of a confirmed notice: a keyed hash (SECRET_KEY)
    of its number and reception time, 32 bytes like a random token, so that later
    emails (decision, missing information) can repeat the link while only its
    hash is stored."""
    # In microseconds: the same whatever time zone object the database gives back.
    message = f"{notice.pk}:{round(notice.received_at.timestamp() * 1_000_000)}"
    digest = salted_hmac(TRACKING_SALT, message, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def tracking_url(notice: Notice) -> str | None:
    """The sender's tracking link, or None when it cannot be rebuilt (a token drawn
    at random before tokens were derived, a changed SECRET_KEY, an anonymised
    notice): the emails then point to the acknowledgement's link."""
    if notice.received_at is None or not notice.tracking_token_hash:
        return None
    token = tracking_token(notice)
    if token_hash(token) != notice.tracking_token_hash:
        return None
    return _absolute(reverse("takedowns:tracking", args=[token]))


def notice_for_token(token: str) -> Notice | None:
    if not token or len(token) > 100:
        return None
    return Notice.objects.filter(tracking_token_hash=token_hash(token)).first()


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


# Examination -------------------------------------------------------------------------


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


# Helpers -------------------------------------------------------------------------------


def can_decide(user) -> bool:
    return bool(user and user.is_active and user.has_perm(DECIDE_PERMISSION))


def _require_decider(user) -> None:
    if not can_decide(user):
        raise PermissionDenied


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().get(pk=notice.pk)


def _check_state(notice: Notice, allowed) -> str:
    if notice.status not in allowed:
        raise TransitionError(
            _("Impossible : la demande est « %(status)s ».")
            % {"status": notice.get_status_display()}
        )
    return notice.status


def _require_identity(notice: Notice) -> None:
    if notice.identity_check_needed and not notice.identity_checked_at:
        raise TransitionError(
            _(
                "L'adresse de l'expéditeur ne correspond pas à l'organisation indiquée : "
                "enregistrez d'abord la vérification de son identité."
            )
        )


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


def _set_reasons(notice: Notice, reasons: Reasons) -> None:
    notice.decision_measure = reasons.measure.strip()
    notice.decision_facts = reasons.facts.strip()
    notice.decision_ground = reasons.ground.strip()


def _decide(notice: Notice, outcome: str, reasons: Reasons) -> None:
    now = timezone.now()
    notice.status = Status.DECIDED
    notice.outcome = outcome
    notice.decided_at = now
    notice.first_measure_at = notice.first_measure_at or now
    _set_reasons(notice, reasons)


def _record(
    notice: Notice,
    *,
    by,
    action: str,
    previous: str,
    reasons: Reasons | None = None,
    note: str = "",
    who: str = SENDER,
) -> Event:
    notice.save()
    actor = by if by is not None and getattr(by, "pk", None) else None
    return Event.objects.create(
        notice=notice,
        actor=actor,
        actor_name=actor.get_username() if actor else who,
        action=action,
        from_status=previous,
        to_status=notice.status,
        reasons=reasons.as_text() if reasons else note.strip(),
    )


def _absolute(path: str) -> str:
    # The request's address in development (an email sent from a form links to
    # the server that sent it), SITE_URL in production and in commands.
    from config.site_url import site_url

    return site_url() + path


def _email_context() -> dict:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "EDITOR_IN_CHIEF": settings.EDITOR_IN_CHIEF,
        "RECONSIDERATION_DAYS": settings.TAKEDOWN_RECONSIDERATION_DAYS,
    }


def _send(subject: str, body: str, recipients: Iterable[str]) -> None:
    """Every email of this app leaves through the ``send_email`` task, enqueued
    once the current transaction commits (at once outside one): a rolled-back
    decision sends nothing, and a slow mail server never holds a request or a
    lock. With a worker backend (``TASKS_BACKEND``), the worker sends it."""
    subject, body, recipients = str(subject), str(body), list(recipients)
    transaction.on_commit(
        lambda: tasks.send_email.enqueue(subject=subject, body=body, recipients=recipients)
    )


def _send_to_sender(notice: Notice, *, subject: str, template: str, context: dict) -> None:
    if not notice.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {"notice": notice, **_email_context(), **context})
    _send(subject, body, [notice.email])


def decider_emails() -> list[str]:
    """Active users allowed to decide (the "Rédacteur en chef" group), unless
    they turned these emails off ("Mes notifications", ``notifications`` app)."""
    app_label, codename = DECIDE_PERMISSION.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(
        Q(groups__permissions=permission) | Q(user_permissions=permission) | Q(is_superuser=True)
    )
    users = notification_settings.opted_in(users, "rights_requests")
    return sorted({user.email for user in users})


def _notify_deciders(notice: Notice, *, subject: str, template: str) -> None:
    recipients = decider_emails()
    if not recipients:
        logger.warning("Notice %s: no decider to notify (none, or none wants it)", notice.pk)
        return
    with translation.override(settings.LANGUAGE_CODE):
        admin_url = _absolute(reverse("admin:takedowns_notice_change", args=[notice.pk]))
        body = render_to_string(
            template, {"notice": notice, "admin_url": admin_url, **_email_context()}
        )
    _send(subject, body, recipients)


def author_emails(photos: Iterable[Photo]) -> list[str]:
    """Emails of the volunteer authors of every article showing these photos."""
    emails = set()
    for photo in photos:
        for article in photo.where_used().prefetch_related("authors__user"):
            for author in article.authors.all():
                if author.user and author.user.is_active and author.user.email:
                    emails.add(author.user.email)
    return sorted(emails)


def _announce(notice: Notice, reasons: Reasons, *, photos: list[Photo], interim=False) -> None:
    """The statement of reasons, to the sender and to the authors concerned
    (the latter without anything about the sender)."""
    context = {"reasons": reasons, "interim": interim, "photos": photos}
    _send_to_sender(
        notice,
        subject=_("Demande n° %(ref)s : %(what)s")
        % {
            "ref": notice.reference,
            "what": _("mesure provisoire") if interim else _("décision"),
        },
        template="takedowns/email/decision.txt",
        context={**context, "tracking_url": tracking_url(notice)},
    )
    recipients = author_emails(photos)
    if recipients:
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "takedowns/email/authors.txt",
                {"notice_reference": notice.reference, **_email_context(), **context},
            )
        _send(
            _("Une photo de vos articles : dossier n° %(ref)s") % {"ref": notice.reference},
            body,
            recipients,
        )
