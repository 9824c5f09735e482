"""Python's cyclic garbage collector paused for a long run of small objects that hold no
cycles (a statement of 200,000 entries, an import's planned rows): it would walk them again and
again as they pile up, for nothing, while reference counting still frees every one of them."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the block, and back on after it if it was on before."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
