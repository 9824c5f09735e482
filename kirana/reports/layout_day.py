"""The day book laid out (see layout.py) for every non-JSON format, and its JSON.

JSON (docs/json.md): `report: "day"`, `day`, `as_known_at`, `shop`, `head`, `generated_at`;
the nets `cash_paise`, `upi_paise`, `card_paise` (what each account should have gained);
`money`: per method {method, sales/received/refunds as counts and `*_paise`, `net_paise`};
`credit`: credit sales given, returns to khata, opening balances; `entries`: every entry of the
day with `voided_by`. Money also as rupee strings beside every `*_paise`.
"""

from __future__ import annotations

from kirana.events import head_check
from kirana.i18n import marked, tr
from kirana.money import money_json
from kirana.queries import describe
from kirana.reports.day import DayBook, Flow
from kirana.reports.layout import Cell, Layout, Money, Section

METHOD_LABELS = {
    "cash": marked("Cash"),
    "upi": "UPI",
    "card": marked("Card"),
    "cheque": marked("Cheque"),
    "bank": marked("Bank"),
    "credit": marked("Credit"),
    "khata": marked("Khata"),
}


def _label(method: str) -> str:
    return tr(METHOD_LABELS.get(method, method))


def _facts(book: DayBook) -> list[tuple[str, str]]:
    shop = book.shop
    facts = [
        (tr("Day"), book.day.isoformat()),
        (tr("Shop"), shop["name"] or tr("(shop name not set: kirana shop set --name NAME)")),
    ]
    if book.as_known_at:
        facts.append((tr("As known at"), book.as_known_at))
    head = book.head
    facts.append((tr("Ledger head"), tr("entry {seq} {hash}").format(**head)))
    check = head_check(head["seq"], head["hash"])
    facts.append((tr("Check later"), f"kirana verify --expect-head {check}"))
    facts.append((tr("Generated at"), book.generated_at))
    return facts


def day_layout(book: DayBook) -> Layout:
    flows = book.shown_flows
    money_rows: list[list[Cell]] = [
        [
            _label(f.method),
            Money(f.sales_paise),
            Money(f.received_paise),
            Money(f.refunds_paise),
            Money(f.net_paise),
        ]
        for f in flows
    ]
    total = Flow("total")
    for f in flows:
        total.sales_paise += f.sales_paise
        total.received_paise += f.received_paise
        total.refunds_paise += f.refunds_paise
    money_rows.append(
        [
            tr("Total"),
            Money(total.sales_paise),
            Money(total.received_paise),
            Money(total.refunds_paise),
            Money(total.net_paise),
        ]
    )
    cash = book.flow("cash")
    money = Section(
        tr("Money in and out"),
        ["", tr("Sales"), tr("Received against dues"), tr("Refunds"), tr("Net")],
        money_rows,
        totals=1,
        note=tr("Net cash {amount}: what the cash drawer should have gained that day.").format(
            amount=Money(cash.net_paise)
        ),
    )
    credit = Section(
        tr("Khata"),
        ["", tr("Entries"), tr("Amount")],
        [
            [
                tr("Credit given (credit sales)"),
                book.credit_sales_count,
                Money(book.credit_sales_paise),
            ],
            [tr("Returns to khata"), book.khata_returns_count, Money(book.khata_returns_paise)],
            [tr("Opening balances"), book.openings_count, Money(book.openings_paise)],
        ],
    )
    rows: list[list[Cell]] = []
    struck: set[int] = set()
    for entry in book.entries:
        marker = ""
        if entry.voided_by:
            marker = " " + tr("[VOIDED by #{seq}]").format(seq=entry.voided_by)
            struck.add(len(rows))
        event = entry.event
        rows.append(
            [
                entry.event.seq,
                event.occurred_at[11:16] if len(event.occurred_at) > 10 else "",
                event.customer or "",
                describe(event, translated=True) + marker,
                _label(entry.method) if entry.method else "",
                Money(entry.amount_paise) if entry.amount_paise is not None else "",
            ]
        )
    entries = Section(
        tr("Entries"),
        [tr("Entry"), tr("Time"), tr("Customer"), tr("What"), tr("How"), tr("Amount")],
        rows,
        empty=tr("no entries on this day"),
        struck=struck,
        note=tr("Voided entries are shown, marked VOIDED, and not counted.") if struck else None,
    )
    return Layout(
        title=tr("Day book: {day}").format(day=book.day.isoformat()),
        facts=_facts(book),
        sections=[money, credit, entries],
        warnings=book.warnings,
    )


def _flow_json(flow: Flow) -> dict:
    return {
        "method": flow.method,
        "sales_count": flow.sales_count,
        **money_json(flow.sales_paise, "sales"),
        "received_count": flow.received_count,
        **money_json(flow.received_paise, "received"),
        "refunds_count": flow.refunds_count,
        **money_json(flow.refunds_paise, "refunds"),
        **money_json(flow.net_paise, "net"),
    }


def day_json(book: DayBook) -> dict:
    return {
        "report": "day",
        "day": book.day.isoformat(),
        "as_known_at": book.as_known_at,
        "shop": {k: book.shop[k] for k in ("name", "gstin", "state", "scheme")},
        "head": book.head,
        "generated_at": book.generated_at,
        **money_json(book.flow("cash").net_paise, "cash"),
        **money_json(book.flow("upi").net_paise, "upi"),
        **money_json(book.flow("card").net_paise, "card"),
        "money": [_flow_json(flow) for flow in book.shown_flows],
        "credit": {
            "credit_sales_count": book.credit_sales_count,
            **money_json(book.credit_sales_paise, "credit_sales"),
            "khata_returns_count": book.khata_returns_count,
            **money_json(book.khata_returns_paise, "khata_returns"),
            "opening_balances_count": book.openings_count,
            **money_json(book.openings_paise, "opening_balances"),
        },
        "entries": [
            {
                "seq": entry.event.seq,
                "type": entry.event.type,
                "occurred_at": entry.event.occurred_at,
                "customer": entry.event.customer,
                "description": entry.description,
                "method": entry.method or None,
                "amount_paise": entry.amount_paise,
                "voided_by": entry.voided_by,
            }
            for entry in book.entries
        ],
    }
