from django.urls import path

from takedowns import views

app_name = "takedowns"

urlpatterns = [
    path("signaler-une-photo/", views.NoticeView.as_view(), name="notice"),
    path("signaler-une-photo/retrouver/", views.LookupView.as_view(), name="lookup"),
    path("signaler-une-photo/envoyee/", views.SentView.as_view(), name="sent"),
    path(
        "signaler-une-photo/confirmer/<str:signature>/",
        views.ConfirmView.as_view(),
        name="confirm",
    ),
    path("signaler-une-photo/suivi/<str:token>/", views.TrackingView.as_view(), name="tracking"),
    path("droits-photos/transparence/", views.TransparencyView.as_view(), name="transparency"),
    path("droits-photos/transparence.csv", views.transparency_csv, name="transparency-csv"),
    path("droits-photos/donnees-personnelles/", views.PrivacyView.as_view(), name="privacy"),
]
