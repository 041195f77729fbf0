from django.db import models
from django.utils.translation import gettext_lazy as _


class PhotoQuerySet(models.QuerySet):
    def visible(self):
        """The one place that decides which photos readers may see."""
        return self.filter(status=Photo.Status.VISIBLE).exclude(credit="")


class Photo(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("visible")
        HIDDEN = "hidden", _("masquée")
        WITHDRAWN = "withdrawn", _("retirée")

    image = models.ImageField(_("image"), upload_to="photos/%Y/%m/")
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
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.VISIBLE
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    file_size = models.PositiveIntegerField(editable=False, null=True)
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
            )
        ]

    def __str__(self):
        return self.title or self.caption or self.alt_text

    def save(self, *args, **kwargs):
        if self.image and (self.width is None or self.file_size is None):
            try:
                self.width, self.height = self.image.width, self.image.height
                self.file_size = self.image.size
            except (OSError, ValueError):
                pass
        super().save(*args, **kwargs)

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.VISIBLE and bool(self.credit)
