"""What each role may do: the table in docs/roles.md, checked against the code.

The table's permissions are compared with the groups' real ``Permission`` rows
(as the migrations leave them), and every permission a role holds must be in the
table. Its account rules (``rule:...``) are checked by behaviour: for each role,
one request through the admin, which must take effect where the table says "yes"
and change nothing where it says "no". The last tests show the account form as
the editor-in-chief sees it and the refusals of forged fields."""

import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.urls import reverse
from django.utils import timezone

from tests.factories import CHIEF, EDITOR, WRITER, UserFactory, ensure_roles

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).resolve().parents[2] / "docs" / "roles.md"
ANONYMOUS, SUPERUSER = "anonyme", "superutilisateur"
COLUMNS = [ANONYMOUS, WRITER, EDITOR, CHIEF, SUPERUSER]
PASSWORD = "Nouveau-mot-2-passe!"


@dataclass(frozen=True)
class Row:
    what: str
    permissions: tuple
    rules: tuple
    allowed: dict  # column -> bool


def read_table() -> list[Row]:
    lines = [line.strip() for line in TABLE.read_text(encoding="utf-8").splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("| area |"))
    header = [cell.strip() for cell in lines[start].strip("|").split("|")]
    assert header[3:] == COLUMNS, header
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        area, what, checked, *answers = (cell.strip() for cell in line.strip("|").split("|"))
        assert set(answers) <= {"yes", "no"} and len(answers) == len(COLUMNS), line
        tokens = re.findall(r"`([^`]+)`", checked)
        assert tokens, f"row without a check: {line}"
        rows.append(
            Row(
                what=f"{area}: {what}",
                permissions=tuple(t for t in tokens if not t.startswith("rule:")),
                rules=tuple(t.removeprefix("rule:") for t in tokens if t.startswith("rule:")),
                allowed=dict(zip(COLUMNS, (a == "yes" for a in answers), strict=True)),
            )
        )
    return rows


ROWS = read_table()


# The table against the groups' permissions ---------------------------------------


def test_table_permissions_are_the_roles_permissions():
    ensure_roles()
    wrong = []
    for role in (WRITER, EDITOR, CHIEF):
        permissions = Group.objects.get(name=role).permissions.select_related("content_type")
        held = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
        for row in ROWS:
            has = [code in held for code in row.permissions]
            if has != [row.allowed[role]] * len(has):
                wrong.append(f"{role} / {row.what}")
    assert wrong == []


def test_every_permission_a_role_holds_is_in_the_table():
    ensure_roles()
    listed = {code for row in ROWS for code in row.permissions}
    held = Permission.objects.filter(group__name__in=[WRITER, EDITOR, CHIEF]).distinct()
    codes = {
        f"{p.content_type.app_label}.{p.codename}" for p in held.select_related("content_type")
    }
    assert sorted(codes - listed) == []
    known = {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.all()}
    assert sorted(listed - known) == []  # no typo in the table


def test_anonymous_and_superuser_columns():
    root = UserFactory(username="racine", is_superuser=True)
    for row in ROWS:
        assert row.allowed[SUPERUSER] and not row.allowed[ANONYMOUS], row.what
        for code in row.permissions:
            assert root.has_perm(code) and not AnonymousUser().has_perm(code), code


# The account rules, by behaviour ---------------------------------------------------


def _group(name):
    return Group.objects.get(name=name)


def account_form(actor, user, **changes):
    """The change form of ``user`` as ``actor`` posts it: a superuser's form has
    every field, the chief's the identity, "actif" and the roles."""
    data = {"username": user.username, "first_name": user.first_name,
            "last_name": user.last_name, "email": user.email,
            "groups": [g.pk for g in user.groups.all()],
            "is_active": "on" if user.is_active else None}  # fmt: skip
    if actor is not None and actor.is_superuser:
        joined = timezone.localtime(user.date_joined)
        data.update(is_staff="on" if user.is_staff else None,
                    is_superuser="on" if user.is_superuser else None,
                    user_permissions=[p.pk for p in user.user_permissions.all()],
                    date_joined_0=joined.strftime("%Y-%m-%d"),
                    date_joined_1=joined.strftime("%H:%M:%S"))  # fmt: skip
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _change(client, ctx, user, **changes):
    url = reverse("admin:auth_user_change", args=[user.pk])
    return client.post(url, account_form(ctx.actor, user, **changes))


