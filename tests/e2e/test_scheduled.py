"""A reader searches for an article scheduled a few seconds ahead: not found before
its time, found after it, with no command run (only the web server)."""

import datetime
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.screens import shoot
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)
TITLE = "Le phare des Glénans"


def test_scheduled_article_is_found_by_search_at_its_time(live_server, page):
    at = timezone.now() + datetime.timedelta(seconds=4)
    ArticleFactory(title=TITLE, status=Article.Status.SCHEDULED, published_at=at)
    hits = page.locator(".hit", has_text=TITLE)

    page.goto(live_server.url + "/recherche/?q=Gl%C3%A9nans")
    expect(page.locator("#search-q")).to_have_value("Glénans")
    expect(hits).to_have_count(0)

    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + 0.5)
    page.reload()
    expect(hits).to_have_count(1)
    shoot(page, "timely-scheduled-search")
