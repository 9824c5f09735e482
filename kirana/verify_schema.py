"""The ledger file's schema against kirana's own: every table, index, trigger and view.

What kirana's migrations make is known exactly: they are run on an empty in-memory database
and the result (type, name, table, SQL text) is compared with the file's `sqlite_master`. So a
trigger whose body was changed (a no-op trigger under the right name), a foreign trigger or
view someone added, and a missing index are all found, and named. A foreign object is a
problem of its own: a trigger runs on every write, so `rebuild` refuses to run while one is
there (see `foreign_objects`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from functools import cache

from kirana import settings
from kirana.i18n import Message
from kirana.store.schema import MIGRATIONS_DDL

Migration = tuple[str, Callable]
_OBJECTS = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
# SQLite's own objects: the statistics ANALYZE keeps, AUTOINCREMENT's counters, and the
# indexes behind UNIQUE and PRIMARY KEY constraints (checked by their table's SQL). Any other
# object is compared, whatever its name: SQLite fires a trigger called `sqlite_x` too.
_SQLITE_TABLES = {"sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4", "sqlite_sequence"}


@cache
def _expected(migrations: tuple[Migration, ...]) -> dict[tuple[str, str], tuple[str, str]]:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(MIGRATIONS_DDL)
        for _, step in migrations:
            step(conn, settings.current())
        return _objects(conn)
    finally:
        conn.close()


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[str, str]]:
    return {
        (kind, name): (table, _normal(sql))
        for kind, name, table, sql in conn.execute(_OBJECTS)
        if not _sqlites_own(kind, name, sql)
    }


def _sqlites_own(kind: str, name: str, sql: str | None) -> bool:
    if kind == "table":
        return name in _SQLITE_TABLES
    return kind == "index" and sql is None and name.startswith("sqlite_autoindex_")


def _normal(sql: str | None) -> str:
    """SQL text with runs of white space as one space (SQLite keeps what was typed)."""
    return " ".join((sql or "").split())


def schema_problems(
    conn: sqlite3.Connection, migrations: Sequence[Migration]
) -> list[tuple[str, str]]:
    """(name, what is wrong) for each schema object that is not exactly kirana's."""
    expected = _expected(tuple(migrations))
    found = _objects(conn)
    problems = []
    for (kind, name), (table, sql) in sorted(found.items()):
        ours = expected.get((kind, name))
        if ours is None:
            on = Message(" on {table}", table=table) if kind in ("trigger", "index") else ""
            problems.append(
                (
                    name,
                    Message(
                        "{kind} {name}{on} is not kirana's: {sql}",
                        kind=kind,
                        name=name,
                        on=on,
                        sql=_short(sql),
                    ),
                )
            )
        elif ours != (table, sql):
            what = (
                Message("the log could be edited")
                if kind == "trigger"
                else Message("answers may be wrong")
            )
            problems.append(
                (
                    name,
                    Message(
                        "{kind} {name} differs from kirana's ({what}): {sql}",
                        kind=kind,
                        name=name,
                        what=what,
                        sql=_short(sql),
                    ),
                )
            )
    for kind, name in sorted(set(expected) - set(found)):
        problems.append((name, Message("{kind} {name} is missing", kind=kind, name=name)))
    return problems


def foreign_objects(conn: sqlite3.Connection, migrations: Sequence[Migration]) -> list[str]:
    """Names of triggers and views in the file that kirana did not make, or that differ from
    kirana's: rebuilding the read models with them in place would run them."""
    expected = _expected(tuple(migrations))
    return [
        name
        for (kind, name), shape in sorted(_objects(conn).items())
        if kind in ("trigger", "view") and expected.get((kind, name)) != shape
    ]


def _short(sql: str) -> str:
    return sql if len(sql) <= 120 else sql[:117] + "..."
