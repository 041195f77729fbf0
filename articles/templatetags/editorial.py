"""The editor's dashboard on the admin home page."""

from django import template
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.models import Article, ArticleEvent
from photos.models import Photo

register = template.Library()
LIMIT = 10


@register.inclusion_tag("admin/includes/dashboard.html", takes_context=True)
def editorial_dashboard(context):
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"panels": []}
    mine = Article.objects.filter(Q(created_by=user) | Q(authors__user=user)).distinct()
    visible = Article.objects.all() if user.has_perm(workflow.EDIT_ANY_PERMISSION) else mine
    panels = [
        (_("Mes brouillons"), mine.filter(status=Article.Status.DRAFT)),
        (_("En attente de relecture"), visible.filter(status=Article.Status.REVIEW)),
        (_("Programmés"), visible.filter(status=Article.Status.SCHEDULED).order_by("published_at")),
    ]
    rows = [(title, list(qs.select_related("section")[:LIMIT]), qs.count()) for title, qs in panels]
    missing = Photo.objects.filter(Q(credit="") | Q(alt_text=""))
    return {
        "returned": sent_back(mine),
        "panels": rows,
        "photos_missing": list(missing[:LIMIT]),
        "photos_missing_count": missing.count(),
    }


def sent_back(articles) -> list[dict]:
    """The drafts an editor sent back and nobody has moved since, with the
    editor's comment: what the writer has to do first."""
    last = ArticleEvent.objects.filter(article=OuterRef("pk")).order_by("-at", "-id")
    drafts = (
        articles.filter(status=Article.Status.DRAFT)
        .annotate(last_action=Subquery(last.values("action")[:1]))
        .annotate(last_event=Subquery(last.values("pk")[:1]))
        .filter(last_action="return")
        .order_by("-updated_at")[:LIMIT]
    )
    drafts = list(drafts)
    events = ArticleEvent.objects.select_related("actor").in_bulk([a.last_event for a in drafts])
    return [
        {
            "article": article,
            "event": events[article.last_event],
            "who": workflow.display_name(events[article.last_event].actor),
        }
        for article in drafts
    ]
