import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from articles.sitemaps import SITEMAPS
from config import admin as accounts
from config import favicon, health, views
from config.media import serve_media
from search import urls as search_urls

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("healthz", health.healthz, name="healthz"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("", include((search_urls.api_urlpatterns, "api"))),
    path("i18n/", include("django.conf.urls.i18n")),
    # Password reset by email for volunteers (the admin's login page links to it).
    path(
        "admin/mot-de-passe-oublie/",
        accounts.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/mot-de-passe-oublie/envoye/",
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "admin/nouveau-mot-de-passe/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/nouveau-mot-de-passe/fait/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Each volunteer's choice of emails ("Mes notifications").
    path("admin/mes-notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("search.urls")),
    path("", include("photos.urls")),
    path("", include("takedowns.urls")),
    path("", include("articles.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve_media,
        )
    ]
