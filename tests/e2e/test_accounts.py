"""The editor-in-chief manages a volunteer's account in a browser, on a desktop
screen and on a phone: the three roles as boxes, no superuser box, no raw
permissions; on their own account the roles are shown, not offered.

With ``E2E_SCREENSHOTS=<folder>``, the pages are also saved there as PNGs."""

import pytest
from playwright.sync_api import expect

from tests.e2e.screens import shoot
from tests.e2e.test_editorial import log_in
from tests.factories import CHIEF, WRITER, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_chief_gives_a_role_and_sees_no_superuser_box(live_server, browser, width, height):
    chief = UserFactory(username="cheffe", first_name="Camille", role=CHIEF)
    volunteer = UserFactory(username="benevole", first_name="Jeanne", role=WRITER)
    page = log_in(browser, live_server.url, "cheffe")
    page.set_viewport_size({"width": width, "height": height})

    page.goto(f"{live_server.url}/admin/auth/user/{volunteer.pk}/change/")
    expect(page.locator("input[name=is_superuser]")).to_have_count(0)
    expect(page.locator("[name=user_permissions]")).to_have_count(0)
    expect(page.locator("input[name=groups]")).to_have_count(3)
    shoot(page, f"roles-user-change-{width}")
    page.get_by_label("Éditeur").check()
    page.get_by_label("Rédacteur", exact=True).uncheck()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert [g.name for g in volunteer.groups.all()] == ["Éditeur"]

    page.goto(f"{live_server.url}/admin/auth/user/{chief.pk}/change/")
    expect(page.locator("input[name=groups]")).to_have_count(0)
    expect(page.get_by_text(CHIEF, exact=True).first).to_be_visible()
    shoot(page, f"roles-own-account-{width}")
