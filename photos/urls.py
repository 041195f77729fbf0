from django.urls import path

from photos import views

app_name = "photos"

urlpatterns = [
    path("droits-photos/", views.PhotoRightsView.as_view(), name="rights"),
]
