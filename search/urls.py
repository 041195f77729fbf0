from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("recherche/", views.search_page, name="page"),
]

# Outside the language prefix: other tools read them at fixed addresses.
api_urlpatterns = [
    path("api/search/", views.api_search, name="search"),
    path("api/search/suggest/", views.api_autocomplete, name="suggest"),
    path("api/photos/search/", views.api_photos_search, name="photos"),
]
