"""Public pages: the notice form, finding one's photos from the picture, the
email confirmation, the sender's private tracking page, the transparency report
and the privacy notice. No account is needed; the tracking page is reached
only with its unguessable token."""

import csv
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import TemplateView

from photos.models import Photo
from photos.validation import megabytes
from takedowns import lookup, ratelimit, services, stats
from takedowns.forms import LookupForm, NoticeForm, TrackingMessageForm
from takedowns.models import Message, Notice

PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    # Never leak the token in the URL to other sites ("no-referrer" would make
    # browsers send "Origin: null" with our own forms, failing the CSRF check).
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",
}


def _private(response):
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def rate_limited(request):
    response = render(
        request,
        "takedowns/rate_limited.html",
        {"window_minutes": settings.TAKEDOWN_RATE_WINDOW_SECONDS // 60},
        status=429,
    )
    response["Retry-After"] = str(settings.TAKEDOWN_RATE_WINDOW_SECONDS)
    return response


@method_decorator(never_cache, name="dispatch")
class NoticeView(View):
    template_name = "takedowns/notice_form.html"

    def get(self, request):
        initial = {}
        # ?photo=12 (a photo's report link) or ?photos=12,14 (from a lookup).
        raw = ",".join([request.GET.get("photo", ""), request.GET.get("photos", "")])
        ids = list(dict.fromkeys(int(t) for t in raw.split(",") if t.strip().isdigit()))[:50]
        photos = []
        if ids:
            # Only photos a published article shows: a number must not reveal
            # the credit or picture of a photo kept for an embargoed article.
            public = Photo.objects.in_published_articles().filter(pk__in=ids)
            found = public.prefetch_related("renditions").in_bulk()
            photos = [found[pk] for pk in ids if pk in found]
            if photos:
                initial["photo_ids"] = ", ".join(str(photo.pk) for photo in photos)
        return self.render(NoticeForm(initial=initial), photos)

    def post(self, request):
        ip = ratelimit.client_ip(request)
        if ratelimit.exceeded("ip", ip):
            return rate_limited(request)
        form = NoticeForm(request.POST, request.FILES, request_host=request.get_host())
        if form.is_spam:
            # Say nothing a robot could learn from; store nothing.
            return redirect("takedowns:sent")
        if not form.is_valid():
            return self.render(form, [], files_sent=bool(request.FILES), status=400)
        email = form.cleaned_data["email"]
        if ratelimit.exceeded("email", email):
            return rate_limited(request)
        if ratelimit.hit("ip", ip) > settings.TAKEDOWN_RATE_LIMIT:
            return rate_limited(request)
        ratelimit.hit("email", email)
        data = form.cleaned_data
        services.submit_notice(
            name=data["name"],
            email=email,
            organisation=data["organisation"],
            capacity=data["capacity"],
            rights_holder=data["rights_holder"],
            photos=form.photos(),
            urls=data["urls"],
            original_work=data["original_work"],
            kind=data["kind"],
            explanation=data["explanation"],
            requested_credit=data["requested_credit"],
            good_faith=data["good_faith"],
            evidence=data["evidence"],
        )
        return redirect("takedowns:sent")

    def render(self, form, photos, files_sent=False, status=200):
        context = {
            "form": form,
            "photos": photos,
            "photo": photos[0] if len(photos) == 1 else None,
            "lookup_form": LookupForm(),
            "files_sent": files_sent,
            "max_files": settings.TAKEDOWN_MAX_FILES,
        }
        return render(self.request, self.template_name, context, status=status)


@method_decorator(never_cache, name="dispatch")
@method_decorator(csrf_exempt, name="dispatch")
class LookupView(View):
    """Finding one's photos on the site from the pictures themselves.

    Uploaded files stay in memory (``lookup.InMemoryUploadHandler``), are
    reduced to hashes and dropped with the request: nothing is stored. The CSRF
    check runs in ``post`` (``csrf_protect``), once the upload handlers are
    set: reading the token would parse the body with Django's handlers, which
    write large files to disk."""

    template_name = "takedowns/lookup.html"

    def get(self, request):
        return self.render(LookupForm())

    def post(self, request):
        limit = (lookup.max_bytes() + 64 * 1024) * lookup.MAX_PICTURES + 1024 * 1024
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            error = _("Ces images pèsent trop lourd ensemble : %(limit)s au plus.") % {
                "limit": megabytes(limit)
            }
            return self.render(LookupForm(), errors=[error], status=413)
        handler = lookup.InMemoryUploadHandler(
            request, max_files=lookup.MAX_PICTURES, max_bytes=lookup.max_bytes()
        )
        request.upload_handlers = [handler]
        return self._post(request, handler)

    @method_decorator(csrf_protect)
    def _post(self, request, handler):
        ip = ratelimit.client_ip(request)
        if ratelimit.exceeded("lookup", ip, lookup.RATE_LIMIT):
            return rate_limited(request)
        ratelimit.hit("lookup", ip)
        form = LookupForm(request.POST, request.FILES, handler=handler)
        if not form.is_valid():
            return self.render(form, status=400)
        results = lookup.search(form.cleaned_data["pictures"])
        photos = list(dict.fromkeys(f.photo for result in results for f in result.found))
        return self.render(LookupForm(), results=results, photos=photos)

    def render(self, form, results=None, photos=(), errors=(), status=200):
        context = {
            "form": form,
            "errors": errors,
            "results": results,
            "photos": photos,
            "photo_ids": ",".join(str(photo.pk) for photo in photos),
            "max_pictures": lookup.MAX_PICTURES,
        }
        return render(self.request, self.template_name, context, status=status)


class SentView(TemplateView):
    template_name = "takedowns/sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            decision_days=settings.TAKEDOWN_DECISION_DEADLINE_DAYS, **kwargs
        )


