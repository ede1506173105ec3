"""Time the KPI dashboard of a large partnership: database counts against a naive baseline.

    .venv/bin/python bench/kpis.py                     # 100 events, 20,000 meetings
    .venv/bin/python bench/kpis.py --events 500

A fresh SQLite database in a temporary directory gets one partnership with many held
B2B events (40 participants and 200 scheduled meetings each; most took place, some ended
in an agreement) and eight computed KPIs, one per measure, each with its monthly history
(12 points). The measured path is `read_kpis`, what the dashboard, the report and the API
call: one query per KPI for the days its records count from, then the history is counted
in Python. Two baselines: one query per KPI and history point (the obvious way, 96
queries), and loading the partnership's events, participants and meetings into Python
once and counting there (event measures only). All must agree on every history point;
the script prints the times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 7


def setup_django(directory: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "clusterbroker.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/kpis.sqlite3"
    os.environ["CLUSTERBROKER_DATA_DIR"] = directory
    import django

    django.setup()


def build(events: int, participants: int, meetings: int):
    """The synthetic partnership; returns it and the first day of its period."""
    from django.core.management import call_command
    from django.utils import timezone

    from clusterbroker.events.models import Event, Meeting, MeetingRequest, Participant, Session
    from clusterbroker.plans.models import Kpi, Measure
    from clusterbroker.registry.models import Organisation, Partnership, PartnershipMember

    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    start = dt.date(2024, 1, 1)
    partnership = Partnership.objects.create(
        slug="bench", name="Bench", kind="alliance", start=start, end=dt.date(2024, 12, 31)
    )
    countries = ["FR", "DE", "IT", "ES", "PT", "BE", "SE", "PL"]
    organisations = Organisation.objects.bulk_create(
        Organisation(
            slug=f"org-{n}", name=f"Org {n}", kind="company", country=rng.choice(countries)
        )
        for n in range(participants * 10)
    )
    PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=partnership, organisation=o) for o in organisations[:5]
    )
    for e in range(events):
        day = start + dt.timedelta(days=rng.randrange(366))
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        event = Event.objects.create(
            slug=f"event-{e}",
            name=f"Event {e}",
            partnership=partnership,
            start_date=day,
            end_date=day,
            tables=meetings,
            registration_deadline=at,
        )
        session = Session.objects.create(event=event, start=at, end=at + dt.timedelta(hours=8))
        people = Participant.objects.bulk_create(
            Participant(event=event, organisation=o)
            for o in rng.sample(organisations, participants)
        )
        pairs = rng.sample([(a, b) for a in people for b in people if a.pk != b.pk], meetings)
        requests = MeetingRequest.objects.bulk_create(
            MeetingRequest(event=event, requester=a, requested=b, status="accepted")
            for a, b in pairs
        )
        Meeting.objects.bulk_create(
            Meeting(
                request=r,
                session=session,
                start=at,
                end=at + dt.timedelta(minutes=20),
                table=n + 1,
                happened=rng.random() < 0.85,
                outcome="",
            )
            for n, r in enumerate(requests)
        )
        Meeting.objects.filter(session=session, happened=True, table__lte=meetings // 10).update(
            outcome="agreement"
        )
    for n, measure in enumerate(Measure.values):
        Kpi.objects.create(
            partnership=partnership,
            position=n,
            name=measure,
            source="computed",
            measure=measure,
            target=100,
        )
    return partnership


def naive_counts(partnership, today: dt.date) -> dict[str, list[int]]:
    """The baseline: load the rows once, count event measures per history point in Python."""
    from clusterbroker.events.models import Event, Meeting, Participant
    from clusterbroker.plans.kpis import Period, history_points, member_countries

    period = Period(partnership.start, partnership.end)
    points = history_points(period, today)
    events = {e.pk: e for e in Event.objects.filter(partnership=partnership)}
    meetings = list(
        Meeting.objects.filter(request__event__partnership=partnership).values(
            "start", "happened", "outcome"
        )
    )
    people = list(
        Participant.objects.filter(event__partnership=partnership).values(
            "event_id", "organisation_id", "organisation__country"
        )
    )
    home = member_countries(partnership.pk)

    def held(e, day):
        return period.start <= e.start_date <= day and e.end_date <= today

    results = {
        "events_held": [],
        "meetings_held": [],
        "agreements_signed": [],
        "organisations_took_part": [],
        "foreign_organisations": [],
    }
    for day in points:
        in_period = [
            m for m in meetings if m["happened"] and period.start <= m["start"].date() <= day
        ]
        results["events_held"].append(sum(held(e, day) for e in events.values()))
        results["meetings_held"].append(len(in_period))
        results["agreements_signed"].append(sum(m["outcome"] == "agreement" for m in in_period))
        present = [p for p in people if held(events[p["event_id"]], day)]
        results["organisations_took_part"].append(len({p["organisation_id"] for p in present}))
        results["foreign_organisations"].append(
            len({p["organisation_id"] for p in present if p["organisation__country"] not in home})
        )
    return results


def per_point_counts(partnership, today: dt.date) -> dict[str, list[int]]:
    """The first baseline: every history point of every KPI is its own query."""
    from clusterbroker.plans.kpis import MEASURES, Period, compute_measure, history_points

    period = Period(partnership.start, partnership.end)
    return {
        code: [
            compute_measure(code, partnership.pk, Period(period.start, day), today)
            for day in history_points(period, today)
        ]
        for code in MEASURES
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100)
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        setup_django(directory)
        from django.db import connection

        from clusterbroker.plans.services import read_kpis

        began = time.perf_counter()
        partnership = build(args.events, args.participants, args.meetings)
        built = time.perf_counter() - began
        print(f"python {platform.python_version()}, {connection.vendor}; built in {built:.1f} s")
        registrations, meetings = args.events * args.participants, args.events * args.meetings
        print(
            f"{args.events} events, {registrations} registrations, {meetings} meetings; "
            "8 computed KPIs x 12 history points"
        )
        today = dt.date(2025, 6, 30)
        timings, naive_timings, point_timings = [], [], []
        for _ in range(args.repeat):
            began = time.perf_counter()
            readings = read_kpis(partnership, today)
            timings.append(time.perf_counter() - began)
            began = time.perf_counter()
            naive = naive_counts(partnership, today)
            naive_timings.append(time.perf_counter() - began)
            began = time.perf_counter()
            per_point = per_point_counts(partnership, today)
            point_timings.append(time.perf_counter() - began)
        by_measure = {r.kpi.measure: [int(v) for _d, v in r.history] for r in readings}
        for measure, values in [*naive.items(), *per_point.items()]:
            assert by_measure[measure] == values, (measure, by_measure[measure], values)
        print("values: " + ", ".join(f"{r.kpi.measure}={r.value}" for r in readings))
        best, naive_best, point_best = min(timings), min(naive_timings), min(point_timings)
        print(f"read_kpis, 8 KPIs with history: {best * 1000:.0f} ms (best of {args.repeat})")
        print(f"baseline, one query per KPI and point: {point_best * 1000:.0f} ms")
        print(f"baseline, rows loaded once, 5 event measures only: {naive_best * 1000:.0f} ms")
        print("all three agree on every history point")


if __name__ == "__main__":
    main()
