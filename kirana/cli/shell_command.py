"""`kirana shell` as the lazy command table (kirana.cli.lazy) loads it: the shell's command
(kirana.cli.shell) with the app's own dispatch handed in, so each typed line runs in this
process through the same command tree and error mapping as `kirana` itself."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from kirana.cli import main, shell

    shell.register(app, lambda args, command: main.dispatch(args, command))