def _fresh(user):
    return User.objects.filter(pk=user.pk).first()


def _decide():
    return Permission.objects.get(codename="decide_notice")


def _create(client, ctx):
    return client.post(reverse("admin:auth_user_add"), {
        "username": "nouvelle", "first_name": "Nouvelle", "usable_password": "true",
        "password1": PASSWORD, "password2": PASSWORD, "groups": [_group(WRITER).pk]})  # fmt: skip


def _reset(client, ctx):
    url = reverse("admin:auth_user_password_change", args=[ctx.target.pk])
    return client.post(
        url, {"usable_password": "true", "password1": PASSWORD, "password2": PASSWORD}
    )


def _own_rights(client, ctx):
    own = ctx.actor or ctx.target
    return _change(client, ctx, own, groups=[*own.groups.values_list("pk", flat=True),
                                             ctx.other_group.pk])  # fmt: skip


def _change_group(client, ctx):
    group = _group(WRITER)
    permissions = [*group.permissions.values_list("pk", flat=True), _decide().pk]
    url = reverse("admin:auth_group_change", args=[group.pk])
    return client.post(url, {"name": group.name, "permissions": permissions})


# rule -> (the one request, did it take effect?)
RULES = {
    "create-account": (
        _create,
        lambda ctx: User.objects.filter(
            username="nouvelle", is_staff=True, groups__name=WRITER
        ).exists(),
    ),
    "deactivate-account": (
        lambda c, ctx: _change(c, ctx, ctx.target, is_active=None),
        lambda ctx: not _fresh(ctx.target).is_active,
    ),
    "reset-password": (_reset, lambda ctx: _fresh(ctx.target).check_password(PASSWORD)),
    "set-identity": (
        lambda c, ctx: _change(c, ctx, ctx.target, first_name="Renommée", email="r@example.org"),
        lambda ctx: _fresh(ctx.target).first_name == "Renommée",
    ),
    "assign-role": (
        lambda c, ctx: _change(c, ctx, ctx.target, groups=[_group(EDITOR).pk]),
        lambda ctx: list(_fresh(ctx.target).groups.values_list("name", flat=True)) == [EDITOR],
    ),
    "assign-other-group": (
        lambda c, ctx: _change(
            c, ctx, ctx.target, groups=[_group(WRITER).pk, ctx.other_group.pk]
        ),  # fmt: skip
        lambda ctx: _fresh(ctx.target).groups.filter(pk=ctx.other_group.pk).exists(),
    ),
    "make-superuser": (
        lambda c, ctx: _change(c, ctx, ctx.target, is_superuser="on"),
        lambda ctx: _fresh(ctx.target).is_superuser,
    ),
    "grant-permissions": (
        lambda c, ctx: _change(c, ctx, ctx.target, user_permissions=[_decide().pk]),
        lambda ctx: _fresh(ctx.target).user_permissions.exists(),
    ),
    "change-own-rights": (
        _own_rights,
        lambda ctx: (ctx.actor or ctx.target).groups.filter(pk=ctx.other_group.pk).exists(),
    ),
    "change-superuser-account": (
        lambda c, ctx: _change(c, ctx, ctx.root, first_name="Piratée"),
        lambda ctx: _fresh(ctx.root).first_name == "Piratée",
    ),
    "delete-account": (
        lambda c, ctx: c.post(
            reverse("admin:auth_user_delete", args=[ctx.target.pk]), {"post": "yes"}
        ),
        lambda ctx: _fresh(ctx.target) is None,
    ),
    "change-group": (
        _change_group,
        lambda ctx: _group(WRITER).permissions.filter(codename="decide_notice").exists(),
    ),
}
RULE_CASES = [
    pytest.param(rule, column, row.allowed[column], id=f"{column} | {rule}")
    for row in ROWS
    for rule in row.rules
    for column in COLUMNS
]


@pytest.fixture
def people():
    ensure_roles()
    other = Group.objects.create(name="Administrateurs")
    other.permissions.add(*Permission.objects.filter(content_type__app_label="auth"))
    return SimpleNamespace(
        actors={
            ANONYMOUS: None,
            WRITER: UserFactory(username="redactrice", role=WRITER),
            EDITOR: UserFactory(username="editeur", role=EDITOR),
            CHIEF: UserFactory(username="cheffe", role=CHIEF),
            SUPERUSER: UserFactory(username="admin", is_superuser=True),
        },
        target=UserFactory(username="cible", first_name="Cible", role=WRITER),
        root=UserFactory(username="racine", first_name="Racine", is_superuser=True),
        other_group=other,
    )


