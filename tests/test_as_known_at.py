"""`--as-known-at WHEN` on every read (`dues`, `dues --aging`, `statement`, `dispute`, `report
month`, `report gst`) reproduces what the command printed at that moment: the same figures and
the same head (only `generated_at` may differ). For random logs and random moments, a report as
known at T equals the report computed on a ledger holding only the entries recorded by T."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_jsonl_roundtrip import build, ops

from kirana.ledger import open_ledger
from kirana.queries import known_at_seq
from kirana.reports.gst import gst_report
from kirana.reports.month import month_report
from kirana.reports.render import json_of


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def figures(report) -> dict:
    body = json_of(report)
    body.pop("generated_at")
    return body


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(plan=ops, moment=st.floats(min_value=0, max_value=1))
def test_a_report_as_known_at_t_is_the_report_of_the_log_recorded_by_t(
    tmp_path_factory, plan, moment
):
    folder = tmp_path_factory.mktemp("known")
    saved = os.environ.get("KIRANA_NOW")
    try:
        with open_ledger(folder / "full.db") as full:
            build(full, plan)
            events = list(full.iter_events())
            pick = events[int(moment * (len(events) - 1))]
            known_at = pick.recorded_at
            last = known_at_seq(full.conn, known_at)
            with open_ledger(folder / "prefix.db") as prefix:
                with prefix.write():
                    for event in events[:last]:
                        prefix.insert(event)
                for period in ("2024-08", "2024-09"):
                    then = month_report(full, period, last)
                    assert figures(then) == figures(month_report(prefix, period))
                    assert then.head == prefix.head()
                for period in ("2024-08", "2024-Q3"):
                    then = gst_report(full, period, last)
                    assert figures(then) == figures(gst_report(prefix, period))
    finally:
        os.environ["KIRANA_NOW"] = saved or ""


def a_day_of_entries(kirana, clock):
    clock("2025-10-01T10:00:00")
    ok(kirana("customer", "add", "Priya Madam"))
    ok(kirana("customer", "add", "Ravi"))
    ok(kirana("sale", "Priya", "--amount", "500", "--credit", "--on", "2025-09-10"))
    ok(kirana("pay", "Priya", "200", "--on", "2025-09-20"))
    ok(kirana("pay", "Ravi", "208", "--on", "2025-09-21"))


READS = [
    ("dues", "--json"),
    ("dues", "--aging", "--json"),
    ("statement", "Priya", "--format", "json"),
    ("dispute", "Priya", "200", "--on", "2025-09-20", "--json"),
    ("report", "month", "2025-09", "--format", "json"),
    ("report", "gst", "2025-Q3", "--format", "json"),
]


def test_every_read_reproduces_what_it_printed_then(kirana, clock):
    a_day_of_entries(kirana, clock)
    clock("2025-10-01T18:00:00")
    printed = {args: ok(kirana(*args)).json() for args in READS}
    clock("2025-10-03T11:00:00")  # later: a back-dated sale, a void, a new customer's payment
    ok(kirana("sale", "Priya", "--amount", "75", "--credit", "--on", "2025-09-28"))
    ok(kirana("void", "4", "--reason", "typed twice"))
    ok(kirana("customer", "add", "Asha"))
    ok(kirana("pay", "Asha", "200", "--on", "2025-09-20"))
    clock("2025-10-05T09:00:00")
    for args in READS:
        now = ok(kirana(*args)).json()
        then = ok(kirana(*args, "--as-known-at", "2025-10-01 18:00")).json()
        for body in (now, then, printed[args]):
            for key in ("generated_at", "as_of", "as_known_at"):  # when each was run
                body.pop(key, None)
        assert then == printed[args], args
        assert now != printed[args], args  # the later entries did change it


def test_dues_as_known_at_ages_to_that_day(kirana, clock):
    a_day_of_entries(kirana, clock)
    before = ok(kirana("dues", "--aging", "--json")).json()
    clock("2025-12-15T10:00:00")
    then = ok(kirana("dues", "--aging", "--json", "--as-known-at", "2025-10-01")).json()
    assert then["customers"][0]["oldest_days"] == before["customers"][0]["oldest_days"] == 21
    assert json.dumps(then["head"]) == json.dumps(before["head"])
