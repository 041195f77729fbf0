"""The actions of the decision page: for each, its form and the service it
calls, the states that offer it and its title."""

from django.utils.translation import gettext_lazy

from takedowns import forms, services
from takedowns.models import Notice

Status = Notice.Status


# (form class, service call) for each action of the decision page.
def _photos_kw(form):
    return {"photos": list(form.cleaned_data["photos"])}


ACTIONS = {
    "identity": (
        forms.IdentityCheckForm,
        lambda n, u, f: services.record_identity_check(
            notice=n, by=u, check=f.cleaned_data["check"]
        ),
    ),
    "verify": (
        forms.VerifyForm,
        lambda n, u, f: services.mark_verified(notice=n, by=u, note=f.cleaned_data["note"]),
    ),
    "information": (
        forms.RequestInformationForm,
        lambda n, u, f: services.request_information(
            notice=n, by=u, missing=f.cleaned_data["missing"]
        ),
    ),
    "hide": (
        forms.HideForm,
        lambda n, u, f: services.hide_now(notice=n, by=u, reasons=f.reasons(), **_photos_kw(f)),
    ),
    "withdraw": (
        forms.WithdrawForm,
        lambda n, u, f: services.withdraw(notice=n, by=u, reasons=f.reasons(), **_photos_kw(f)),
    ),
    "credit": (
        forms.CreditForm,
        lambda n, u, f: services.correct_credit(
            notice=n,
            by=u,
            reasons=f.reasons(),
            credit=f.cleaned_data["credit"],
            photographer=f.cleaned_data["photographer"],
            agency=f.cleaned_data["agency"],
            anonymous=f.cleaned_data["anonymous"],
            **_photos_kw(f),
        ),
    ),
    "reject": (
        forms.ReasonsForm,
        lambda n, u, f: services.reject(notice=n, by=u, reasons=f.reasons()),
    ),
    "incomplete": (
        forms.ReasonsForm,
        lambda n, u, f: services.close_incomplete(notice=n, by=u, reasons=f.reasons()),
    ),
    "maintain": (
        forms.ReasonsForm,
        lambda n, u, f: services.maintain_decision(notice=n, by=u, reasons=f.reasons()),
    ),
    "restore": (
        forms.RestoreForm,
        lambda n, u, f: services.restore(notice=n, by=u, reasons=f.reasons(), **_photos_kw(f)),
    ),
    "close": (None, lambda n, u, f: services.close_case(notice=n, by=u)),
}

# Which actions each state offers.
AVAILABLE = {
    Status.NEW: ["identity", "verify", "information", "hide", "withdraw", "credit", "reject"],
    Status.VERIFIED: ["identity", "information", "hide", "withdraw", "credit", "reject"],
    Status.INCOMPLETE: ["identity", "verify", "hide", "reject", "incomplete"],
    Status.UNDER_REVIEW: [
        "identity",
        "information",
        "withdraw",
        "credit",
        "reject",
        "maintain",
        "restore",
    ],
    Status.DECIDED: ["restore", "close"],
}
TITLES = {
    "identity": gettext_lazy("Enregistrer la vérification d'identité"),
    "verify": gettext_lazy("Marquer comme vérifiée (complète)"),
    "information": gettext_lazy("Demander des informations manquantes"),
    "hide": gettext_lazy("Masquer maintenant"),
    "withdraw": gettext_lazy("Retirer"),
    "credit": gettext_lazy("Corriger le crédit"),
    "reject": gettext_lazy("Rejeter"),
    "incomplete": gettext_lazy("Classer faute d'informations"),
    "maintain": gettext_lazy("Maintenir la décision après réexamen"),
    "restore": gettext_lazy("Remettre en ligne (retrait par erreur)"),
    "close": gettext_lazy("Clore le dossier (efface les copies privées)"),
}
