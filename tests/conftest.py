import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _french(settings):
    """Tests see the site as its readers do by default: in French."""
    with translation.override("fr"):
        yield
