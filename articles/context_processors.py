from django.utils.functional import SimpleLazyObject

from articles.models import Section


def navigation(request):
    return {"nav_sections": SimpleLazyObject(lambda: list(Section.objects.all()))}
