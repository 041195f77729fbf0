from django.conf import settings

from config.site_url import site_url


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": site_url(request),
        "EDITOR_IN_CHIEF": settings.EDITOR_IN_CHIEF,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
