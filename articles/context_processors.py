from django.utils.functional import SimpleLazyObject

from articles.listings import sections


def navigation(request):
    return {"nav_sections": SimpleLazyObject(lambda: sections(request))}
