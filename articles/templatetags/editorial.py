"""The editor's dashboard on the admin home page."""

from django import template
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles import workflow
from articles.models import Article
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
        "panels": rows,
        "photos_missing": list(missing[:LIMIT]),
        "photos_missing_count": missing.count(),
    }
