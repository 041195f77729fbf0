"""The admin shows a scheduled article whose time has come as published, as readers
see it: in the list column, the status filter and the change form's status line."""

import datetime
import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import EDITOR, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = Article.Status
AT = datetime.datetime(2026, 5, 4, 11, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)
LIST = "/admin/articles/article/"


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="editeur", role=EDITOR))
    return client


@pytest.fixture
def scheduled(time_machine):
    time_machine.move_to(AT - datetime.timedelta(hours=3), tick=False)
    return ArticleFactory(title="Programmé pour midi", status=Status.SCHEDULED, published_at=AT)


def list_status(client, **filters) -> dict[str, str]:
    html = client.get(LIST, filters).content.decode()
    rows = re.findall(r'<tr>.*?<a href="[^"]+/change/[^"]*">([^<]+)</a>.*?</tr>', html, re.S)
    cells = re.findall(r'<td class="field-shown_status">([^<]*)</td>', html)
    return dict(zip(rows, cells, strict=True))


def status_line(client, article) -> str:
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    return re.search(r"<h2[^>]*>Publication — ([^<]+)</h2>", html.decode()).group(1)


def test_scheduled_article_is_shown_published_from_its_time(editor_client, scheduled, time_machine):
    time_machine.move_to(AT - SECOND, tick=False)
    assert list_status(editor_client) == {"Programmé pour midi": "programmé"}
    assert list_status(editor_client, status="scheduled") == {"Programmé pour midi": "programmé"}
    assert list_status(editor_client, status="published") == {}
    assert status_line(editor_client, scheduled) == "programmé"

    time_machine.move_to(AT + SECOND, tick=False)
    assert list_status(editor_client) == {"Programmé pour midi": "publié"}
    assert list_status(editor_client, status="published") == {"Programmé pour midi": "publié"}
    assert list_status(editor_client, status="scheduled") == {}
    assert status_line(editor_client, scheduled) == "publié"
    assert Article.objects.get(pk=scheduled.pk).status == Status.SCHEDULED  # nothing written
