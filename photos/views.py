"""Public photo pages: the photo-rights notice and the credits pages, which list
only photos readers may see in published articles."""

from django.conf import settings
from django.db.models import Count, Max, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView
from unidecode import unidecode

from photos.models import Photo


class PhotoRightsView(TemplateView):
    """The legal notice on photo rights, linked from every article."""

    template_name = "photos/photo_rights.html"


def public_photos():
    """Photos readers may see and that a published article shows: an embargoed
    press photo, uploaded before its article is out, is named nowhere."""
    return Photo.objects.visible().in_published_articles()


class CreditIndexView(ListView):
    """Every photographer and agency with at least one public photo."""

    template_name = "photos/credit_index.html"
    context_object_name = "credits"
    paginate_by = 200

    def get_queryset(self):
        credits: dict[str, dict] = {}
        visible = public_photos()
        for name_field in ("photographer", "agency"):
            slug_field = f"{name_field}_slug"
            rows = (
                visible.exclude(**{slug_field: ""})
                .values(slug_field)
                .annotate(name=Max(name_field), count=Count("pk"))
                .order_by()
            )
            for row in rows:
                entry = credits.setdefault(row[slug_field], {"slug": row[slug_field], "count": 0})
                entry["name"] = row["name"]
                entry["count"] += row["count"]
        return sorted(credits.values(), key=lambda c: unidecode(c["name"]).casefold())


# Where a photo appears (as lead, in a gallery, in the text): reverse relations,
# so that photos never import articles.
USE_RELATIONS = ("lead_of", "galleries", "body_of")


def with_published_uses(photos):
    """Photos with the published articles showing them prefetched (one query per
    relation, whatever the number of photos): ``published_uses(photo)`` reads them."""
    published = Photo.lead_of.field.model.objects.published().only(
        "pk", "title", "slug", "published_at", "publication_date", "lead_photo"
    )
    return photos.prefetch_related(
        *(Prefetch(name, queryset=published, to_attr=f"published_{name}") for name in USE_RELATIONS)
    )


def published_uses(photo) -> list:
    """The published articles showing ``photo``, newest first, each once."""
    articles = {a.pk: a for name in USE_RELATIONS for a in getattr(photo, f"published_{name}")}
    return sorted(articles.values(), key=lambda a: a.published_at, reverse=True)


class CreditDetailView(ListView):
    """The photos credited to one photographer or agency, as a grid of thumbnails,
    each with the published articles that use it and a link to report it."""

    template_name = "photos/credit_detail.html"
    context_object_name = "photos"
    allow_empty = False  # an unknown name, or one with no public photo, is a 404

    def get_paginate_by(self, queryset):
        return settings.PHOTO_CREDITS_PER_PAGE

    def get_queryset(self):
        return (
            public_photos()
            .credited_to(self.kwargs["slug"])
            .prefetch_related("renditions")
            .order_by("-created_at", "-pk")
        )

    def paginate_queryset(self, queryset, page_size):
        paginator, page, photos, is_paginated = super().paginate_queryset(queryset, page_size)
        photos = list(with_published_uses(photos))
        for photo in photos:
            photo.published_uses = published_uses(photo)
        page.object_list = photos  # evaluated once (base.html tests ``page_obj``)
        return paginator, page, photos, is_paginated

    def get_context_data(self, **kwargs):
        return super().get_context_data(credit_name=self.credit_name(), **kwargs)

    def credit_name(self) -> str:
        slug = self.kwargs["slug"]
        first = self.get_queryset().values("photographer", "photographer_slug", "agency").first()
        if first is None:
            raise Http404(_("Aucune photo n'est créditée à ce nom."))
        return first["photographer"] if first["photographer_slug"] == slug else first["agency"]
