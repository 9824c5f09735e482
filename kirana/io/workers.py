"""Running a function over many tasks in worker processes, results in task order.

Used by the CSV import to plan chunks of rows on every core while the main process appends.
Workers are forked on Linux (fast, and no re-run of the caller's main module), spawned
elsewhere; they get only plain data and never touch the parent's SQLite connection (a forked
worker ends with os._exit, so not even a finaliser does). A worker that dies (killed, out of
memory) fails the import with BrokenProcessPool instead of leaving it waiting forever. At most `ahead` tasks per worker are in flight, so memory stays flat
however long the input is. `processes=0` runs everything in this process (a small file is
done before a worker could start).
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any


def ordered_map(
    func: Callable[[Any], Any],
    tasks: Iterable[Any],
    *,
    processes: int,
    initializer: Callable[..., None],
    initargs: tuple = (),
    ahead: int = 3,
) -> Iterator[Any]:
    """func(task) for each task, in order; `initializer(*initargs)` first in each process."""
    if processes == 0:
        initializer(*initargs)
        yield from map(func, tasks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from kirana.errors import KiranaError

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    with ProcessPoolExecutor(
        processes, multiprocessing.get_context(method), initializer, initargs
    ) as pool:
        pending: deque = deque()
        try:
            for task in tasks:
                pending.append(pool.submit(func, task))
                if len(pending) >= ahead * processes:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BrokenProcessPool:
            raise KiranaError(
                "a worker process stopped (killed, or out of memory); nothing was imported. "
                "Try again, or with --workers 0"
            ) from None
        finally:
            for future in pending:
                future.cancel()
