"""`python -m kirana.cli` runs the CLI."""

from kirana.cli.start import run

run()
