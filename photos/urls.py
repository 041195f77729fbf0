from django.urls import path

from photos import views

app_name = "photos"

urlpatterns = [
    path("droits-photos/", views.PhotoRightsView.as_view(), name="rights"),
    path("photos/credits/", views.CreditIndexView.as_view(), name="credit-index"),
    path("photos/credits/<slug:slug>/", views.CreditDetailView.as_view(), name="credits"),
]
