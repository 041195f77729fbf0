"""Adding several photos at once: the admin page that takes many files with one
credit and rights."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from photos import services
from photos.forms import MultiUploadForm


class SeveralFiles:
    """The « Ajouter plusieurs photos » page of ``PhotoAdmin`` (a mixin of it)."""

    def get_urls(self):
        upload_many = self.admin_site.admin_view(self.upload_many_view)
        return [
            path("ajout-multiple/", upload_many, name="photos_photo_upload_many"),
            *super().get_urls(),
        ]

    def upload_many_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:photos_photo_changelist")
        form = MultiUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            shared = {k: v for k, v in form.cleaned_data.items() if k != "files"}
            for _name, prepared in form.cleaned_data["files"]:
                photo = services.upload_photo(file=prepared, uploaded_by=request.user, **shared)
                self.log_addition(request, photo, _("Ajout multiple."))
            count = len(form.cleaned_data["files"])
            self.message_user(
                request,
                ngettext("%d photo ajoutée.", "%d photos ajoutées.", count) % count,
                messages.SUCCESS,
            )
            return redirect("admin:photos_photo_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Ajouter plusieurs photos"),
            "form": form,
        }
        return TemplateResponse(request, "admin/photos/photo/upload_many.html", context)
