"""The command line: Typer commands that parse, call one core function, and render.

Nothing outside this package imports it. Heavy modules (rich, sqlite-utils, report code) are
imported inside the commands that need them, so `kirana --help` starts quickly.
"""
