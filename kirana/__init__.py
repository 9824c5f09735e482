"""kirana: an append-only khata (credit ledger) for Indian kirana stores."""

__version__ = "0.1.0"
