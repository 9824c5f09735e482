"""Every write rule, once: the commands, the CSV import and the JSONL import all obey these.

- `payloads`: each event type's payload (methods, customer required, amounts, item arithmetic,
  text limits) built from parsed values, and checked when an event arrives whole;
- `ledger_checks`: the rules that need the ledger as it stands (returns, voids, confirmations,
  credit limits, free names);
- `closed_periods`: nothing dated inside a closed month or quarter gets in (`check_entry`);
- `words`: which of the shopkeeper's words is the customer and which are items (`sale`/`return`).
"""
