"""Running a function over many tasks in worker processes, results in task order.

Used by the CSV import to plan chunks of rows on every core while the main process appends.
Workers are forked where the system can (fast, and no re-run of the caller's main module),
else spawned; they get only plain data and never touch the parent's SQLite connection (a
forked worker ends with os._exit, so not even a finaliser does). At most `ahead` tasks per worker are in flight, so memory stays flat
however long the input is. `processes=0` runs everything in this process (a small file is
done before a worker could start).
"""

from __future__ import annotations

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

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with context.Pool(processes, initializer, initargs) as pool:
        pending: deque = deque()
        for task in tasks:
            pending.append(pool.apply_async(func, (task,)))
            if len(pending) >= ahead * processes:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
