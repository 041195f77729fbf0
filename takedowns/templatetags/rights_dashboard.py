"""The rights holders' requests waiting, on the admin home page, for those who
decide on them (the editor-in-chief): each with its state and its deadlines.

A tag of this app, so that the dashboard of ``articles`` need not import it:
``site/templates/admin/index.html`` loads both."""

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from takedowns import services
from takedowns.models import Notice

register = template.Library()
LIMIT = 10


@register.simple_tag(takes_context=True)
def rights_dashboard(context):
    user = context["request"].user
    if not services.can_decide(user):
        return ""
    waiting = Notice.objects.open().order_by("received_at", "pk")
    notices = list(waiting[:LIMIT])
    now = timezone.now()
    rows = format_html_join("", "<li>{}</li>", ((row(notice, now),) for notice in notices))
    return format_html(
        '<div class="module dashboard rights-dashboard"><h2>{} ({})</h2><ul>{}</ul>{}</div>',
        _("Demandes d'ayants droit en attente"),
        waiting.count(),
        rows or format_html("<li>{}</li>", _("Aucune demande en attente.")),
        more_link(len(notices), waiting.count()),
    )


def row(notice: Notice, now) -> str:
    url = reverse("admin:takedowns_notice_change", args=[notice.pk])
    return format_html(
        '<a href="{}">{}</a> — {} — {}',
        url,
        notice,
        notice.get_status_display(),
        deadlines(notice, now),
    )


def deadlines(notice: Notice, now) -> str:
    """The next deadline in words; those already missed in red first."""
    late = notice.overdue(now)
    if late:
        return format_html('<strong style="color:#ba2121">⚠ {}</strong>', ", ".join(late))
    if notice.first_measure_at is None and notice.status != Notice.Status.INCOMPLETE:
        when, what = notice.interim_deadline(), _("mesure provisoire avant le %(date)s")
    else:
        when, what = notice.decision_deadline(), _("décision avant le %(date)s")
    if when is None:
        return "—"
    return what % {"date": formats.date_format(timezone.localtime(when), "DATETIME_FORMAT")}


def more_link(shown: int, total: int) -> str:
    if total <= shown:
        return ""
    return format_html(
        '<p><a href="{}">{}</a></p>',
        reverse("admin:takedowns_notice_changelist"),
        _("Toutes les demandes (%(n)d)") % {"n": total},
    )
