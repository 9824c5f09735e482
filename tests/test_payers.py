"""Who paid (kirana.rules.payers): a UPI id first, then a phone inside the UPI id, then an
exact name; never a guess when they disagree; a UPI id typed by hand counts once."""

from __future__ import annotations

from kirana import recording
from kirana.rules.payers import KnownTransfers, Payers


def _shop(ledger):
    recording.add_customer(ledger, "Amit Kumar", occurred_at="2025-01-01")
    recording.add_customer(ledger, "Rahul", "9811122233", occurred_at="2025-01-01")
    recording.add_customer(ledger, "Priya Sharma", occurred_at="2025-01-01")
    recording.update_customer(ledger, "Priya Sharma", upi_ids=["priya.s@okaxis"])


def test_the_order_of_the_ways_a_payer_is_known(ledger):
    _shop(ledger)
    payers = Payers(ledger.conn)
    found = payers.match("priya.s@okaxis", "SOMEONE ELSE")
    assert (found.customer.name, found.how) == ("Priya Sharma", "upi id")
    found = payers.match("919811122233@paytm", None)
    assert (found.customer.name, found.how) == ("Rahul", "phone")
    found = payers.match("amit.k@oksbi", "AMIT  KUMAR")
    assert (found.customer.name, found.how) == ("Amit Kumar", "name")
    assert payers.match("amit.k@oksbi", "AMIT").how == "unknown"  # a name is never a prefix


def test_a_phone_and_a_name_that_disagree_are_not_guessed(ledger):
    _shop(ledger)
    found = Payers(ledger.conn).match("9811122233@ybl", "AMIT KUMAR")
    assert (found.customer, found.how, found.why) == (
        None,
        "ambiguous",
        "could be Amit Kumar or Rahul",
    )


def test_a_reference_typed_by_hand_names_its_utr(ledger):
    _shop(ledger)
    recording.record_payment(ledger, "Rahul", 100, method="upi", occurred_at="2025-03-01",
                             reference="UPI ref 506012345671 gpay")  # fmt: skip
    known = KnownTransfers(ledger.conn)
    assert known.entry_of("506012345671") is not None
    assert known.entry_of("506012345672") is None
