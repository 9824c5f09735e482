"""Running a function over many tasks in worker processes, results in task order.

Used by the CSV import to plan chunks of rows on every core while the main process appends.
Workers are forked on Linux (fast, and no re-run of the caller's main module), spawned
elsewhere; they get only plain data and never touch the parent's SQLite connection (a forked
worker ends with os._exit, so not even a finaliser does). A worker that dies (killed, out of
memory) fails the import with BrokenProcessPool instead of leaving it waiting forever; on POSIX
a worker whose import was killed exits within a second instead of waiting for its next task.
Ctrl-C is the parent's: workers ignore it, and it is held while they start (see _ctrl_c_held).
At most `ahead` tasks per worker are in flight, so memory stays flat however long the input
is. `processes=0` runs everything in this process (a small file is done before a worker could
start).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from kirana.i18n import tr


def ordered_map(
    func: Callable[[Any], Any],
    tasks: Iterable[Any],
    *,
    processes: int,
    initializer: Callable[..., None],
    initargs: tuple = (),
    ahead: int = 3,
) -> Iterator[Any]:
    """func(task) for each task, in order; `initializer(*initargs)` first in each process, which
    runs under the caller's settings (the language of its messages, the clock, the timezone)."""
    if processes == 0:
        initializer(*initargs)
        yield from map(func, tasks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from kirana import settings
    from kirana.errors import KiranaError

    method = "fork" if sys.platform.startswith("linux") else "spawn"
    tasks = iter(tasks)
    pending: deque = deque()
    pool = ProcessPoolExecutor(
        processes,
        multiprocessing.get_context(method),
        _start_worker,
        (os.getpid(), settings.current(), initializer, initargs),
    )
    try:
        with _ctrl_c_held():  # the workers start with Ctrl-C held; _start_worker ignores it
            for task in islice(tasks, processes):  # starts every worker and the pool's thread
                pending.append(pool.submit(func, task))
        # a Ctrl-C held above arrives here, with the pool ready to be shut down
        for task in tasks:
            pending.append(pool.submit(func, task))
            if len(pending) >= ahead * processes:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:
        raise KiranaError(
            tr(
                "a worker process stopped (killed, or out of memory); nothing was imported. Try again, or with --workers 0"
            )
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold SIGINT (deliver it afterwards) while worker processes are being started: a worker
    must not get Ctrl-C before it ignores it, nor the pool before its thread runs (it would
    then never tell its workers to stop). Nothing to hold where signals cannot be masked."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


ORPHAN_CHECK_SECONDS = 0.5


def _start_worker(parent: int, chosen, initializer: Callable[..., None], initargs: tuple) -> None:
    """A worker's start: leave Ctrl-C to the parent (which stops the workers; a worker would
    print a traceback), watch for the parent's death, put the parent's settings in force (a
    spawned worker would otherwise read only the environment: no --lang, no shop language),
    then the caller's initializer."""
    from kirana import settings

    settings.install(chosen)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held by _ctrl_c_held
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    initializer(*initargs)


def _exit_when_orphaned(parent: int) -> None:
    """A killed import (SIGKILL, OOM killer) cannot stop its workers, and they would wait for
    tasks forever: each one ends itself once its parent is gone (POSIX, where an orphan gets
    a new parent; on Windows getppid() keeps the dead parent's id, so this never fires)."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)