@method_decorator(never_cache, name="dispatch")
class ConfirmView(View):
    """GET shows a button (mail scanners follow links); POST confirms."""

    def get(self, request, signature):
        notice = services.notice_from_signature(signature)
        if notice is None:
            return _private(render(request, "takedowns/confirm_invalid.html", status=404))
        return _private(render(request, "takedowns/confirm.html", {"notice": notice}))

    def post(self, request, signature):
        notice = services.notice_from_signature(signature)
        if notice is None:
            return _private(render(request, "takedowns/confirm_invalid.html", status=404))
        token = services.confirm_notice(notice=notice)
        if token is None:
            return _private(render(request, "takedowns/confirm.html", {"notice": notice}))
        return redirect("takedowns:tracking", token=token)


# What the sender is told of each step of their request (``Event.action``, as
# written by takedowns.services). Steps not listed (anonymisation) are not shown.
STEPS = {
    "submit": gettext_lazy("Demande envoyée"),
    "confirm": gettext_lazy("Adresse confirmée : demande reçue"),
    "request_information": gettext_lazy("Informations complémentaires demandées"),
    "complement": gettext_lazy("Vos précisions envoyées"),
    "identity_check": gettext_lazy("Votre qualité pour agir vérifiée"),
    "verify": gettext_lazy("Demande vérifiée, en attente de décision"),
    "hide": gettext_lazy("Mesure provisoire : photos masquées pendant l'examen"),
    "withdraw": gettext_lazy("Décision : photo retirée"),
    "correct_credit": gettext_lazy("Décision : crédit corrigé"),
    "reject": gettext_lazy("Décision : demande rejetée"),
    "close_incomplete": gettext_lazy("Décision : demande classée faute d'informations"),
    "reconsideration": gettext_lazy("Réexamen demandé"),
    "maintain": gettext_lazy("Décision maintenue après réexamen"),
    "restore": gettext_lazy("Décision : photo remise en ligne après réexamen"),
    "close": gettext_lazy("Dossier clos"),
}


def timeline(notice: Notice) -> list[dict]:
    """Each step of the request with its date, from its audit trail."""
    return [
        {"at": event.at, "label": STEPS[event.action]}
        for event in notice.events.all()
        if event.action in STEPS
    ]