def test_every_rule_of_the_table_is_checked():
    assert sorted({rule for row in ROWS for rule in row.rules}) == sorted(RULES)


@pytest.mark.parametrize(("rule", "column", "allowed"), RULE_CASES)
def test_account_rule(client, people, rule, column, allowed):
    ctx = SimpleNamespace(**vars(people), actor=people.actors[column])
    if ctx.actor is not None:
        client.force_login(ctx.actor)
    request, took_effect = RULES[rule]
    logged = LogEntry.objects.count()
    response = request(client, ctx)
    assert response.status_code < 500
    assert took_effect(ctx) is allowed, response.status_code
    if not allowed:
        assert LogEntry.objects.count() == logged
        if column == ANONYMOUS:
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        elif column in (CHIEF, SUPERUSER):
            assert response.status_code == 403


# The account form as the chief sees it ---------------------------------------------


def _page(client, user):
    return client.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()


def test_chief_form_offers_the_three_roles_and_no_rights_beyond(client, people):
    client.force_login(people.actors[CHIEF])
    page = _page(client, people.target)
    for name in ("is_superuser", "is_staff", "user_permissions"):
        assert f'name="{name}"' not in page
    assert page.count('type="checkbox" name="groups"') == 3
    assert 'name="is_active"' in page and "Administrateurs" not in page


def test_chief_own_account_shows_roles_read_only_and_saves_identity(client, people):
    chief = people.actors[CHIEF]
    client.force_login(chief)
    page = _page(client, chief)
    assert 'name="groups"' not in page and 'name="is_active"' not in page
    assert CHIEF in page  # the roles, read-only, and why
    assert "ne peuvent être changés que par un autre rédacteur en chef" in page
    data = account_form(chief, chief, first_name="Camille", groups=None, is_active=None)
    response = client.post(reverse("admin:auth_user_change", args=[chief.pk]), data)
    assert response.status_code == 302
    chief.refresh_from_db()
    assert chief.first_name == "Camille" and chief.is_active
    assert list(chief.groups.values_list("name", flat=True)) == [CHIEF]


@pytest.mark.parametrize(
    "forged",
    [
        {"is_superuser": "on"},
        {"is_staff": "on"},
        {"is_active": "on"},
        {"user_permissions": "PERM"},
    ],  # fmt: skip
)
def test_chief_forged_rights_on_own_account_are_refused(client, people, forged):
    chief = people.actors[CHIEF]
    client.force_login(chief)
    forged = {k: (_decide().pk if v == "PERM" else v) for k, v in forged.items()}
    data = account_form(chief, chief, **{"groups": None, "is_active": None, **forged})
    response = client.post(reverse("admin:auth_user_change", args=[chief.pk]), data)
    assert response.status_code == 403
    assert "Vous ne pouvez pas attribuer ces droits." in response.content.decode()
    chief = _fresh(chief)
    assert not chief.is_superuser and not chief.user_permissions.exists()
    assert not LogEntry.objects.exists()


def test_account_created_by_the_chief_is_staff_and_logs_into_the_admin(client, people):
    client.force_login(people.actors[CHIEF])
    response = _create(client, people)
    assert response.status_code == 302
    client.logout()
    assert client.login(username="nouvelle", password=PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200


def test_superuser_account_is_read_only_to_the_chief(client, people):
    client.force_login(people.actors[CHIEF])
    page = _page(client, people.root)
    assert 'name="first_name"' not in page and "Racine" in page
    url = reverse("admin:auth_user_password_change", args=[people.root.pk])
    assert client.get(url).status_code == 403


def test_account_with_more_than_the_roles_is_read_only_to_the_chief(client, people):
    people.target.groups.add(people.other_group)
    client.force_login(people.actors[CHIEF])
    assert 'name="first_name"' not in _page(client, people.target)
    response = _change(client, SimpleNamespace(actor=people.actors[CHIEF]), people.target,
                       groups=[_group(WRITER).pk], first_name="Dépouillée")  # fmt: skip
    assert response.status_code == 403
    assert _fresh(people.target).groups.filter(pk=people.other_group.pk).exists()
