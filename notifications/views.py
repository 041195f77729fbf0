from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from notifications import services
from notifications.forms import SettingsForm
from notifications.models import NotificationSettings


@require_http_methods(["GET", "POST"])
def my_settings(request):
    """The "Mes notifications" page: the account's own choices, and nobody else's (the
    page takes no account in its address or its form)."""
    row = NotificationSettings.objects.filter(user=request.user).first()
    form = SettingsForm(request.POST or None, instance=row, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.save_settings(user=request.user, values=form.cleaned_data)
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("notifications:settings")
    context = {
        **admin.site.each_context(request),
        "title": _("Mes notifications"),
        "form": form,
        "email": request.user.email,
    }
    return TemplateResponse(request, "notifications/settings.html", context)
