import itertools

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase
from unidecode import unidecode

from articles import html, paths
from articles.querysets import ArticleQuerySet, RelatedListQuerySet, TaggedArticleQuerySet


def ascii_slug(text: str, max_length: int = 200) -> str:
    return slugify(unidecode(text or ""))[:max_length].strip("-")


class Section(models.Model):
    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Ordre dans le menu (0 en premier).")
    )

    class Meta:
        verbose_name = _("rubrique")
        verbose_name_plural = _("rubriques")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or ascii_slug(self.name, 80)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return paths.path("articles:section", slug=self.slug)


class Author(models.Model):
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    bio = models.TextField(_("biographie"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author_profile",
    )

    class Meta:
        verbose_name = _("auteur")
        verbose_name_plural = _("auteurs")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or ascii_slug(self.name, 120)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return paths.path("articles:author", slug=self.slug)

    @classmethod
    def for_user(cls, user) -> "Author":
        """The account's author profile, made when missing: whoever writes for the
        magazine signs, and a new article by them carries their byline."""
        try:
            return user.author_profile
        except cls.DoesNotExist:
            pass
        name = user.get_full_name().strip() or user.get_username()
        base = ascii_slug(name, 110) or "auteur"
        taken = set(cls.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        slug = next(
            candidate
            for candidate in itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2)))
            if candidate not in taken
        )
        author = cls.objects.create(name=name, slug=slug, user=user)
        user.author_profile = author
        return author


class GenreTag(TagBase):
    class Meta:
        verbose_name = _("genre")
        verbose_name_plural = _("genres")
        ordering = ["name"]

    def slugify(self, tag, i=None):
        slug = ascii_slug(tag, 95) or "genre"
        return f"{slug}-{i}" if i is not None else slug

    def get_absolute_url(self):
        return paths.path("articles:tag", slug=self.slug)


