"""`python -m kirana` runs the CLI."""

from kirana.cli.start import run

run()
