"""`python -m kirana` runs the CLI."""

from kirana.cli.main import run

run()
