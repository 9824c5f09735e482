"""Rendering `kirana dues --aging`: dues split by age (0–30, 31–60, 61–90, 90+ days), as a list
drawn as it goes (reports.fixed_width) with owed, advances and net footer rows (the age columns
add up to owed), or JSON (every amount as *_paise and a rupee string, and
`owed`/`advances`/`net` as everywhere)."""

from __future__ import annotations

from kirana.i18n import tr


def aging_json(on, rows, head: dict, as_of_bound: str | None, everyone) -> dict:
    """`everyone`: the DuesTotals of every customer (whatever --min shows)."""
    from kirana import dates
    from kirana.aging import BUCKETS, totals
    from kirana.money import money_json, rupees_str

    names = [tuple(money_json(0, key)) for key, _, _, _ in BUCKETS]  # (paise key, rupee key)
    dues_paise, dues_rupees = money_json(0, "dues")
    keys = ["customer", dues_paise, dues_rupees, "oldest_credit", "oldest_days"]
    keys += [key for pair in names for key in pair]
    shown: dict[int, str] = {}  # many amounts repeat (most buckets hold 0)
    known = shown.get

    def text(paise: int) -> str:
        found = shown[paise] = rupees_str(paise)
        return found

    def money(values: list[int]) -> list:  # each bucket as money_json gives it
        pairs: list = []
        for paise in values:
            pairs += (paise, known(paise) or text(paise))
        return pairs

    k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11, k12 = keys
    days: dict = {}  # the oldest credit's day -> its ISO text: many share one
    day_text = days.get

    def iso(day) -> str:
        found = days[day] = day.isoformat()
        return found

    def customer(row) -> dict:  # the four buckets written out: ten thousand customers
        dues, oldest = row.dues_paise, row.oldest_credit
        a, b, c, d = row.buckets
        return {
            k0: row.name,
            k1: dues,
            k2: known(dues) or text(dues),
            k3: oldest and (day_text(oldest) or iso(oldest)),
            k4: row.oldest_days,
            k5: a,
            k6: known(a) or text(a),
            k7: b,
            k8: known(b) or text(b),
            k9: c,
            k10: known(c) or text(c),
            k11: d,
            k12: known(d) or text(d),
        }

    total, total_buckets = totals(rows)
    return {
        "as_of": dates.describe_bound(as_of_bound) or on.isoformat(),
        "head": head,
        "buckets": [label for _, label, _, _ in BUCKETS],
        **money_json(total, "total"),
        **everyone.to_json(),
        "totals": dict(zip(keys[5:], money(total_buckets), strict=True)),
        "customers": [customer(row) for row in rows],
    }


def print_aging(
    as_of: str | None, minimum: str | None, as_json: bool, as_known_at: str | None = None
) -> None:
    """`dues --aging`: everyone with dues (advances too, unless --min is given), aged FIFO."""
    from kirana import aging, dates, queries
    from kirana.cli import render
    from kirana.cli.context import read_ledger
    from kirana.money import format_rupees, parse_amount
    from kirana.totals import dues_totals, dues_writer

    floor = parse_amount(minimum, what="--min") if minimum else None
    bound = dates.as_of_bound(as_of)
    known = dates.known_at_bound(as_known_at)
    then = dates.known_at_local(known).date() if known else None  # "today" at that moment
    with read_ledger() as ledger:
        known_seq = queries.known_at_seq(ledger.conn, known) if known else None
        on, rows = aging.aging(  # the buckets and the oldest credit are shown, not each credit
            ledger.conn, bound, known_seq, then, by_name=False, credits=False
        )
        head = queries.head_as_known_at(ledger, known)
    everyone = dues_totals(row.dues_paise for row in rows)
    every_row = rows
    if floor is not None:
        rows = [row for row in rows if row.dues_paise >= floor]
    rows.sort(key=lambda r: (-r.dues_paise, r.name.lower(), r.customer_id))  # equal: by name
    if as_json:
        render.print_json(aging_json(on, rows, head, bound, everyone), floats=False)
        return
    if not rows:
        render.line(tr("Nobody owes anything."))
        return
    from kirana.reports.fixed_width import Column

    since, advance = tr("{date} ({days} d)"), tr("advance")  # looked up once, not every row
    dues_cell = dues_writer()
    no_buckets = [""] * len(aging.BUCKETS)  # an advance is not aged
    drawn: dict[int, str] = {}  # paise -> its cell: most repeat (dues in one bucket)
    cached = drawn.get

    def amount(paise: int) -> str:
        found = drawn[paise] = format_rupees(paise)
        return found

    dated: dict = {}  # the oldest credit's day -> its cell: many debtors share one
    dated_cell = dated.get

    def oldest_cell(day, days: int) -> str:
        found = dated[day] = since.format(date=day.isoformat(), days=days)
        return found

    def cells(row) -> list[str]:
        dues = row.dues_paise
        if dues < 0:
            return [row.name, advance, *no_buckets, dues_cell(dues)]
        day = row.oldest_credit
        oldest = (dated_cell(day) or oldest_cell(day, row.oldest_days)) if day else ""
        a, b, c, d = row.buckets
        return [
            row.name,
            oldest,
            (cached(a) or amount(a)) if a else "",
            (cached(b) or amount(b)) if b else "",
            (cached(c) or amount(c)) if c else "",
            (cached(d) or amount(d)) if d else "",
            cached(dues) or amount(dues),
        ]

    columns = [Column(tr("Customer"), flex=True), Column(tr("Oldest unpaid"), keep=True)]
    columns += [Column(tr(label), right=True) for _, label, _, _ in aging.BUCKETS]
    _, owed_buckets = aging.totals([row for row in every_row if row.dues_paise > 0])  # to owed
    (owed, owed_text), (ahead, ahead_text), (net, net_text) = everyone.rows()
    blank = [""] * len(owed_buckets)
    render.stream_table(
        [*columns, Column(tr("Dues"), right=True)],
        (cells(row) for row in rows),
        title=tr("Dues by age as of {day}").format(day=on.isoformat())
        + (" " + tr("(as known at {moment})").format(moment=as_known_at) if known else ""),
        footer=[
            [owed, "", *[render.rupees(p) for p in owed_buckets], owed_text],
            [ahead, "", *blank, ahead_text],
            [net, "", *blank, net_text],
        ],
        notes=[render.head_caption(head)],
    )
