"""Rights holders' requests about photos ("notices"), modelled on the notice of
the EU Digital Services Act (art. 16), the statement of reasons (art. 17) and an
audit trail of every state change. State changes go through takedowns.services."""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from photos.models import PrivateStorage

DECIDE_PERMISSION = "takedowns.decide_notice"


def evidence_storage() -> PrivateStorage:
    """Claimants' proof files: private, never under MEDIA_ROOT, never served."""
    return PrivateStorage("TAKEDOWN_PRIVATE_ROOT")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class NoticeQuerySet(models.QuerySet):
    def in_queue(self):
        """What the editor-in-chief sees: every notice whose sender confirmed
        their email address (unconfirmed ones may be anyone's typing)."""
        return self.exclude(status=Notice.Status.UNVERIFIED)

    def open(self):
        return self.filter(status__in=Notice.OPEN_STATUSES)


class Notice(models.Model):
    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("adresse non confirmée")
        NEW = "new", _("reçue")
        VERIFIED = "verified", _("vérifiée")
        INCOMPLETE = "incomplete", _("incomplète")
        UNDER_REVIEW = "under_review", _("en cours d'examen")
        DECIDED = "decided", _("décidée")

    class Capacity(models.TextChoices):
        PHOTOGRAPHER = "photographer", _("photographe")
        AGENCY = "agency", _("agence")
        DISTRIBUTOR = "distributor", _("distributeur")
        PRESS_OFFICER = "press_officer", _("attaché(e) de presse")
        ARTIST = "artist", _("artiste")
        HEIR = "heir", _("ayant droit (héritier)")
        OTHER = "other", _("autre")

    class Kind(models.TextChoices):
        WITHDRAW = "withdraw", _("retirer la photo")
        CORRECT_CREDIT = "correct_credit", _("corriger le crédit")
        ADD_CREDIT = "add_credit", _("ajouter un crédit manquant")
        OTHER = "other", _("autre demande")

    class Outcome(models.TextChoices):
        NONE = "", _("aucune")
        WITHDRAWN = "withdrawn", _("photo retirée")
        CREDIT_CORRECTED = "credit_corrected", _("crédit corrigé")
        REJECTED = "rejected", _("rejetée")
        INCOMPLETE = "incomplete", _("classée faute d'informations")
        RESTORED = "restored", _("photo remise en ligne après réexamen")

    OPEN_STATUSES = ["new", "verified", "incomplete", "under_review"]
    # Capacities in which the sender holds the rights themselves.
    OWN_RIGHTS = ["photographer", "artist"]
    CREDIT_KINDS = ["correct_credit", "add_credit"]

    reference = models.CharField(_("référence"), max_length=20, unique=True, null=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.UNVERIFIED
    )
    outcome = models.CharField(
        _("suite donnée"), max_length=20, choices=Outcome.choices, default="", blank=True
    )

    # The sender (personal data: anonymised TAKEDOWN_RETENTION_DAYS after the decision).
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("adresse électronique"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    capacity = models.CharField(_("qualité"), max_length=16, choices=Capacity.choices)
    rights_holder = models.CharField(_("titulaire des droits"), max_length=200, blank=True)

    # What the notice is about.
    photos = models.ManyToManyField(
        "photos.Photo", through="NoticePhoto", related_name="notices", blank=True
    )
    urls = models.TextField(_("adresses indiquées"), blank=True)
    original_work = models.TextField(_("œuvre originale"), blank=True)
    kind = models.CharField(_("demande"), max_length=16, choices=Kind.choices)
    explanation = models.TextField(_("explication"))
    requested_credit = models.CharField(_("crédit demandé"), max_length=300, blank=True)
    good_faith = models.BooleanField(_("déclaration d'exactitude et de bonne foi"), default=False)

    # Checks and flags shown in the queue.
    identity_check_needed = models.BooleanField(_("identité à vérifier"), default=False)
    identity_checked_at = models.DateTimeField(_("identité vérifiée le"), null=True, blank=True)
    identity_check = models.TextField(_("vérification faite"), blank=True)
    author_revocation = models.BooleanField(
        _("un auteur du site retire une autorisation"), default=False
    )
    missing_information = models.TextField(_("informations manquantes"), blank=True)

    # The latest statement of reasons, as sent to the sender.
    decision_measure = models.TextField(_("mesure et portée"), blank=True)
    decision_facts = models.TextField(_("faits retenus"), blank=True)
    decision_ground = models.TextField(_("motif"), blank=True)

    tracking_token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    received_at = models.DateTimeField(_("reçue le"), null=True, blank=True)
    first_measure_at = models.DateTimeField(_("première mesure le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("dossier clos le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'ayant droit")
        verbose_name_plural = _("demandes d'ayants droit")
        ordering = ["-received_at", "-created_at"]
        permissions = [
            ("decide_notice", _("Peut examiner les demandes des ayants droit et y donner suite"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "unverified",
                        "new",
                        "verified",
                        "incomplete",
                        "under_review",
                        "decided",
                    ]
                ),
                name="notice_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self):
        return self.reference or _("demande non confirmée n° %(pk)s") % {"pk": self.pk}

    @property
    def acts_for_someone_else(self) -> bool:
        return self.capacity not in self.OWN_RIGHTS

    def interim_deadline(self) -> datetime.datetime | None:
        """End of the day (site time zone) the notice arrived, plus the setting."""
        if self.received_at is None:
            return None
        day = timezone.localtime(self.received_at, timezone.get_default_timezone()).date()
        day += datetime.timedelta(days=settings.TAKEDOWN_INTERIM_DEADLINE_DAYS + 1)
        return datetime.datetime.combine(
            day, datetime.time.min, tzinfo=timezone.get_default_timezone()
        )

    def decision_deadline(self) -> datetime.datetime | None:
        if self.received_at is None:
            return None
        return self.received_at + datetime.timedelta(days=settings.TAKEDOWN_DECISION_DEADLINE_DAYS)

    def overdue(self, now: datetime.datetime | None = None) -> list[str]:
        """Which targets are missed, in French; empty when none is."""
        now = now or timezone.now()
        if self.status not in self.OPEN_STATUSES or self.received_at is None:
            return []
        late = []
        awaiting_measure = self.first_measure_at is None and self.status != self.Status.INCOMPLETE
        if awaiting_measure and now >= self.interim_deadline():
            late.append(str(_("mesure provisoire en retard")))
        if now >= self.decision_deadline():
            late.append(str(_("décision en retard")))
        return late

    def reconsideration_open(self, now: datetime.datetime | None = None) -> bool:
        if self.status != self.Status.DECIDED or self.decided_at is None or self.closed_at:
            return False
        limit = self.decided_at + datetime.timedelta(days=settings.TAKEDOWN_RECONSIDERATION_DAYS)
        return (now or timezone.now()) < limit


class NoticePhoto(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="notice_photos")
    photo = models.ForeignKey("photos.Photo", on_delete=models.PROTECT, related_name="notice_links")
    # Added by the editor-in-chief (a likely duplicate withdrawn with the others).
    duplicate = models.BooleanField(_("doublon"), default=False)
    hidden_by_notice = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("photo concernée")
        verbose_name_plural = _("photos concernées")
        constraints = [
            models.UniqueConstraint(fields=["notice", "photo"], name="unique_notice_photo")
        ]

    def __str__(self):
        return f"{self.notice} — {self.photo_id}"


class Evidence(models.Model):
    """A proof file (licence, contract): private storage, unguessable name,
    downloaded only through a permission-checked view."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=evidence_storage, upload_to="evidence/", max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("taille"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class Message(models.Model):
    """What the sender adds later from the tracking page: missing information or
    a request for reconsideration."""

    class Kind(models.TextChoices):
        COMPLEMENT = "complement", _("complément d'information")
        RECONSIDERATION = "reconsideration", _("demande de réexamen")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message de l'auteur de la demande")
        verbose_name_plural = _("messages de l'auteur de la demande")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.notice} — {self.get_kind_display()}"


class ImmutableError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class Event(models.Model):
    """One state change of a notice: who, when, from, to, why. Written once by
    takedowns.services, never changed or deleted (not even by purges: it holds
    no personal data of the sender)."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("par"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("de"), max_length=12, choices=Notice.Status.choices)
    to_status = models.CharField(_("vers"), max_length=12, choices=Notice.Status.choices)
    at = models.DateTimeField(_("le"), default=timezone.now)
    reasons = models.TextField(_("motifs"), blank=True)

    class Meta:
        verbose_name = _("étape du dossier")
        verbose_name_plural = _("journal des dossiers")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.notice} : {self.from_status or '—'} → {self.to_status} ({self.action})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableError(_("Le journal d'un dossier ne se modifie pas."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError(_("Le journal d'un dossier ne se supprime pas."))
