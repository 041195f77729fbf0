"""The photo list's own filters: by the end of the rights, by credit."""

import datetime

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy

from photos.models import site_today


class LicenceFilter(admin.SimpleListFilter):
    title = gettext_lazy("fin des droits")
    parameter_name = "licence"

    def lookups(self, request, model_admin):
        return [
            ("soon", gettext_lazy("dans les 30 jours")),
            ("expired", gettext_lazy("dépassée")),
            ("none", gettext_lazy("sans date de fin")),
        ]

    def queryset(self, request, queryset):
        today = site_today()
        if self.value() == "soon":
            return queryset.filter(
                licence_end__gte=today, licence_end__lte=today + datetime.timedelta(days=30)
            )
        if self.value() == "expired":
            return queryset.licence_expired()
        if self.value() == "none":
            return queryset.filter(licence_end__isnull=True)
        return queryset


class CreditFilter(admin.SimpleListFilter):
    title = gettext_lazy("crédit")
    parameter_name = "credit"

    def lookups(self, request, model_admin):
        return [("missing", gettext_lazy("manquant")), ("present", gettext_lazy("renseigné"))]

    def queryset(self, request, queryset):
        missing = Q(credit="")
        if self.value() == "missing":
            return queryset.filter(missing)
        if self.value() == "present":
            return queryset.exclude(missing)
        return queryset
