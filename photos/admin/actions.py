"""The photo list's actions: a credit given to a selection, hiding, showing
again and withdrawing (the last three for editors only), with their
confirmation pages."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from photos import services
from photos.forms import BulkCreditForm, WithdrawForm


class PhotoActions:
    """The actions of ``PhotoAdmin`` (a mixin of it)."""

    def _intermediate(self, request, queryset, template, form, action, title):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "queryset": queryset,
            "form": form,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, template, context)

    def has_moderate_permission(self, request):
        """Hiding, showing again and withdrawing are editors' decisions, not writers'."""
        return request.user.has_perm("photos.delete_photo")

    @admin.action(description=gettext_lazy("Modifier le crédit des photos sélectionnées"))
    def edit_credits(self, request, queryset):
        form = BulkCreditForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            count = services.update_credits(
                photos=list(queryset),
                credit=data["credit"],
                photographer=data["photographer"] or None,
                agency=data["agency"] or None,
            )
            for photo in queryset:
                self.log_change(request, photo, _("Crédit modifié : %s") % data["credit"])
            self.message_user(
                request,
                ngettext("Crédit modifié pour %d photo.", "Crédit modifié pour %d photos.", count)
                % count,
                messages.SUCCESS,
            )
            return None
        return self._intermediate(
            request,
            queryset,
            "admin/photos/photo/bulk_credit.html",
            form,
            "edit_credits",
            _("Modifier le crédit"),
        )

    @admin.action(
        description=gettext_lazy("Masquer les photos sélectionnées"), permissions=["moderate"]
    )
    def hide(self, request, queryset):
        for photo in queryset:
            services.hide_photo(photo=photo, by=request.user)
            self.log_change(request, photo, _("Photo masquée."))
        self.message_user(request, _("Photos masquées : %d.") % len(queryset), messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Remontrer les photos sélectionnées"), permissions=["moderate"]
    )
    def unhide(self, request, queryset):
        shown = 0
        for photo in queryset:
            try:
                services.unhide_photo(photo=photo, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
                continue
            shown += 1
            self.log_change(request, photo, _("Photo remontrée."))
        self.message_user(request, _("Photos remontrées : %d.") % shown, messages.SUCCESS)

    @admin.action(
        description=gettext_lazy("Retirer définitivement les photos sélectionnées"),
        permissions=["moderate"],
    )
    def withdraw(self, request, queryset):
        form = WithdrawForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            for photo in queryset:
                services.withdraw_photo(photo=photo, by=request.user, reason=reason)
                self.log_change(request, photo, _("Photo retirée : %s") % reason)
            self.message_user(request, _("Photos retirées : %d.") % len(queryset), messages.SUCCESS)
            return None
        return self._intermediate(
            request,
            queryset,
            "admin/photos/photo/withdraw_confirm.html",
            form,
            "withdraw",
            _("Retirer des photos"),
        )
