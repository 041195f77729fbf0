"""The search page (/recherche/), the JSON API (/api/search/), the photo search
for rights holders (/api/photos/search/) and suggestions as you type."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from search import service
from search.backends import backend_for
from search.backends.base import PageOutOfRange
from search.templatetags.search_tags import url_with


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_GET
def search_page(request):
    try:
        search = service.run("articles", request.GET)
    except service.BadParameter as error:
        return render(request, "search/search.html", {"error": str(error), "q": ""}, status=400)
    except PageOutOfRange as exc:
        raise Http404(_("Cette page de résultats n'existe pas.")) from exc
    context = {"search": search, "q": request.GET.get("q", ""), "params": request.GET}
    if search.results is not None:
        context.update(page_links(search, request.GET), facets=facet_links(search, request.GET))
    return render(request, "search/search.html", context)


FACET_LABELS = {
    "tag": gettext_lazy("Genres"),
    "section": gettext_lazy("Rubriques"),
    "author": gettext_lazy("Auteurs"),
    "year": gettext_lazy("Années"),
}


def facet_links(search: service.Search, params) -> list[tuple[str, list[dict]]]:
    """Each facet's values with the URL that adds (or removes) it as a refinement."""
    sections = []
    for name, values in search.results.facets.items():
        if name == "year":  # the most frequent years, read in order, newest first
            values = sorted(values, key=lambda pair: str(pair[0]), reverse=True)
        chosen = params.getlist(name)
        links = []
        for value, count in values:
            value = str(value)
            selected = value in chosen
            new = [v for v in chosen if v != value] if selected else [*chosen, value]
            if name == "year":
                new = [] if selected else [value]
            links.append({"value": value, "count": count, "chosen": selected,
                          "url": url_with(params, **{name: new or None})})  # fmt: skip
        if links:
            sections.append((FACET_LABELS.get(name, name), links))
    return sections


def page_links(search: service.Search, params) -> dict:
    results = search.results
    last = max(1, -(-results.count // results.per_page))
    return {
        "prev_url": url_with(params, page=results.page - 1) if results.page > 1 else None,
        "next_url": url_with(params, page=results.page + 1) if results.page < last else None,
        "last_page": last,
        "sort_urls": {sort: url_with(params, sort=sort) for sort in service.SORTS},
        "suggestion_url": url_with(params, q=results.suggestion) if results.suggestion else None,
    }


def hit_json(hit) -> dict:
    date = hit.stored.get("date")
    return {
        "id": hit.id,
        "title": hit.stored.get("title", ""),
        "url": hit.stored.get("url", ""),
        "date": date.isoformat() if hasattr(date, "isoformat") else date,
        "tags": hit.stored.get("tags", []),
        "source_url": hit.stored.get("source_url") or None,
        "snippet": hit.snippet,
        "score": round(hit.score, 4),
    }


def results_json(search: service.Search, per_page: int = service.PER_PAGE) -> dict:
    results = search.results
    if results is None:
        return {"count": 0, "page": search.page, "per_page": per_page, "results": [], "facets": {},
                "suggestion": None, "warnings": list(search.query.warnings)}  # fmt: skip
    return {
        "count": results.count,
        "page": results.page,
        "per_page": results.per_page,
        "results": [hit_json(hit) for hit in results.hits],
        "facets": {
            name: [{"value": value, "count": count} for value, count in values]
            for name, values in results.facets.items()
        },
        "suggestion": results.suggestion,
        "warnings": list(search.query.warnings),
    }


@require_GET
def api_search(request):
    try:
        per_page = service.read_per_page(request.GET.get("per_page"))
        search = service.run("articles", request.GET, per_page=per_page)
    except service.BadParameter as error:
        return _error(str(error))
    except PageOutOfRange:
        return _error(_("Cette page de résultats n'existe pas."), status=404)
    payload = results_json(search, per_page)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@require_GET
def api_photos_search(request):
    """Rights holders look for their photos by credit (``credit=``) or words (``q=``)."""
    params = request.GET.copy()
    credit = params.get("credit", "").strip()
    if credit:
        params["q"] = f"{params.get('q', '')} {credit}".strip()
    try:
        search = service.run("photos", params)
    except service.BadParameter as error:
        return _error(str(error))
    except PageOutOfRange:
        return _error(_("Cette page de résultats n'existe pas."), status=404)
    payload = results_json(search)
    hits = search.results.hits if search.results else []
    payload["results"] = [photo_hit_json(hit) for hit in hits]
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


def photo_hit_json(hit) -> dict:
    fields = ("title", "caption", "credit", "url")
    return {"id": hit.id, **{name: hit.stored.get(name, "") for name in fields},
            "snippet": hit.snippet, "score": round(hit.score, 4)}  # fmt: skip


@require_GET
def api_autocomplete(request):
    prefix = request.GET.get("q", "").strip()[:100]
    if len(prefix) < 2:
        return JsonResponse({"results": []})
    suggestions = backend_for("articles").autocomplete(prefix, limit=8)
    return JsonResponse({"results": suggestions}, json_dumps_params={"ensure_ascii": False})
