"""The workflow buttons of the article change form ("Soumettre à la relecture",
"Publier"…). They submit the change form itself, with ``_transition=<action>``:
the article is saved first, through the form and its checks (the optimistic
lock on ``Article.version`` included), then its state changes, in the admin's
transaction. A form that does not validate is shown again with what was typed
and the state stays as it was: a button never drops an edit.

``<pk>/transition/<action>/`` changes the state alone, for those who see the
buttons without being allowed to edit the text (and for scripts)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import workflow
from articles.forms import PublishForm
from articles.models import Article

TRANSITIONS = {
    "submit": (
        gettext_lazy("Soumettre à la relecture"),
        lambda article, user, form: workflow.submit_for_review(article=article, by=user),
    ),
    "publish": (
        gettext_lazy("Publier"),
        lambda article, user, form: workflow.publish(
            article=article, by=user, at=form.cleaned_data["at"]
        ),
    ),
    "return": (
        gettext_lazy("Renvoyer en brouillon"),
        lambda article, user, form: workflow.return_to_draft(article=article, by=user),
    ),
    "unpublish": (
        gettext_lazy("Dépublier"),
        lambda article, user, form: workflow.unpublish(article=article, by=user),
    ),
}
TRANSITION_FIELD = "_transition"


class WorkflowButtons:
    """ModelAdmin mixin: the workflow buttons, saving before they change the state."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["transitions"] = self.available_transitions(request.user, obj)
            context["publish_form"] = PublishForm()
        action = request.POST.get(TRANSITION_FIELD) if request.method == "POST" else None
        if action in TRANSITIONS:  # the form did not validate: nothing was saved or changed
            self.message_user(request, not_done_message(action), messages.ERROR)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def available_transitions(self, user, article):
        status = article.shown_status  # a scheduled article is published from its time on
        allowed = {
            "submit": status == Article.Status.DRAFT and workflow.can_edit(user, article),
            "publish": workflow.can_publish(user) and status != Article.Status.PUBLISHED,
            "return": workflow.can_publish(user)
            and status in (Article.Status.REVIEW, Article.Status.SCHEDULED),
            "unpublish": workflow.can_publish(user)
            and status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED),
        }
        return [(name, TRANSITIONS[name][0]) for name, ok in allowed.items() if ok]

    def response_change(self, request, obj):
        action = request.POST.get(TRANSITION_FIELD)
        if action is None:
            return super().response_change(request, obj)
        if action not in dict(self.available_transitions(request.user, obj)):
            raise PermissionDenied  # inside the admin's transaction: the save is undone
        # The change form validated the same ``at`` field (ArticleAdminForm).
        form = PublishForm(request.POST)
        form.is_valid()
        self.apply_transition(request, obj, action, form, saved=True)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def transition_view(self, request, pk, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in TRANSITIONS:
            raise Http404
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        form = PublishForm(request.POST)
        if not form.is_valid():
            self.message_user(request, _("Date de programmation invalide."), messages.ERROR)
        else:
            self.apply_transition(request, article, action, form)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    def apply_transition(self, request, article, action, form, *, saved=False):
        label, run = TRANSITIONS[action]
        try:
            run(article, request.user, form)
        except workflow.TransitionError as error:
            refused = str(error)
            if saved:
                refused = _(
                    "Modifications enregistrées, mais « %(action)s » a été refusé : %(reason)s"
                ) % {"action": label, "reason": error}
            self.message_user(request, refused, messages.ERROR)
        else:
            done = _("« %(action)s » : fait.") % {"action": label}
            if saved:
                done = _("Modifications enregistrées. %(done)s") % {"done": done}
            self.message_user(request, done, messages.SUCCESS)


def not_done_message(action: str) -> str:
    return _(
        "« %(action)s » n'a pas été fait : rien n'a été enregistré. Corrigez les erreurs "
        "ci-dessous, votre texte est conservé dans le formulaire."
    ) % {"action": TRANSITIONS[action][0]}
