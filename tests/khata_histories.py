"""Random khata histories for property tests of read models: sales, payments, returns and
openings on random days (back-dated ones included), voids of any live entry, and merges,
applied through the commands' own recording functions."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from kirana import recording

NAMES = ["Priya", "Amit", "Rohit", "Zoya"]
amounts = st.integers(min_value=1, max_value=300_000)


def operations(max_day: int):
    """One operation: (kind, customer, paise or a void's pick, day offset up to `max_day`)."""
    days = st.integers(min_value=0, max_value=max_day)
    return st.one_of(
        st.tuples(st.just("sale"), st.sampled_from(NAMES), amounts, days),
        st.tuples(st.just("pay"), st.sampled_from(NAMES), amounts, days),
        st.tuples(st.just("return"), st.sampled_from(NAMES), amounts, days),
        st.tuples(st.just("opening"), st.sampled_from(NAMES), st.integers(-50_000, 300_000), days),
        st.tuples(st.just("void"), st.just(""), st.integers(0, 10_000), st.just(0)),
        st.tuples(st.just("merge"), st.sampled_from(NAMES), st.just(0), st.just(0)),
    )


def day(start: date, offset: int) -> str:
    return (start + timedelta(days=offset)).isoformat()


def apply(ledger, op, live: list[int], merged: set[str], start: date) -> None:
    """Record one operation; `live` holds the entries a void may pick, `merged` the names
    merged away (at most two, so someone stays)."""
    kind, who, amount, offset = op
    if kind == "void":
        if live:
            recording.record_void(ledger, live.pop(amount % len(live)), "test")
        return
    if who in merged:
        return
    if kind == "merge":
        into = next((n for n in NAMES if n != who and n not in merged), None)
        if into is not None and len(merged) < 2:
            recording.merge_customers(ledger, who, into, "same person")
            merged.add(who)
        return
    when = day(start, offset)
    if kind == "sale":
        done = recording.record_sale(
            ledger, who, method="credit", occurred_at=when, amount_paise=amount
        )
    elif kind == "pay":
        done = recording.record_payment(ledger, who, amount, occurred_at=when)
    elif kind == "return":
        done = recording.record_return(
            ledger, who, settlement="khata", occurred_at=when, amount_paise=amount
        )
    elif amount:
        done = recording.record_opening(ledger, who, amount, occurred_at=when)
    else:
        return
    live.append(done.event.seq)
