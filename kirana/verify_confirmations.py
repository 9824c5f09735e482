"""`verify`'s check of the customers' confirmations: each live `balance_confirmed` must equal
the dues the log gives as of its moment (the customer as they were when they confirmed).
"""

from __future__ import annotations

from kirana.events import BALANCE_CONFIRMED
from kirana.i18n import Message


def wrong_confirmations(ledger) -> list[tuple[int, Message]]:
    """(seq, what is wrong) for each live balance_confirmed that is not the dues as of its
    moment (by the read models, which verify has checked by then)."""
    from kirana import customers, dates, queries
    from kirana.money import format_rupees

    problems = []
    for event in ledger.iter_events("type = ?", (BALANCE_CONFIRMED,)):
        if queries.voided_by(ledger.conn, event.seq):
            continue
        moment = dates.order_key(event.occurred_at)
        bound = moment + dates.END_OF_DAY if len(moment) == 10 else moment
        owner = ledger.conn.execute(  # the customer as they were when they confirmed
            "SELECT customer_id FROM entries WHERE seq = ?", (event.seq,)
        ).fetchone()
        customer_id = owner[0] if owner else customers.find(ledger.conn, event.customer).id
        actual = queries.balance(ledger.conn, customer_id, as_of=bound, members_known_seq=event.seq)
        expected = event.data["amount_paise"]
        if actual != expected:
            problems.append(
                (
                    event.seq,
                    Message(
                        "entry {seq}: {customer} confirmed dues of {expected} on {occurred_at}, but the log gives {actual}",
                        seq=event.seq,
                        customer=event.customer,
                        expected=format_rupees(expected),
                        occurred_at=event.occurred_at,
                        actual=format_rupees(actual),
                    ),
                )
            )
    return problems
