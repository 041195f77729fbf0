from django.contrib import admin
from django.urls import path

from notifications import views

app_name = "notifications"

# Under /admin/ (config/urls.py), behind the admin's login: staff accounts only.
urlpatterns = [
    path("", admin.site.admin_view(views.my_settings), name="settings"),
]
