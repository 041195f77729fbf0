"""The workflow panel of the article change form: the article's state in words,
its next steps and the buttons ("Enregistrer et soumettre", "Enregistrer et
publier", "Programmer", "Renvoyer en brouillon", "Dépublier").

The buttons submit the change form itself, with ``_transition=<action>``: the
article is saved first, through the form and its checks (the optimistic lock on
``Article.version`` included), then its state changes, in the admin's
transaction. A form that does not validate is shown again with what was typed
and the state stays as it was: a button never drops an edit. What a step needs
is checked with the form, before anything is saved: a date in the future to
schedule, a comment of at most 500 characters to send back, and for
"Dépublier" the confirmation ``_confirm=unpublish`` (given by the panel's
dialog, or by its checkbox without JavaScript).

``<pk>/transition/<action>/`` changes the state alone, for those who see the
buttons without being allowed to edit the text (and for scripts)."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import workflow
from articles.forms import PublishForm
from articles.models import Article

Status = Article.Status
TRANSITION_FIELD = "_transition"
NOTE_FIELD = "_note"
CONFIRM_FIELD = "_confirm"
NOTE_LENGTH = 500


@dataclass(frozen=True)
class Transition:
    name: Promise  # the step, in messages ("« Publier » : fait.")
    label: Promise  # the button
    run: object  # (article, user, values) -> Article


TRANSITIONS = {
    "submit": Transition(
        gettext_lazy("Soumettre à la relecture"),
        gettext_lazy("Enregistrer et soumettre"),
        lambda article, user, values: workflow.submit_for_review(article=article, by=user),
    ),
    "publish": Transition(
        gettext_lazy("Publier"),
        gettext_lazy("Enregistrer et publier"),
        lambda article, user, values: workflow.publish(article=article, by=user, at=values["at"]),
    ),
    "schedule": Transition(
        gettext_lazy("Programmer"),
        gettext_lazy("Programmer"),
        lambda article, user, values: workflow.publish(article=article, by=user, at=values["at"]),
    ),
    "return": Transition(
        gettext_lazy("Renvoyer en brouillon"),
        gettext_lazy("Renvoyer en brouillon"),
        lambda article, user, values: workflow.return_to_draft(
            article=article, by=user, note=values["note"]
        ),
    ),
    "unpublish": Transition(
        gettext_lazy("Dépublier"),
        gettext_lazy("Dépublier"),
        lambda article, user, values: workflow.unpublish(article=article, by=user),
    ),
}


def available(user, article: Article) -> list[str]:
    """The steps ``user`` may take from the state editors see."""
    status = article.shown_status  # a scheduled article is published from its time on
    editor = workflow.can_publish(user)
    allowed = {
        "submit": status == Status.DRAFT and workflow.can_edit(user, article),
        "publish": editor and status != Status.PUBLISHED,
        "schedule": editor and status != Status.PUBLISHED,
        "return": editor and status in (Status.REVIEW, Status.SCHEDULED),
        "unpublish": editor and status in (Status.PUBLISHED, Status.SCHEDULED),
    }
    return [name for name, ok in allowed.items() if ok]


def step_problems(action: str, data, at, *, confirm=True) -> list[tuple[str | None, str]]:
    """What stops ``action`` before anything is saved: (field or None, message).
    ``confirm``: whether "Dépublier" needs ``_confirm`` (the change form's does)."""
    problems = []
    if action == "schedule":
        if at is None:
            problems.append(("at", _("Indiquez la date et l'heure de parution.")))
        elif at <= timezone.now():
            past = _("Cette date est passée : pour publier maintenant, « Enregistrer et publier ».")
            problems.append(("at", past))
    if action == "return" and len(data.get(NOTE_FIELD, "").strip()) > NOTE_LENGTH:
        too_long = _("Le commentaire dépasse %(n)d caractères : raccourcissez-le.")
        problems.append((None, too_long % {"n": NOTE_LENGTH}))
    if confirm and action == "unpublish" and data.get(CONFIRM_FIELD) != "unpublish":
        problems.append(
            (None, _("Confirmez la dépublication : l'article n'a pas été dépublié ni enregistré."))
        )
    return problems


def with_step_checks(form_class, action: str):
    """The change form, checking what ``action`` needs as well."""

    def clean(self):
        cleaned = super(checked, self).clean()
        if "at" not in self.errors:
            for field, message in step_problems(action, self.data, cleaned.get("at")):
                self.add_error(field, message)
        return cleaned

    checked = type(form_class.__name__, (form_class,), {"clean": clean})
    return checked


class WorkflowButtons:
    """ModelAdmin mixin: the workflow panel, saving before it changes the state."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        action = request.POST.get(TRANSITION_FIELD) if request.method == "POST" else None
        return with_step_checks(form, action) if action in TRANSITIONS else form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None or add:
            # A new article is a draft to be: submitted or published in the same click.
            article = obj if obj is not None else Article(status=Status.DRAFT)
            editable = add or self.has_change_permission(request, obj)
            context["workflow"] = panel(request.user, article, editable=editable)
            # A form shown again keeps the comment typed for "Renvoyer en brouillon".
            context["workflow"]["note"] = request.POST.get(NOTE_FIELD, "")
        action = request.POST.get(TRANSITION_FIELD) if request.method == "POST" else None
        if action in TRANSITIONS:  # the form did not validate: nothing was saved or changed
            self.message_user(request, not_done_message(action), messages.ERROR)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def available_transitions(self, user, article):
        return [(name, TRANSITIONS[name].label) for name in available(user, article)]

    def response_add(self, request, obj, post_url_continue=None):
        if request.POST.get(TRANSITION_FIELD) is None:
            return super().response_add(request, obj, post_url_continue)
        return self.response_change(request, obj)

    def response_change(self, request, obj):
        action = request.POST.get(TRANSITION_FIELD)
        if action is None:
            return super().response_change(request, obj)
        if action not in available(request.user, obj):
            raise PermissionDenied  # inside the admin's transaction: the save is undone
        # The change form validated the same ``at`` field (ArticleAdminForm).
        form = PublishForm(request.POST)
        form.is_valid()
        self.apply_transition(request, obj, action, values(request, form), saved=True)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def transition_view(self, request, pk, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in TRANSITIONS:
            raise Http404
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        if action != "submit" and not workflow.can_publish(request.user):
            raise PermissionDenied  # before saying what the step would need
        form = PublishForm(request.POST)
        if not form.is_valid():
            self.message_user(request, _("Date de programmation invalide."), messages.ERROR)
        elif problems := step_problems(
            action, request.POST, form.cleaned_data["at"], confirm=False
        ):
            self.message_user(request, problems[0][1], messages.ERROR)
        else:
            self.apply_transition(request, article, action, values(request, form))
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    def apply_transition(self, request, article, action, values, *, saved=False):
        step = TRANSITIONS[action]
        try:
            article = step.run(article, request.user, values)
        except workflow.TransitionError as error:
            refused = str(error)
            if saved:
                refused = _(
                    "Modifications enregistrées, mais « %(action)s » a été refusé : %(reason)s"
                ) % {"action": step.name, "reason": error}
            self.message_user(request, refused, messages.ERROR)
        else:
            if action == "publish" and article.status == Status.SCHEDULED:
                step = TRANSITIONS["schedule"]  # "Publier" with a date to come schedules
            done = _("« %(action)s » : fait.") % {"action": step.name}
            if saved:
                done = _("Modifications enregistrées. %(done)s") % {"done": done}
            self.message_user(request, done, messages.SUCCESS)


def values(request, form) -> dict:
    return {
        "at": form.cleaned_data.get("at") if form.is_valid() else None,
        "note": request.POST.get(NOTE_FIELD, "").strip()[:NOTE_LENGTH],
    }


def not_done_message(action: str) -> str:
    return _(
        "« %(action)s » n'a pas été fait : rien n'a été enregistré. Corrigez les erreurs "
        "ci-dessous, votre texte est conservé dans le formulaire."
    ) % {"action": TRANSITIONS[action].name}


# The panel's words ------------------------------------------------------------------

NEXT_STEPS = {
    # (state, may publish): what comes next, as the panel says it
    (Status.DRAFT, False): gettext_lazy(
        "Quand il est prêt, soumettez-le à la relecture : un éditeur le publiera ou "
        "vous le renverra avec un commentaire."
    ),
    (Status.DRAFT, True): gettext_lazy(
        "Soumettez-le à la relecture d'un collègue, ou publiez-le ou programmez-le."
    ),
    (Status.REVIEW, False): gettext_lazy(
        "Un éditeur va le relire, puis le publier ou vous le renvoyer avec un "
        "commentaire. D'ici là, il n'est plus modifiable."
    ),
    (Status.REVIEW, True): gettext_lazy(
        "Relisez-le, puis publiez-le, programmez-le ou renvoyez-le en brouillon avec un "
        "commentaire pour son auteur."
    ),
    (Status.SCHEDULED, False): gettext_lazy("Il paraîtra de lui-même à l'heure dite."),
    (Status.SCHEDULED, True): gettext_lazy(
        "Il paraîtra de lui-même à l'heure dite. Vous pouvez changer la date, le publier "
        "tout de suite, le renvoyer en brouillon ou le dépublier."
    ),
    (Status.PUBLISHED, False): gettext_lazy("Il est en ligne."),
    (Status.PUBLISHED, True): gettext_lazy(
        "Il est en ligne : chaque modification enregistrée paraît aussitôt. "
        "« Dépublier » le retire du site."
    ),
    (Status.ARCHIVED, False): gettext_lazy("Les lecteurs ne le voient plus."),
    (Status.ARCHIVED, True): gettext_lazy(
        "Les lecteurs ne le voient plus. Vous pouvez le republier (il garde son adresse) "
        "ou le programmer."
    ),
}


def when(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def state_sentence(article: Article) -> str:
    status = article.shown_status
    if status == Status.SCHEDULED:
        return _("Programmé : paraîtra le %(when)s.") % {"when": when(article.published_at)}
    if status == Status.PUBLISHED and article.published_at:
        return _("Publié le %(when)s.") % {"when": when(article.published_at)}
    return ""


def last_step(event) -> str:
    if event is None:
        return ""
    return _("Dernière étape : %(step)s par %(who)s le %(when)s.") % {
        "step": workflow.action_label(event.action),
        "who": workflow.display_name(event.actor),
        "when": when(event.at),
    }


def returned(article: Article, event) -> dict | None:
    """The editor's word to the writer, while the draft sent back is theirs again."""
    if event is None or event.action != "return" or article.status != Status.DRAFT:
        return None
    return {"who": workflow.display_name(event.actor), "when": when(event.at), "note": event.note}


def panel(user, article: Article, *, editable: bool) -> dict:
    """What the panel shows ``user``: the state, what comes next, the buttons
    (which save the change form first, or, for those who may not edit the text,
    post to the transition URL)."""
    event = article.events.select_related("actor").first() if article.pk else None
    actions = available(user, article)
    buttons = {
        name: {
            "label": TRANSITIONS[name].label,
            "formaction": ""
            if editable
            else reverse("admin:articles_article_transition", args=[article.pk, name]),
        }
        for name in actions
    }
    return {
        "state": article.get_shown_status_display(),
        "state_sentence": state_sentence(article),
        "next_steps": NEXT_STEPS.get((article.shown_status, workflow.can_publish(user)), ""),
        "returned": returned(article, event),
        "last_step": "" if returned(article, event) else last_step(event),
        "actions": actions,
        "buttons": buttons,
        "note_length": NOTE_LENGTH,
    }
