"""Click's usage errors ("No such option", "Missing argument", …) in the shopkeeper's language.

Typer parses the command line with its own copy of Click, which writes these messages in
English with the values already filled in (it has no gettext catalog to point at a language).
They are translated here, at the one place kirana shows them (cli/main.py): each message Click
can give is listed below as a template marked for kirana's catalog; the English text is matched
against the templates, and the translated template is filled with the same values (an option
name, a command, what was typed). A message no template matches is shown as Click wrote it.
tests/test_i18n_usage.py runs real command lines so that a Click upgrade that rewords a
message shows up as a failing test, not as English in the middle of Hindi.
"""

from __future__ import annotations

import re
from functools import cache

from kirana.i18n import marked, tr

# The most specific first: a template is tried only when none before it matched.
TEMPLATES = (
    marked("No such option: {name} (Possible options: {options})"),
    marked("No such option: {name}"),
    marked("No such command {name}. Did you mean {suggestions}?"),
    marked("No such command {name}."),
    marked("Missing command."),
    marked("Missing argument {name}."),
    marked("Missing option {name}."),
    marked("Missing parameter {name}."),
    marked("Option {name} requires an argument."),
    marked("Option {name} requires {count} arguments."),
    marked("Option {name} does not take a value."),
    marked("Argument {name} takes {count} values."),
    marked("Got unexpected extra argument(s) ({arguments})"),
    marked("Invalid value for {name}: {reason}"),
    marked("Invalid value: {reason}"),
    # the reasons Click gives inside "Invalid value for …"
    marked("{value} is not a valid integer."),
    marked("{value} is not a valid int."),
    marked("{value} is not a valid float."),
    marked("{value} is not a valid boolean. Recognized values: {values}"),
    marked("{value} is not in the range {range}."),
    marked("{value} is not one of {choices}."),
    marked("{value} is not {choice}."),
    marked("{value} does not match the formats {formats}."),
)
NESTED = {"reason"}  # a field that is itself one of Click's messages


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    found = []
    for template in TEMPLATES:
        pattern = ""
        for literal, field, _spec, _conversion in _fields(template):
            pattern += re.escape(literal)
            if field is not None:
                pattern += f"(?P<{field}>.+?)" if field not in NESTED else f"(?P<{field}>.+)"
        found.append((template, re.compile(pattern + r"\Z", re.DOTALL)))
    return tuple(found)


def _fields(template: str):
    import string

    return string.Formatter().parse(template)


def translated(message: str) -> str:
    """Click's English `message` in the language in force (unchanged if no template fits)."""
    for template, pattern in _patterns():
        match = pattern.match(message)
        if match is None:
            continue
        values = match.groupdict()
        for field in NESTED & set(values):
            values[field] = translated(values[field])
        return tr(template).format(**values)
    return message


def see_help(command_path: str) -> str:
    """The hint after a usage error: where the command's help is."""
    return tr("(see {command} --help)").format(command=command_path)
