from django.contrib import admin

from photos.models import Photo


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "credit", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "caption", "credit", "alt_text"]
