"""Dates as readers read them: written once per day and language, in each language."""

import datetime

from django.utils import translation

from articles.formats import long_date


def test_long_dates_in_each_language_follow_the_active_language():
    first = datetime.datetime(2019, 7, 1, 23, 30, tzinfo=datetime.UTC)
    for _ in range(2):  # the second time from the kept texts
        with translation.override("fr"):
            assert long_date(first) == "1er juillet 2019"
            assert long_date(datetime.date(2019, 7, 31)) == "31 juillet 2019"
        with translation.override("en"):
            assert long_date(first) == "1 July 2019"
            assert long_date(datetime.date(2019, 7, 31)) == "31 July 2019"
    assert long_date(None) == ""
