from django.urls import path, re_path

from articles import feeds, site_map, views

app_name = "articles"

YEAR, MONTH, DAY = r"(?P<year>[0-9]{4})", r"(?P<month>[0-9]{2})", r"(?P<day>[0-9]{2})"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    re_path(rf"^{YEAR}/$", views.YearArchive.as_view(), name="archive-year"),
    re_path(rf"^{YEAR}/{MONTH}/$", views.MonthArchive.as_view(), name="archive-month"),
    re_path(rf"^{YEAR}/{MONTH}/{DAY}/$", views.DayArchive.as_view(), name="archive-day"),
    re_path(
        rf"^{YEAR}/{MONTH}/{DAY}/(?P<slug>[-a-zA-Z0-9_]+)/$",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("rubriques/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("genres/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("auteurs/", views.AuthorListView.as_view(), name="authors"),
    path("archives/", views.ArchiveIndexView.as_view(), name="archives"),
    path("plan-du-site/", site_map.SiteMapView.as_view(), name="site-map"),
    path("apercu/<int:pk>/", views.PreviewView.as_view(), name="preview"),
    path("auteurs/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("flux/rss/", feeds.LatestRss(), name="feed-rss"),
    path("flux/atom/", feeds.LatestAtom(), name="feed-atom"),
    path("rubriques/<slug:slug>/rss/", feeds.SectionRss(), name="section-rss"),
    path("rubriques/<slug:slug>/atom/", feeds.SectionAtom(), name="section-atom"),
    path("genres/<slug:slug>/rss/", feeds.TagRss(), name="tag-rss"),
    path("genres/<slug:slug>/atom/", feeds.TagAtom(), name="tag-atom"),
]
