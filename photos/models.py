import datetime
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

from photos import imaging


def site_today() -> datetime.date:
    """Today in the site's time zone: licences end at midnight in Paris,
    whatever time zone a request or a cron job happens to run in."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def original_path(instance, filename: str) -> str:
    """Unguessable, and unrelated to the name the file had on someone's computer."""
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    return imaging.random_name("photos", extension if extension in ("jpg", "jpeg") else "jpg")


def rendition_path(instance, filename: str) -> str:
    return imaging.random_name("photos/r", instance.format.replace("jpeg", "jpg"))


class PrivateStorage(FileSystemStorage):
    """Files that must never be served: a folder named by a setting (read at each
    use, so tests can move it), outside MEDIA_ROOT, and no URL at all."""

    def __init__(self, setting: str):
        self.setting = setting
        super().__init__()

    @property
    def base_location(self):
        return getattr(settings, self.setting)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Files in private storage have no public URL.")


def private_storage() -> PrivateStorage:
    """Where the originals of withdrawn photos are kept while a case stays open,
    and those of hidden photos while they are hidden."""
    return PrivateStorage("PHOTO_PRIVATE_ROOT")


def credit_slug(name: str) -> str:
    return slugify(unidecode(name or ""))[:120].strip("-")


class PhotoQuerySet(models.QuerySet):
    def visible(self):
        """The one place that decides which photos readers may see
        (``Photo.is_visible`` says the same for a single photo)."""
        return self.filter(
            models.Q(licence_end__isnull=True) | models.Q(licence_end__gte=site_today()),
            status=Photo.Status.VISIBLE,
        ).exclude(credit="")

    def licence_expired(self):
        return self.filter(licence_end__lt=site_today())

    def in_published_articles(self):
        """Photos that a published article shows (as lead, in its gallery or in its
        text): the only ones public listings (credits pages, the photo search API)
        may name, so that a photo uploaded ahead of an embargoed article stays
        unknown until the article is out. Articles are reached through the reverse
        relations, as in ``Photo.where_used``: photos never import articles."""
        relations = (self.model.lead_of, self.model.galleries, self.model.body_of)
        published = self.model.lead_of.field.model.objects.published()
        shown = models.Q()
        for relation in relations:
            photos = published.filter(**{f"{relation.field.name}__isnull": False})
            shown |= models.Q(pk__in=photos.values(relation.field.name))
        return self.filter(shown)

    def credited_to(self, slug: str):
        return self.filter(models.Q(photographer_slug=slug) | models.Q(agency_slug=slug))

    def similar_to(self, phash: str, max_distance: int) -> list[tuple[int, "Photo"]]:
        """(distance, photo) for photos whose perceptual hash is within
        ``max_distance`` bits, closest first. Hamming distance is computed here
        rather than in SQL so that SQLite and PostgreSQL behave alike; 64-bit
        hashes of even 100,000 photos compare in a fraction of a second."""
        if not phash:
            return []
        close = {
            pk: distance
            for pk, other in self.exclude(phash="").values_list("pk", "phash")
            if (distance := imaging.hamming(phash, other)) <= max_distance
        }
        photos = self.model.objects.in_bulk(list(close))
        return sorted(((close[pk], photo) for pk, photo in photos.items()), key=lambda p: p[0])


