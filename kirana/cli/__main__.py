"""`python -m kirana.cli` runs the CLI."""

from kirana.cli.main import run

run()
