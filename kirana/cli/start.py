"""How a `kirana` process starts and ends: the entry point of the console script and of
`python -m kirana`.

A counter command (`sale`, `pay`, `balance NAME`) lives for a tenth of a second, and a good
part of that went to Python's cyclic garbage collector, not to the ledger:

- while the CLI's modules load, the collector ran again and again over the thousands of
  objects imports create (modules, classes, functions: they live as long as the process, and
  hold no garbage). It is paused while they load; afterwards they are frozen (`gc.freeze`,
  moved where the collector never walks) and it runs as usual for the command itself, so a
  long import or a day-long `kirana shell` collects exactly as before;
- at exit, Python collects once more over everything the process still holds. The command
  has finished (its ledger closed, its output written) by then: what it holds is frozen too,
  so that last walk has nothing to do. Memory goes back to the system with the process.

Nothing here changes what a command does or prints; `main.main` (the tests' in-process entry)
does not go through it.
"""

from __future__ import annotations

import gc
import sys


def run() -> None:
    """Start the CLI with the collector paused while its modules load; exit with the code."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        from kirana.cli.main import main
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    code = main()
    gc.freeze()  # the exit's own collection skips what the finished command still holds
    sys.exit(code)
