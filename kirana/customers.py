"""Finding customers by what the shopkeeper types: case-insensitive, unique prefix, did-you-mean."""

from __future__ import annotations

import difflib
import sqlite3
import unicodedata
from dataclasses import dataclass

from kirana import names
from kirana.errors import InputError, NotFoundError
from kirana.i18n import tr


@dataclass(frozen=True)
class CustomerRow:
    id: int
    name: str
    phone: str | None
    credit_limit_paise: int | None


def _rows(conn: sqlite3.Connection, where: str = "", params: tuple = ()) -> list[CustomerRow]:
    live = "merged_into IS NULL"  # a merged customer answers under the name it merged into
    where = f"{where} AND {live}" if where else f"WHERE {live}"
    sql = f"SELECT id, name, phone, credit_limit_paise FROM customers {where} ORDER BY name"
    return [CustomerRow(*row) for row in conn.execute(sql, params)]


def all_customers(conn: sqlite3.Connection) -> list[CustomerRow]:
    return _rows(conn)


def gstins(ledger) -> dict[int, str]:
    """Each customer's GSTIN (the last `--gstin` recorded for them), by customer id: read from
    their customer_added / customer_updated events, following renames (a merged-away
    customer's stays its own)."""
    from kirana.events import CUSTOMER_ADDED, CUSTOMER_UPDATED

    ids: dict[str, int] = {}
    found: dict[int, str] = {}
    kinds = (CUSTOMER_ADDED, CUSTOMER_UPDATED)
    for event in ledger.iter_events("type IN (?, ?)", kinds):
        if event.type == CUSTOMER_ADDED:
            ids[event.customer.lower()] = event.seq
        customer_id = ids.get((event.customer or "").lower())
        if customer_id is None:
            continue
        if "name" in event.data:
            ids[event.data["name"].lower()] = customer_id
        if event.data.get("gstin"):
            found[customer_id] = event.data["gstin"]
    return found


def by_id(conn: sqlite3.Connection, customer_id: int) -> CustomerRow:
    """The customer with this id (a merged-away one too)."""
    row = conn.execute(
        "SELECT id, name, phone, credit_limit_paise FROM customers WHERE id = ?", (customer_id,)
    ).fetchone()
    return CustomerRow(*row)


def find_exact(conn: sqlite3.Connection, name: str) -> CustomerRow | None:
    """The customer with this name or former name (any case), or None."""
    row = conn.execute(
        "SELECT c.id, c.name, c.phone, c.credit_limit_paise FROM customer_names n"
        " JOIN customers c ON c.id = n.customer_id WHERE n.name_lower = ?",
        (name.lower(),),
    ).fetchone()
    return CustomerRow(*row) if row else None


def find(conn: sqlite3.Connection, text: str) -> CustomerRow:
    """Exact name (any case, or a former name), else a unique prefix; else a helpful error.
    A name stored before today's name rules (or arriving as stored) is found exactly as it is;
    only a name that matches nothing is checked, so the error can say what is wrong with it."""
    exact = find_exact(conn, " ".join(unicodedata.normalize("NFC", text or "").split()))
    if exact:
        return exact
    wanted = clean_name(text).lower()
    exact = find_exact(conn, wanted)
    if exact:
        return exact
    escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    matches = _rows(conn, "WHERE lower(name) LIKE ? ESCAPE '\\'", (escaped + "%",))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        names = ", ".join(f"'{m.name}'" for m in matches[:5])
        more = (
            " " + tr("and {count} more").format(count=len(matches) - 5) if len(matches) > 5 else ""
        )
        raise InputError(
            tr("'{text}' matches several customers: {names}; type more of the name").format(
                text=text, names=names + more
            )
        )
    raise NotFoundError(
        tr("no customer named '{text}'").format(text=text) + did_you_mean(conn, text)
    )


def find_whole_name(conn: sqlite3.Connection, text: str) -> CustomerRow:
    """Like `find`, but only a whole name (or former name), never a prefix: for a change that
    cannot be taken back, such as a merge."""
    row = find(conn, text)
    typed = " ".join(unicodedata.normalize("NFC", text or "").split()).lower()
    if find_exact(conn, typed) is None:
        raise InputError(tr("type the whole name: did you mean '{name}'?").format(name=row.name))
    return row


def did_you_mean(conn: sqlite3.Connection, text: str) -> str:
    """'; did you mean 'Priya Madam'?' for a misspelt name (whole name, its start, or a word)."""
    typed = text.lower().strip()
    best, best_score = None, 0.0
    for (name,) in conn.execute("SELECT name FROM customers WHERE merged_into IS NULL"):
        lowered = name.lower()
        candidates = [lowered, lowered[: len(typed)], *lowered.split()]
        score = max(difflib.SequenceMatcher(None, typed, c).ratio() for c in candidates)
        if score > best_score:
            best, best_score = name, score
    if best and best_score >= 0.75:
        return tr("; did you mean '{name}'?").format(name=best)
    return tr("; add them with: kirana customer add NAME")


def clean_name(text: str) -> str:
    """A customer name to store or look up (kirana.names.clean_name: NFC, visible characters)."""
    return names.clean_name(text)


def ensure_name_free(conn: sqlite3.Connection, name: str, allow_id: int | None = None) -> None:
    """No other customer has (or had) this name; `allow_id` may take back a former name."""
    row = conn.execute(
        "SELECT customer_id FROM customer_names WHERE name_lower = ?", (name.lower(),)
    ).fetchone()
    if row and row[0] != allow_id:
        current = by_id(conn, row[0]).name
        hint = ""
        if current.lower() != name.lower():
            hint = " " + tr("(former name of '{name}')").format(name=current)
        raise InputError(
            tr(
                "a customer named '{name}' already exists{hint}; pick another name, "
                "e.g. add a surname or area"
            ).format(name=name, hint=hint)
        )
