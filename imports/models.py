from django.db import models
from django.utils.translation import gettext_lazy as _


class OldAddress(models.Model):
    """An address an article or an image had on the magazine's old site. It answers
    301 to where the article or photo is now (410 once the photo is withdrawn).

    A model of the project's rather than ``django.contrib.redirects``: that one
    stores a fixed target, while an article's address and a photo's rendition
    can change, and a withdrawn photo must answer 410, not redirect."""

    path = models.CharField(
        _("ancienne adresse"),
        max_length=500,
        unique=True,
        help_text=_(
            "Chemin sur l'ancien site, sans le domaine, avec la requête s'il y en a une : "
            "« /2019/07/31/mon-article/ », « /?p=123 »."
        ),
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="old_addresses",
    )
    photo = models.ForeignKey(
        "photos.Photo",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="old_addresses",
    )
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("ancienne adresse")
        verbose_name_plural = _("anciennes adresses")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(article__isnull=True, photo__isnull=False)
                | models.Q(article__isnull=False, photo__isnull=True),
                name="old_address_has_one_target",
            )
        ]

    def __str__(self):
        return self.path


class StoredFile(models.Model):
    """A file an import stored before the rows that use it were committed.

    The row is committed before the file is written and deleted in the
    transaction that creates the photo rows: if the import is killed in between,
    the next import finds the row and deletes the file, so no orphan stays."""

    name = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name