def request_photos(notice: Notice) -> list:
    """The photos of the request (the editor-in-chief's duplicates last), with
    their renditions: the template shows a thumbnail only of a visible one."""
    links = notice.notice_photos.select_related("photo").prefetch_related("photo__renditions")
    return list(links.order_by("duplicate", "pk"))


@method_decorator(never_cache, name="dispatch")
class TrackingView(View):
    """The sender's own request: status, what is missing, the decision and its
    reasons; nothing about anyone else's requests."""

    def notice(self, token) -> Notice:
        notice = services.notice_for_token(token)
        if notice is None:
            raise Http404(_("Ce lien de suivi n'existe pas."))
        return notice

    def get(self, request, token):
        return self.render(self.notice(token))

    def post(self, request, token):
        notice = self.notice(token)
        form = TrackingMessageForm(request.POST)
        kind = request.POST.get("kind")
        if not form.is_valid():
            return self.render(notice, form=form, status=400)
        try:
            if kind == Message.Kind.COMPLEMENT:
                services.add_complement(notice=notice, text=form.cleaned_data["text"])
            elif kind == Message.Kind.RECONSIDERATION:
                services.request_reconsideration(notice=notice, text=form.cleaned_data["text"])
            else:
                return self.render(notice, form=form, status=400)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(notice, form=form, status=400)
        return redirect(reverse("takedowns:tracking", args=[token]) + "?envoye=1")

    def render(self, notice, form=None, status=200):
        context = {
            "notice": notice,
            "form": form or TrackingMessageForm(),
            "sent": "envoye" in self.request.GET,
            "reconsideration_open": notice.reconsideration_open(),
            "missing": notice.missing_information.splitlines(),
            "photo_links": request_photos(notice),
            "timeline": timeline(notice),
            # The expected decision date, while the first decision is awaited.
            "deadline": notice.decision_deadline()
            if notice.status in Notice.OPEN_STATUSES and notice.decided_at is None
            else None,
            "reconsideration_until": notice.decided_at
            + datetime.timedelta(days=settings.TAKEDOWN_RECONSIDERATION_DAYS)
            if notice.decided_at
            else None,
        }
        return _private(render(self.request, "takedowns/tracking.html", context, status=status))


class TransparencyView(TemplateView):
    template_name = "takedowns/transparency.html"

    def get_context_data(self, **kwargs):
        rows = stats.yearly()
        return super().get_context_data(rows=rows, table=self.table(rows), **kwargs)

    @staticmethod
    def table(rows: list[dict]) -> list[dict]:
        """The yearly figures turned for reading: one line per figure, one column
        per year (a phone shows a few years at once; more scroll in their frame)."""

        def line(label, values, sub=False):
            return {"label": label, "values": values, "sub": sub}

        kinds = [
            line(label, [row["kinds"][i][1] for row in rows], sub=True)
            for i, (_value, label) in enumerate(stats.KINDS)
        ]
        outcomes = [
            line(label, [row["outcomes"][i][1] for row in rows], sub=True)
            for i, (_value, label) in enumerate(stats.OUTCOMES)
        ]
        return [
            {"lines": [line(_("Demandes reçues"), [row["received"] for row in rows])]},
            {"heading": _("Ce qu'elles demandaient"), "lines": kinds},
            {"heading": _("Suite donnée"), "lines": outcomes},
            {
                "lines": [
                    line(_("En cours"), [row["pending"] for row in rows]),
                    line(_("Demandes de réexamen"), [row["reconsiderations"] for row in rows]),
                    line(
                        _("Délai médian de décision (jours)"),
                        [row["median_days"] for row in rows],
                    ),
                ]
            },
        ]


def transparency_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="demandes-ayants-droit.csv"'
    writer = csv.writer(response)
    writer.writerows(stats.csv_rows())
    return response


class PrivacyView(TemplateView):
    template_name = "takedowns/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            retention_days=settings.TAKEDOWN_RETENTION_DAYS,
            retention_years=round(settings.TAKEDOWN_RETENTION_DAYS / 365, 1),
            unverified_days=settings.TAKEDOWN_UNVERIFIED_RETENTION_DAYS,
            reconsideration_days=settings.TAKEDOWN_RECONSIDERATION_DAYS,
            **kwargs,
        )
