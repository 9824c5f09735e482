"""The exceptions kirana raises for command failures; the CLI maps each to `Error: …` + exit 1."""


class KiranaError(Exception):
    """Base class: a problem the user can fix. The message is one line and says how."""


class InputError(KiranaError):
    """A value typed by the user (amount, date, item, option) is not acceptable."""


class NotFoundError(KiranaError):
    """A customer, item or entry the user named does not exist."""


class RuleError(KiranaError):
    """The request is well-formed but breaks a ledger rule (e.g. voiding a void)."""


class LedgerError(KiranaError):
    """The ledger file itself is unusable (not a kirana file, newer schema, corrupt)."""
