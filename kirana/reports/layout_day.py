"""The day book laid out (see layout.py) for every non-JSON format, and its JSON.

JSON (docs/json.md): `report: "day"`, `day`, `as_known_at`, `shop`, `head`, `generated_at`;
the nets `cash_paise`, `upi_paise`, `card_paise` (what each account should have gained);
`money`: per method {method, sales/received/refunds as counts and `*_paise`, `net_paise`};
`credit`: credit sales given, returns to khata, opening balances; `entries`: every entry of the
day with `voided_by`. Money also as rupee strings beside every `*_paise`.
"""

from __future__ import annotations

from kirana.money import money_json
from kirana.reports.day import DayBook, Flow
from kirana.reports.layout import Cell, Layout, Money, Section

METHOD_LABELS = {
    "cash": "Cash",
    "upi": "UPI",
    "card": "Card",
    "cheque": "Cheque",
    "bank": "Bank",
    "credit": "Credit",
    "khata": "Khata",
}


def _facts(book: DayBook) -> list[tuple[str, str]]:
    shop = book.shop
    facts = [
        ("Day", book.day.isoformat()),
        ("Shop", shop["name"] or "(shop name not set: kirana shop set --name NAME)"),
    ]
    if book.as_known_at:
        facts.append(("As known at", book.as_known_at))
    head = book.head
    facts.append(("Computed from", f"entry {head['seq']}, head hash {head['hash']}"))
    facts.append(("Generated at", book.generated_at))
    return facts


def day_layout(book: DayBook) -> Layout:
    flows = book.shown_flows
    money_rows: list[list[Cell]] = [
        [
            METHOD_LABELS.get(f.method, f.method),
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
            "Total",
            Money(total.sales_paise),
            Money(total.received_paise),
            Money(total.refunds_paise),
            Money(total.net_paise),
        ]
    )
    cash = book.flow("cash")
    money = Section(
        "Money in and out",
        ["", "Sales", "Received against dues", "Refunds", "Net"],
        money_rows,
        totals=1,
        note=f"Net cash {Money(cash.net_paise)}: what the cash drawer should have gained that day.",
    )
    credit = Section(
        "Khata",
        ["", "Entries", "Amount"],
        [
            [
                "Credit given (credit sales)",
                book.credit_sales_count,
                Money(book.credit_sales_paise),
            ],
            ["Returns to khata", book.khata_returns_count, Money(book.khata_returns_paise)],
            ["Opening balances", book.openings_count, Money(book.openings_paise)],
        ],
    )
    rows: list[list[Cell]] = []
    struck: set[int] = set()
    for entry in book.entries:
        marker = ""
        if entry.voided_by:
            marker = f" [VOIDED by #{entry.voided_by}]"
            struck.add(len(rows))
        event = entry.event
        rows.append(
            [
                entry.event.seq,
                event.occurred_at[11:16] if len(event.occurred_at) > 10 else "",
                event.customer or "",
                entry.description + marker,
                METHOD_LABELS.get(entry.method, entry.method),
                Money(entry.amount_paise) if entry.amount_paise is not None else "",
            ]
        )
    entries = Section(
        "Entries",
        ["Entry", "Time", "Customer", "What", "How", "Amount"],
        rows,
        empty="no entries on this day",
        struck=struck,
        note="Voided entries are shown, marked VOIDED, and not counted." if struck else None,
    )
    return Layout(
        title=f"Day book: {book.day.isoformat()}",
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
