"""Issue 2 acceptance 5: the stored read models, a full replay, and an independent simple sum
agree, now and as of random moments, for random sequences of commands."""

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kirana import customers, dates, queries, recording, replay
from kirana.ledger import open_ledger

NAMES = ["Priya", "Amit", "Rohit", "Zoya"]
START = date(2025, 1, 1)

day_strategy = st.integers(min_value=0, max_value=40)
time_strategy = st.one_of(st.none(), st.tuples(st.integers(0, 23), st.integers(0, 59)))
amount_strategy = st.integers(min_value=1, max_value=500_000)

operation = st.one_of(
    st.tuples(
        st.just("sale"),
        st.sampled_from(NAMES),
        amount_strategy,
        day_strategy,
        time_strategy,
        st.sampled_from(["credit", "cash", "upi"]),
    ),
    st.tuples(
        st.just("pay"),
        st.sampled_from(NAMES),
        amount_strategy,
        day_strategy,
        time_strategy,
        st.sampled_from(["cash", "upi"]),
    ),
    st.tuples(
        st.just("return"),
        st.sampled_from(NAMES),
        amount_strategy,
        day_strategy,
        time_strategy,
        st.sampled_from(["khata", "cash"]),
    ),
    st.tuples(
        st.just("opening"),
        st.sampled_from(NAMES),
        st.integers(-50_000, 500_000).filter(bool),
        day_strategy,
        time_strategy,
        st.just(""),
    ),
    st.tuples(
        st.just("void"), st.integers(0, 10_000), st.just(0), st.just(0), st.just(None), st.just("")
    ),
)


def occurred(day: int, clock) -> str:
    moment = START + timedelta(days=day)
    if clock is None:
        return moment.isoformat()
    return f"{moment.isoformat()}T{clock[0]:02d}:{clock[1]:02d}:00+05:30"


def apply(ledger, op, model):
    kind, who, amount, day, clock, method = op
    when = occurred(day, clock)
    if kind == "void":
        live = [seq for seq, entry in model.items() if not entry["voided"]]
        if not live:
            return
        target = live[who % len(live)]
        recording.record_void(ledger, target, "test")
        model[target]["voided"] = True
        return
    if kind == "sale":
        event = recording.record_sale(
            ledger, who, method=method, occurred_at=when, amount_paise=amount
        ).event
        delta = amount if method == "credit" else 0
    elif kind == "pay":
        event = recording.record_payment(ledger, who, amount, method=method, occurred_at=when).event
        delta = -amount
    elif kind == "return":
        event = recording.record_return(
            ledger, who, settlement=method, occurred_at=when, amount_paise=amount
        ).event
        delta = -amount if method == "khata" else 0
    else:
        event = recording.record_opening(ledger, who, amount, occurred_at=when).event
        delta = amount
    model[event.seq] = {
        "customer": who,
        "key": dates.order_key(when),
        "delta": delta,
        "voided": False,
    }


def simple_sum(model, who, bound=None):
    return sum(
        e["delta"]
        for e in model.values()
        if e["customer"] == who and not e["voided"] and (bound is None or e["key"] <= bound)
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=st.lists(operation, min_size=1, max_size=30),
    probes=st.lists(st.tuples(day_strategy, time_strategy), min_size=1, max_size=5),
)
def test_read_models_equal_replay_and_simple_sum(ops, probes):
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in NAMES:
            recording.add_customer(ledger, name)
        model = {}
        for op in ops:
            apply(ledger, op, model)
        events = list(ledger.iter_events())
        state = replay.fold(events)
        for name in NAMES:
            cid = customers.find(ledger.conn, name).id
            expected = simple_sum(model, name)
            assert queries.current_balance(ledger.conn, cid) == expected
            assert queries.balance(ledger.conn, cid) == expected
            assert state.balances[cid] == expected
        for day, clock in probes:
            moment = occurred(day, clock)
            bound = dates.as_of_bound(moment.replace("T", " ")[:16])
            as_of_state = replay.fold(events, as_of=bound)
            listed = dict(queries.all_balances(ledger.conn, as_of=bound))
            for name in NAMES:
                cid = customers.find(ledger.conn, name).id
                expected = simple_sum(model, name, bound)
                assert queries.balance(ledger.conn, cid, as_of=bound) == expected
                assert as_of_state.balances[cid] == expected
                assert listed[name] == expected
        from kirana.verify import verify

        assert verify(ledger).ok


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=20), cut=st.integers(0, 25))
def test_as_known_at_equals_replay_of_the_prefix(ops, cut, monkeypatch):
    """Recording each op one minute apart: as-known-at minute N == replay of the first N events."""
    monkeypatch.setenv("KIRANA_NOW", "2025-03-10T09:00:00")
    with tempfile.TemporaryDirectory() as folder, open_ledger(Path(folder) / "k.db") as ledger:
        for name in NAMES:
            recording.add_customer(ledger, name)
        model = {}
        for minute, op in enumerate(ops):
            monkeypatch.setenv("KIRANA_NOW", f"2025-03-10T10:{minute:02d}:30")
            apply(ledger, op, model)
        events = list(ledger.iter_events())
        known_at = dates.known_at_bound(f"2025-03-10 10:{min(cut, 59):02d}")
        prefix = [e for e in events if e.recorded_at <= known_at]
        state = replay.fold(prefix)
        for name in NAMES:
            cid = customers.find(ledger.conn, name).id
            assert queries.balance(ledger.conn, cid, known_at=known_at) == state.balances[cid]