class Photo(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("visible")
        HIDDEN = "hidden", _("masquée")
        WITHDRAWN = "withdrawn", _("retirée")

    class Source(models.TextChoices):
        PRESS_KIT = "press_kit", _("dossier de presse")
        AGENCY = "agency", _("agence")
        OWN = "own", _("photo de la rédaction")
        READER = "reader", _("photo de lecteur")
        OTHER = "other", _("autre")

    class LicenceKind(models.TextChoices):
        PRESS = "press", _("usage presse")
        AGENCY = "agency", _("licence d'agence")
        CC_BY = "cc_by", _("CC BY")
        CC_BY_SA = "cc_by_sa", _("CC BY-SA")
        OWN = "own", _("œuvre de la rédaction")
        OTHER = "other", _("autre")

    image = models.ImageField(_("image"), upload_to=original_path, blank=True)
    title = models.CharField(_("titre"), max_length=200, blank=True)
    alt_text = models.CharField(
        _("texte alternatif"),
        max_length=300,
        help_text=_("Ce que montre la photo, pour les lecteurs qui ne la voient pas."),
    )
    caption = models.CharField(_("légende"), max_length=500, blank=True)
    credit = models.CharField(
        _("crédit"),
        max_length=300,
        blank=True,
        help_text=_("Tel qu'il doit apparaître, par ex. « © Netflix / Photo : Jane Doe »."),
    )
    photographer = models.CharField(
        _("photographe"),
        max_length=200,
        blank=True,
        help_text=_("Nom de l'auteur de la photo, pour la page de ses crédits."),
    )
    agency = models.CharField(
        _("agence ou ayant droit"),
        max_length=200,
        blank=True,
        help_text=_("Agence, distributeur ou studio détenteur des droits."),
    )
    photographer_slug = models.SlugField(max_length=120, blank=True, editable=False)
    agency_slug = models.SlugField(max_length=120, blank=True, editable=False)
    source = models.CharField(
        _("provenance"), max_length=12, choices=Source.choices, default=Source.PRESS_KIT
    )
    licence_kind = models.CharField(
        _("licence"), max_length=12, choices=LicenceKind.choices, default=LicenceKind.PRESS
    )
    licence_start = models.DateField(_("début des droits"), null=True, blank=True)
    licence_end = models.DateField(
        _("fin des droits"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Dernier jour où la photo peut être montrée. Le lendemain, elle disparaît du "
            "site puis est retirée. Laisser vide si les droits n'expirent pas."
        ),
    )
    licence_notes = models.TextField(
        _("conditions de la licence"),
        blank=True,
        help_text=_("Conditions particulières, référence du contrat, contact de l'ayant droit."),
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.VISIBLE
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    file_size = models.PositiveIntegerField(editable=False, null=True)
    phash = models.CharField(
        _("empreinte visuelle"), max_length=16, blank=True, editable=False, db_index=True
    )
    # 256-bit dHash of the picture's centre (``imaging.lookup_hash``): finds the
    # photo from a cropped, mirrored or resized copy (``photos.lookup``).
    lookup_hash = models.CharField(
        _("empreinte de recherche"), max_length=64, blank=True, editable=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ajoutée par"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True, editable=False)
    withdrawn_reason = models.CharField(
        _("motif du retrait"), max_length=500, blank=True, editable=False
    )
    # Set when a rights holder's request (a case with a public reference number)
    # led to the withdrawal: readers are told so where the photo was.
    withdrawn_case = models.CharField(
        _("dossier de réclamation"), max_length=20, blank=True, editable=False
    )
    # Name in ``private_storage()`` of the original kept after a withdrawal, so
    # that a photo withdrawn by mistake can be restored; never served.
    private_copy = models.CharField(max_length=200, blank=True, editable=False)
    # Name in ``private_storage()`` of the original while the photo is hidden: its
    # public files are gone (every URL it had answers 404) until it is shown again.
    # Kept apart from ``private_copy``, which belongs to a withdrawal case and is
    # discarded when that case closes.
    hidden_original = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["visible", "hidden", "withdrawn"]),
                name="photo_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["press_kit", "agency", "own", "reader", "other"]),
                name="photo_source_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    licence_kind__in=["press", "agency", "cc_by", "cc_by_sa", "own", "other"]
                ),
                name="photo_licence_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(licence_start__isnull=True)
                | models.Q(licence_end__isnull=True)
                | models.Q(licence_end__gte=models.F("licence_start")),
                name="photo_licence_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.title or self.caption or self.alt_text

    def save(self, *args, **kwargs):
        self.photographer_slug = credit_slug(self.photographer)
        self.agency_slug = credit_slug(self.agency)
        if self.image and (self.width is None or self.file_size is None):
            try:
                self.width, self.height = self.image.width, self.image.height
                self.file_size = self.image.size
            except (OSError, ValueError):
                pass
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if not (self.alt_text or "").strip():
            errors["alt_text"] = _(
                "Décrivez ce que montre la photo : le texte alternatif est obligatoire."
            )
        if self.licence_start and self.licence_end and self.licence_end < self.licence_start:
            errors["licence_end"] = _("La fin des droits précède leur début.")
        if errors:
            raise ValidationError(errors)

    @property
    def licence_expired(self) -> bool:
        return self.licence_end is not None and self.licence_end < site_today()

    @property
    def is_visible(self) -> bool:
        """Must agree with ``PhotoQuerySet.visible()`` (tested for every case)."""
        return self.status == self.Status.VISIBLE and bool(self.credit) and not self.licence_expired

    def where_used(self):
        """Articles (in any state) showing this photo as lead, in a gallery or in
        their text. Reached through reverse relations: photos never imports articles."""
        article_model = self.lead_of.model
        return article_model.objects.filter(
            models.Q(pk__in=self.lead_of.values("pk"))
            | models.Q(pk__in=self.galleries.values("pk"))
            | models.Q(pk__in=self.body_of.values("pk"))
        )

    def likely_duplicates(self, max_distance: int = 10) -> list["Photo"]:
        """Other photos that look the same (resized, recompressed…), closest first."""
        similar = Photo.objects.exclude(pk=self.pk).similar_to(self.phash, max_distance)
        return [photo for _distance, photo in similar]


class Rendition(models.Model):
    """A resized copy for readers' screens; made from the stored original."""

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        WEBP = "webp", "WebP"

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    width = models.PositiveIntegerField(_("largeur"))
    height = models.PositiveIntegerField(_("hauteur"))
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    file = models.FileField(_("fichier"), upload_to=rendition_path, max_length=200)

    class Meta:
        verbose_name = _("déclinaison")
        verbose_name_plural = _("déclinaisons")
        ordering = ["photo", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "width", "format"], name="unique_rendition_per_size"
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=["jpeg", "webp"]), name="rendition_format_valid"
            ),
        ]

    def __str__(self):
        return f"{self.photo_id} {self.width}w {self.format}"
