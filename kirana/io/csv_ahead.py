"""A sale's or return's stored payload, encoded ahead in a worker process (the CSV import).

A numbered row's payload can only be encoded once its invoice / credit note number is known,
and the number depends on every row before it, so the import's main process (its serial part)
used to deflate every sale and return itself: a fifth of its time. Instead, as each planned
chunk arrives, the main process works out the numbers its rows will get if every planned
sale and return before them is appended (a second Series, `shadow`, run ahead of the real one)
and hands the numbered canonical JSON to a worker process to deflate, one chunk at a time,
while it appends the rows of the chunk before.

The real number is still taken when the row is sealed (rules.invoices.Series, in file order);
the payload encoded ahead is used only when it was encoded from exactly the canonical JSON the
row ends up with (compared in full), else the row is encoded there, as before. A row that
breaks the guess (a duplicate, a bad row, a row recorded one at a time) costs one encoding in
the main process, and the guesses start again from the real numbers. So the stored bytes are
those of store.encode_payload of the row's canonical JSON, whoever ran it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from kirana import invoices
from kirana.io.csv_chunks import ChunkPlan
from kirana.io.workers import ordered_map
from kirana.rules.invoices import NUMBERED, Series
from kirana.store import encode_payload

AHEAD_CHUNKS = 2  # chunks encoded ahead of the one being appended


def encode_all(texts: list[str]) -> list[bytes]:
    """The stored payloads of these canonical JSON texts (run in the encoding worker)."""
    return [encode_payload(text) for text in texts]


def _ready() -> None:
    """The encoding worker needs nothing set up."""


class EncodedAhead:
    """Planned chunks with their numbered rows' payloads encoded ahead (see the docstring)."""

    def __init__(self, conn, series: Series):
        self.series = series  # the real numbers, taken as rows are sealed
        self.shadow = Series(conn)
        self.held: deque[tuple[ChunkPlan, list[tuple[int, str, str]]]] = deque()
        self.guessing_again = True  # start from the real numbers

    def chunks(
        self, plans: Iterator[ChunkPlan], processes: int
    ) -> Iterator[tuple[ChunkPlan, dict[int, tuple[str, bytes, str]]]]:
        """Each plan, with {row.line: (numbered canonical JSON, its stored payload, the number
        guessed)} for its sales and returns; nothing is encoded ahead without workers."""
        if processes == 0:
            for plan in plans:
                yield plan, {}
            return
        encoded = ordered_map(encode_all, self._texts(plans), processes=1, initializer=_ready,
                              ahead=AHEAD_CHUNKS)  # fmt: skip
        for payloads in encoded:
            plan, guesses = self.held.popleft()
            yield plan, {line: (text, payload, number)
                         for (line, text, number), payload in zip(guesses, payloads, strict=True)}  # fmt: skip

    def missed(self) -> None:
        """A row did not get the number guessed for it: guess again from the real numbers."""
        self.guessing_again = True

    def _texts(self, plans: Iterator[ChunkPlan]) -> Iterator[list[str]]:
        for plan in plans:
            if self.guessing_again:
                self.shadow.next = dict(self.series.next)
                for held, _ in self.held:  # not appended yet: their numbers come first
                    self._guess(held)
                self.guessing_again = False
            guesses = self._guess(plan)
            self.held.append((plan, guesses))
            yield [text for _, text, _ in guesses]

    def _guess(self, plan: ChunkPlan) -> list[tuple[int, str, str]]:
        """(row line, numbered canonical JSON, number) of each planned sale and return of the
        chunk, numbered as if every one is appended."""
        guesses = []
        for row in plan.rows:
            if row.plan is not None and row.plan[0] in NUMBERED:
                kind, occurred_at, _, _, data_json, _, order_key = row.plan
                number = self.shadow.number(kind, occurred_at, order_key)
                guesses.append((row.line, invoices.with_voucher(data_json, number), number))
        return guesses