class TaggedArticle(TaggedItemBase):
    tag = models.ForeignKey(GenreTag, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    # The article's ``listed_at``, copied here so that a genre page reads its
    # page of articles and its count from this table's index alone, however big
    # the genre (articles/listings.py). Kept by Article.save(), by the signal on
    # adding genres (articles/apps.py), and by the bulk writers that create rows.
    published_at = models.DateTimeField(null=True, editable=False)

    objects = TaggedArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("genre de l'article")
        verbose_name_plural = _("genres de l'article")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]
        indexes = [
            models.Index(
                fields=["tag", "published_at", "content_object"], name="tagged_article_listing"
            )
        ]


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        REVIEW = "review", _("en relecture")
        SCHEDULED = "scheduled", _("programmé")
        PUBLISHED = "published", _("publié")
        ARCHIVED = "archived", _("dépublié")

    # Statuses of an article shown to readers once its publication time has come.
    LISTED = (Status.PUBLISHED, Status.SCHEDULED)

    title = models.CharField(_("titre"), max_length=250)
    slug = models.SlugField(
        _("slug"), max_length=200, blank=True, help_text=_("Laissez vide : tiré du titre.")
    )
    standfirst = models.TextField(_("chapeau"), blank=True)
    body = models.TextField(_("texte"), blank=True)
    section = models.ForeignKey(
        Section, verbose_name=_("rubrique"), on_delete=models.PROTECT, related_name="articles"
    )
    tags = TaggableManager(through=TaggedArticle, verbose_name=_("genres"), blank=True)
    authors = models.ManyToManyField(
        Author, verbose_name=_("auteurs"), related_name="articles", blank=True
    )
    lead_photo = models.ForeignKey(
        "photos.Photo",
        verbose_name=_("photo principale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lead_of",
    )
    gallery = models.ManyToManyField(
        "photos.Photo",
        verbose_name=_("galerie"),
        through="GalleryItem",
        related_name="galleries",
        blank=True,
    )
    # Photos referenced in the body, kept in sync on save so that a photo can
    # tell where it is used (``Photo.where_used``) with a query.
    body_photos = models.ManyToManyField(
        "photos.Photo", related_name="body_of", blank=True, editable=False
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("publication"), null=True, blank=True, db_index=True)
    publication_date = models.DateField(editable=False, null=True, db_index=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    source_url = models.URLField(
        _("adresse d'origine"), max_length=500, null=True, blank=True, unique=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Optimistic locking: every save bumps it; a form saved from an older version
    # is refused instead of silently overwriting a colleague's changes.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["publication_date", "created_at", "updated_at", "version"],
        m2m_fields=[authors],
        verbose_name=_("version de l'article"),
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication_date", "slug"], name="unique_slug_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["draft", "review", "scheduled", "published", "archived"]
                ),
                name="article_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["scheduled", "published"])
                | models.Q(published_at__isnull=False),
                name="published_article_has_date",
            ),
        ]
        # Listings filter on publication time and order by it: an index led by
        # status makes SQLite (without statistics) sort every published row. With
        # the status last, a section's or a year's count and page of ids are read
        # from the index alone (articles/listings.py).
        indexes = [
            models.Index(
                fields=["section", "published_at", "status"], name="article_section_listing"
            ),
            models.Index(
                fields=["publication_date", "published_at", "status"], name="article_date_listing"
            ),
        ]
        permissions = [
            ("publish_article", _("Peut publier, programmer et dépublier des articles")),
            ("edit_any_article", _("Peut modifier les articles des autres rédacteurs")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = html.sanitize(self.body)
        if self.published_at:
            self.publication_date = timezone.localtime(self.published_at).date()
        self.slug = self._unique_slug(self.slug or ascii_slug(self.title) or "article")
        if self.pk is not None:
            self.version += 1
        super().save(*args, **kwargs)
        photo_model = self.body_photos.model
        self.body_photos.set(photo_model.objects.filter(pk__in=self.body_photo_ids()))
        TaggedArticle.objects.filter(content_object=self).update(published_at=self.listed_at)
        RelatedList.objects.forget([self.pk])

    def get_absolute_url(self):
        d = self.publication_date
        if d is None:
            return ""
        return paths.path(
            "articles:detail",
            year=f"{d.year:04d}",
            month=f"{d.month:02d}",
            day=f"{d.day:02d}",
            slug=self.slug,
        )

    @property
    def genres(self) -> list:
        """The article's genres by name: the order of ``tags.all()`` (prefetched or
        not) is the database's, which changes as rows are rewritten."""
        return sorted(self.tags.all(), key=lambda tag: tag.name)

    @property
    def listed_at(self):
        """When readers see this article in lists: its publication time while it is
        published or scheduled (``published()`` then compares it with now), else None."""
        return self.published_at if self.status in self.LISTED else None

    def _unique_slug(self, base: str) -> str:
        if self.publication_date is None:
            return base
        taken = Article.objects.filter(publication_date=self.publication_date).exclude(pk=self.pk)
        for candidate in itertools.chain([base], (f"{base[:190]}-{n}" for n in itertools.count(2))):
            if not taken.filter(slug=candidate).exists():
                return candidate
        raise AssertionError("unreachable")

    @property
    def is_published(self) -> bool:
        return (
            self.status in (self.Status.PUBLISHED, self.Status.SCHEDULED)
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def shown_status(self) -> str:
        """The status editors see: a scheduled article is published from its time
        on, as readers see it (the stored status stays "scheduled": no job has to
        run at that time, see ``published()``)."""
        if self.status == self.Status.SCHEDULED and self.is_published:
            return self.Status.PUBLISHED
        return self.status

    def get_shown_status_display(self) -> str:
        return self.Status(self.shown_status).label

    def body_photo_ids(self) -> list[int]:
        return html.photo_ids(self.body)


class GalleryItem(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="gallery_items"
    )
    photo = models.ForeignKey(
        "photos.Photo",
        verbose_name=_("photo"),
        on_delete=models.CASCADE,
        related_name="gallery_items",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("photo de galerie")
        verbose_name_plural = _("galerie")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "photo"], name="unique_gallery_photo")
        ]

    def __str__(self):
        return f"{self.article} — {self.photo}"


class ArticleEvent(models.Model):
    """One workflow transition: who moved the article from which state to which, when.
    Written by ``articles.workflow`` only; never edited."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("de"), max_length=12, choices=Article.Status.choices)
    to_status = models.CharField(_("vers"), max_length=12, choices=Article.Status.choices)
    at = models.DateTimeField(_("le"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("étape de publication")
        verbose_name_plural = _("étapes de publication")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.article} : {self.from_status} → {self.to_status}"


class RelatedList(models.Model):
    """An article's "À lire aussi", and when it was computed (articles/related.py).
    ``ids`` is read with the article's row; ``RelatedArticle`` rows tell which
    lists name an article."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="related_list"
    )
    computed_at = models.DateTimeField()
    ids = models.JSONField(default=list)

    objects = RelatedListQuerySet.as_manager()

    def __str__(self):
        return f"{self.article_id} ({self.computed_at:%Y-%m-%d})"


class RelatedArticle(models.Model):
    """One article of a stored "À lire aussi", at its rank."""

    list = models.ForeignKey(RelatedList, on_delete=models.CASCADE, related_name="links")
    related = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["list", "rank"], name="unique_related_rank")]

    def __str__(self):
        return f"{self.list_id} → {self.related_id} ({self.rank})"
