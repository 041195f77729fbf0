"""Accounts and roles in the admin.

Django's own UserAdmin lets whoever may change users tick "superuser" and grant any
raw permission, to their own account as well. Here the editor-in-chief manages
accounts (create, deactivate, reset a password, set name and email) and the three
editorial roles only. Everything that gives more than a role (superuser and staff
status, raw permissions, other groups, the groups' own permissions) and deleting an
account are a superuser's. Nobody changes their own roles or status, and an account
holding more than the roles (a superuser's, for one) is a superuser's to change.

These rules are kept on the server: the fields are left out of the forms, and a
POST that carries a rights field the form does not offer, or a group that is not a
role, is refused (403) before anything is saved. The table in ``docs/roles.md``
lists what each role may do; ``tests/security/test_roles.py`` checks it."""

import json
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth import views as auth_views
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import Case, When
from django.urls import reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# The admin speaks in the magazine's name, never in Django's.
admin.site.site_header = settings.SITE_NAME
admin.site.site_title = _("Rédaction de %(site)s") % {"site": settings.SITE_NAME}
admin.site.index_title = _("Tableau de bord")


class FrenchTitles:
    """ModelAdmin mixin: page titles and buttons that read right in French.

    Django's French catalog builds them from the model's name alone ("Ajout de
    %s", "Ajouter %(name)s", "Ajouter un objet %s supplémentaire"), which gives
    "Ajout de article" or "Ajouter photo". An admin using this mixin states its
    own phrases, so gender and elision are right ("Ajouter une photo", "Modifier
    l'article"); the list page is titled with the plural name."""

    add_title = _("Ajouter")
    change_title = _("Modifier")
    view_title = _("Consulter")
    # The inline's "add another" link, on inlines (see ``get_inline_formsets``).
    add_another = None

    def changelist_view(self, request, extra_context=None):
        title = capfirst(self.opts.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            context["title"] = self.add_title
        elif self.has_change_permission(request, obj):
            context["title"] = self.change_title
        else:
            context["title"] = self.view_title
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        wrappers = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for wrapper in wrappers:
            add_another = getattr(wrapper.opts, "add_another", None)
            if add_another:
                data = json.loads(wrapper.inline_formset_data())
                data["options"]["addText"] = str(add_another)
                wrapper.inline_formset_data = partial(json.dumps, data, ensure_ascii=False)
        return wrappers


# The editorial roles (groups made by articles/migrations/0005_editorial_roles).
ROLES = ("Rédacteur", "Éditeur", "Rédacteur en chef")
# The roles that write articles, and so sign them (an author profile each).
WRITING_ROLES = ROLES
# The fields that carry rights: who holds them decides what an account may do.
RIGHTS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")

ADD_FIELDSETS = (
    (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1",
                                             "password2")}),
    (_("Identité"), {"fields": ("first_name", "last_name", "email")}),
    (_("Rôle"), {"fields": ("groups",)}),
)  # fmt: skip
ROLE_FIELDSETS = (
    (None, {"fields": ("username", "password")}),
    (_("Identité"), {"fields": ("first_name", "last_name", "email")}),
    (_("Rôle et accès"), {"fields": ("is_active", "groups")}),
    (_("Dates"), {"fields": ("last_login", "date_joined")}),
)
OWN_FIELDSETS = tuple(
    (name, {**options, "description": _(
        "Vos rôles et votre accès ne peuvent être changés que par un autre "
        "rédacteur en chef ou un superutilisateur.")})
    if "groups" in options["fields"] else (name, options)
    for name, options in ROLE_FIELDSETS
)  # fmt: skip
ROLES_HELP = _(
    "Rédacteur : écrit et modifie ses brouillons. Éditeur : relit, publie, gère "
    "rubriques, auteurs, genres et anciennes adresses. Rédacteur en chef : en plus, "
    "les comptes et les demandes des ayants droit."
)


def beyond_roles(user) -> bool:
    """Whether an account holds more than the editorial roles give."""
    return (
        user.is_superuser
        or user.user_permissions.exists()
        or user.groups.exclude(name__in=ROLES).exists()
    )


def role_groups():
    """The three role groups, in the order of the workflow."""
    order = Case(*(When(name=name, then=rank) for rank, name in enumerate(ROLES)))
    return Group.objects.filter(name__in=ROLES).order_by(order)


def is_self(request, obj) -> bool:
    return obj is not None and obj.pk == request.user.pk


class AccountAdmin(FrenchTitles, UserAdmin):
    """Django's UserAdmin, narrowed to accounts and roles for non-superusers."""

    add_title = _("Créer un compte")
    change_title = _("Modifier le compte")
    view_title = _("Consulter le compte")

    add_fieldsets = ADD_FIELDSETS
    list_display = ["username", "first_name", "last_name", "email", "is_active", "roles"]
    list_filter = ["is_active", "groups", "is_superuser"]

    @admin.display(description=_("rôles"))
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ADD_FIELDSETS
        if not request.user.is_superuser:
            return OWN_FIELDSETS if is_self(request, obj) else ROLE_FIELDSETS
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return ()
        if is_self(request, obj):
            return ("is_active", "groups", "last_login", "date_joined")
        return ("last_login", "date_joined")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups":
            kwargs["help_text"] = ROLES_HELP
            if not request.user.is_superuser:
                kwargs["queryset"] = role_groups()
                kwargs["widget"] = forms.CheckboxSelectMultiple
                kwargs["label"] = _("Rôles")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or request.user.is_superuser:
            return allowed
        return allowed and not beyond_roles(obj)

    def has_delete_permission(self, request, obj=None):
        # The chief deactivates accounts; deleting one (and its history) is a superuser's.
        return request.user.is_superuser

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id)) if object_id else None
            self.refuse_rights_not_offered(request, obj)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def refuse_rights_not_offered(self, request, obj):
        """A POST may only set the rights fields its form offers, and only roles."""
        offered = set(flatten_fieldsets(self.get_fieldsets(request, obj)))
        offered -= set(self.get_readonly_fields(request, obj))
        posted = {name for name in RIGHTS if name in request.POST}
        if posted - offered:
            raise PermissionDenied(_("Vous ne pouvez pas attribuer ces droits."))
        if request.user.is_superuser:
            return
        ids = [value for value in request.POST.getlist("groups") if value.isdigit()]
        if Group.objects.filter(pk__in=ids).exclude(name__in=ROLES).exists():
            raise PermissionDenied(_("Seuls les trois rôles de la rédaction peuvent être donnés."))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.is_staff = True  # an account exists here to log into the admin
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if user.groups.filter(name__in=WRITING_ROLES).exists():
            # Whoever writes signs: the author profile comes with the account.
            from articles.models import Author

            Author.for_user(user)


class RoleGroupAdmin(FrenchTitles, GroupAdmin):
    """Groups are the roles: their permissions follow the migrations and
    docs/roles.md; only a superuser may change them or add groups."""

    add_title = _("Ajouter un groupe")
    change_title = _("Modifier le groupe")
    view_title = _("Consulter le groupe")

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.register(User, AccountAdmin)
admin.site.register(Group, RoleGroupAdmin)


class PasswordResetView(auth_views.PasswordResetView):
    """A volunteer who forgot their password asks for a link by email (the login
    page links here). The link is built on ``SITE_URL`` and the magazine's name,
    never on the address the request came with; whether the address is known is
    never told."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        from config.site_url import site_url

        self.extra_email_context = {
            "site_name": settings.SITE_NAME,
            "site_url": site_url(self.request),
        }
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"

    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}
