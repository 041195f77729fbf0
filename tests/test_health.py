import pytest

from search import backends

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True
    assert set(data["checks"]) == {"database", "cache", "index"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_fails_when_the_index_cannot_be_opened(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.SEARCH_INDEX_DIR = blocker / "index"
    backends.reset()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["index"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True
