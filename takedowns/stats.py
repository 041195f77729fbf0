"""Figures for the public transparency report: counts and durations only, no
personal data, computed from rows that anonymisation keeps."""

import statistics
from collections import defaultdict

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from takedowns.models import Event, Message, Notice

KINDS = [(value, label) for value, label in Notice.Kind.choices]
OUTCOMES = [
    (Notice.Outcome.WITHDRAWN, _("photo retirée")),
    (Notice.Outcome.CREDIT_CORRECTED, _("crédit corrigé")),
    (Notice.Outcome.REJECTED, _("rejetée")),
    (Notice.Outcome.INCOMPLETE, _("classée, incomplète")),
    (Notice.Outcome.RESTORED, _("photo remise en ligne après réexamen")),
]
COLUMNS = (
    ["year", "received"]
    + [f"kind_{value}" for value, _label in KINDS]
    + [f"outcome_{value}" for value, _label in OUTCOMES]
    + ["pending", "reconsiderations", "median_days_to_decision"]
)


def yearly() -> list[dict]:
    """One row per year (of reception), most recent first."""
    tz = timezone.get_default_timezone()
    rows: dict[int, dict] = defaultdict(
        lambda: {"received": 0, "kinds": defaultdict(int), "outcomes": defaultdict(int),
                 "pending": 0, "reconsiderations": 0, "durations": []}
    )  # fmt: skip
    first_decision = dict(
        Event.objects.filter(to_status=Notice.Status.DECIDED)
        .values("notice")
        .annotate(first=Min("at"))
        .values_list("notice", "first")
    )
    notices = Notice.objects.in_queue().exclude(received_at=None)
    for pk, received, kind, outcome, status in notices.values_list(
        "pk", "received_at", "kind", "outcome", "status"
    ):
        row = rows[timezone.localtime(received, tz).year]
        row["received"] += 1
        row["kinds"][kind] += 1
        if status == Notice.Status.DECIDED:
            row["outcomes"][outcome] += 1
        else:
            row["pending"] += 1
        if pk in first_decision:
            row["durations"].append((first_decision[pk] - received).total_seconds() / 86400)
    for created in Message.objects.filter(kind=Message.Kind.RECONSIDERATION).values_list(
        "created_at", flat=True
    ):
        rows[timezone.localtime(created, tz).year]["reconsiderations"] += 1
    result = []
    for year in sorted(rows, reverse=True):
        row = rows[year]
        durations = row.pop("durations")
        row["median_days"] = round(statistics.median(durations), 1) if durations else None
        row["year"] = year
        row["kinds"] = [(label, row["kinds"][value]) for value, label in KINDS]
        row["outcomes"] = [(label, row["outcomes"][value]) for value, label in OUTCOMES]
        result.append(row)
    return result


def csv_rows() -> list[list]:
    rows = [COLUMNS]
    for row in yearly():
        rows.append(
            [row["year"], row["received"]]
            + [count for _label, count in row["kinds"]]
            + [count for _label, count in row["outcomes"]]
            + [
                row["pending"],
                row["reconsiderations"],
                "" if row["median_days"] is None else row["median_days"],
            ]
        )
    return rows
