"""The queue of rights holders' requests and the decision page of each: list
columns and filters, the page with its photos, evidence, audit trail and action
forms, the action view and the evidence download."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from config.admin import FrenchTitles
from photos.models import Photo
from photos.templatetags.photos import rendition_url
from takedowns import services
from takedowns.admin.actions import ACTIONS, AVAILABLE, TITLES
from takedowns.models import Evidence, Notice


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("délais")
    parameter_name = "retard"

    def lookups(self, request, model_admin):
        return [("oui", gettext_lazy("en retard"))]

    def queryset(self, request, queryset):
        if self.value() != "oui":
            return queryset
        now = timezone.now()
        late = [n.pk for n in queryset.open() if n.overdue(now)]
        return queryset.filter(pk__in=late)


def _rejected_count():
    rejected = (
        Notice.objects.filter(email=OuterRef("email"), outcome=Notice.Outcome.REJECTED)
        .exclude(email="")
        .order_by()
        .values("email")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rejected, output_field=IntegerField()), Value(0))


@admin.register(Notice)
class NoticeAdmin(FrenchTitles, admin.ModelAdmin):
    change_title = gettext_lazy("Examiner la demande")
    view_title = gettext_lazy("Consulter la demande")
    list_display = ["reference", "status", "kind", "age", "deadlines", "thumbnails", "flags"]
    list_display_links = ["reference"]
    list_filter = ["status", "kind", OverdueFilter, "outcome"]
    search_fields = ["reference"]
    list_per_page = 50
    ordering = ["-received_at"]

    # Permissions: the decide permission, nothing else, opens the queue.
    def has_module_permission(self, request):
        return services.can_decide(request.user)

    def has_view_permission(self, request, obj=None):
        return services.can_decide(request.user)

    def has_change_permission(self, request, obj=None):
        return services.can_decide(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .in_queue()
            .annotate(rejected_before=_rejected_count())
            .prefetch_related("notice_photos__photo__renditions")
        )

    # List columns ----------------------------------------------------------------

    @admin.display(description=gettext_lazy("âge"), ordering="received_at")
    def age(self, notice):
        return timesince(notice.received_at) if notice.received_at else "—"

    @admin.display(description=gettext_lazy("délais"))
    def deadlines(self, notice):
        late = notice.overdue()
        if late:
            return format_html('<strong style="color:#ba2121">⚠ {}</strong>', ", ".join(late))
        if notice.status in Notice.OPEN_STATUSES:
            return _("décision avant le %(date)s") % {
                "date": timezone.localtime(notice.decision_deadline()).strftime("%d/%m %H:%M")
            }
        return "—"

    @admin.display(description=gettext_lazy("photos"))
    def thumbnails(self, notice):
        links = list(notice.notice_photos.all())
        if not links:
            return _("aucune identifiée")
        parts = []
        for link in links:
            photo, url = link.photo, rendition_url(link.photo, 480)
            if url:
                parts.append(
                    format_html(
                        '<img src="{}" alt="n° {}" title="{}" style="max-height:48px">',
                        url,
                        photo.pk,
                        photo.credit,
                    )
                )
            else:
                parts.append(format_html("n° {} ({})", photo.pk, photo.get_status_display()))
        return format_html_join(" ", "{}", ((part,) for part in parts))

    @admin.display(description=gettext_lazy("signalements"))
    def flags(self, notice):
        flags = []
        if notice.identity_check_needed and not notice.identity_checked_at:
            flags.append(_("identité à vérifier"))
        if notice.author_revocation:
            flags.append(_("un auteur retire son autorisation"))
        if getattr(notice, "rejected_before", 0) >= settings.TAKEDOWN_REPEAT_REJECTIONS:
            flags.append(_("expéditeur de %(n)d demandes rejetées") % {"n": notice.rejected_before})
        return ", ".join(flags) or "—"

    # Decision page -------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/action/<str:action>/",
                self.admin_site.admin_view(self.action_view),
                name="takedowns_notice_action",
            ),
            path(
                "<int:pk>/piece/<int:evidence_pk>/",
                never_cache(self.evidence_view),
                name="takedowns_notice_evidence",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        notice = get_object_or_404(self.get_queryset(request), pk=object_id)
        return self.decision_page(request, notice)

    def decision_page(self, request, notice, bound=None, status=200):
        photos = self.photo_details(notice)
        available = AVAILABLE.get(notice.status, [])
        action_forms = []
        for name in available:
            form_class = ACTIONS[name][0]
            if bound and bound[0] == name:
                form = bound[1]
            else:
                form = form_class(prefix=name) if form_class else None
                self.prepare(form, name, notice, photos)
            action_forms.append(
                {
                    "name": name,
                    "title": TITLES[name],
                    "form": form,
                    "url": reverse("admin:takedowns_notice_action", args=[notice.pk, name]),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Demande n° %(ref)s") % {"ref": notice.reference},
            "notice": notice,
            "photos": photos,
            "evidence": [
                (item, reverse("admin:takedowns_notice_evidence", args=[notice.pk, item.pk]))
                for item in notice.evidence.all()
            ],
            "events": notice.events.select_related("actor"),
            "sender_messages": notice.messages.all(),
            "action_forms": action_forms,
            "overdue": notice.overdue(),
            "flags": self.flags(notice),
            "interim_deadline": notice.interim_deadline(),
            "decision_deadline": notice.decision_deadline(),
        }
        return TemplateResponse(
            request, "admin/takedowns/notice/decide.html", context, status=status
        )

    def photo_details(self, notice) -> list[dict]:
        details = []
        for link in notice.notice_photos.select_related("photo"):
            photo = link.photo
            details.append(
                {
                    "link": link,
                    "photo": photo,
                    "thumbnail": rendition_url(photo, 480),
                    "where_used": list(photo.where_used()),
                    "duplicates": photo.likely_duplicates(),
                }
            )
        return details

    def prepare(self, form, name, notice, photos) -> None:
        if form is None or "photos" not in form.fields:
            return
        own = [d["photo"] for d in photos]
        if name == "withdraw":
            duplicates = [dup for d in photos for dup in d["duplicates"]]
            form.set_photos(own + [d for d in duplicates if d not in own])
            if not form.is_bound:
                form.fields["photos"].initial = [p.pk for p in own]
        elif name == "restore":
            form.set_photos([p for p in own if p.status == Photo.Status.WITHDRAWN])
        elif name == "credit" and not form.is_bound:
            form.set_photos(own)
            form.fields["credit"].initial = notice.requested_credit
        else:
            form.set_photos(own)

    def action_view(self, request, pk, action):
        if request.method != "POST" or action not in ACTIONS:
            raise Http404
        if not services.can_decide(request.user):
            raise PermissionDenied
        notice = get_object_or_404(Notice.objects.in_queue(), pk=pk)
        form_class, call = ACTIONS[action]
        form = form_class(request.POST, prefix=action) if form_class else None
        if form is not None:
            self.prepare(form, action, notice, self.photo_details(notice))
        if form is None or form.is_valid():
            try:
                call(notice, request.user, form)
            except ValidationError as error:
                if form is None:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                    return redirect("admin:takedowns_notice_change", notice.pk)
                self._add_errors(form, error)
            else:
                self.message_user(
                    request,
                    _("« %(action)s » : fait.") % {"action": TITLES[action]},
                    messages.SUCCESS,
                )
                return redirect("admin:takedowns_notice_change", notice.pk)
        notice.refresh_from_db()
        return self.decision_page(request, notice, bound=(action, form), status=400)

    @staticmethod
    def _add_errors(form, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)

    def evidence_view(self, request, pk, evidence_pk):
        """A proof file, to the deciders only (404 for anyone else: not even
        whether it exists is told). Always a download, never rendered inline."""
        if not (request.user.is_authenticated and services.can_decide(request.user)):
            raise Http404
        item = get_object_or_404(Evidence, pk=evidence_pk, notice_id=pk)
        response = FileResponse(
            item.file.open("rb"),
            as_attachment=True,
            filename=item.original_name,
            content_type=item.content_type,
        )
        response["Content-Security-Policy"] = "sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        return response
