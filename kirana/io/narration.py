"""What a bank's narration says about a credit: the transfer's kind, its UTR/RRN, the payer's
name and UPI id, and their note. One table of patterns, for every bank (docs/bank-import.md).

A pattern is a literal prefix (matched ignoring case) and the fields that follow it, split by
one separator; the last field takes the rest of the text. `_` marks a field kirana does not
keep (an IFSC, a bank's name, an account number). A pattern applies only when its UTR field
is a UTR (12 to 22 letters and digits, with a digit) and its UPI id field, if any, has an `@`;
otherwise the next pattern is tried. A narration no pattern reads still gives what it plainly
holds: the kind from its first word, a UPI id anywhere in it, a 12-digit RRN.

`parse(format_narration(name, fields)) == fields` for every pattern (a property test).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

UTR = re.compile(r"(?=[A-Z0-9]*[0-9])[A-Z0-9]{12,22}", re.IGNORECASE | re.ASCII)
_VPA = re.compile(r"[a-z0-9][a-z0-9._-]{1,255}@[a-z][a-z0-9.-]{1,63}", re.IGNORECASE | re.ASCII)
_RRN = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")


@dataclass(frozen=True)
class Transfer:
    """What a narration (or a UPI app's report row) says about one credit."""

    kind: str  # upi, imps, neft, rtgs
    utr: str | None = None
    name: str | None = None
    vpa: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Pattern:
    name: str
    kind: str
    prefix: str
    sep: str
    fields: tuple[str, ...]  # utr, name, vpa, note, or _ (not kept)


PATTERNS: tuple[Pattern, ...] = (
    # HDFC Bank
    Pattern("hdfc-upi", "upi", "UPI-", "-", ("name", "vpa", "_", "utr", "note")),
    Pattern("hdfc-neft", "neft", "NEFT CR-", "-", ("_", "name", "note", "utr")),
    Pattern("hdfc-rtgs", "rtgs", "RTGS CR-", "-", ("_", "name", "note", "utr")),
    Pattern("hdfc-imps", "imps", "IMPS-", "-", ("utr", "name", "_", "_", "note")),
    # State Bank of India
    Pattern("sbi-upi", "upi", "BY TRANSFER-UPI/CR/", "/", ("utr", "name", "_", "vpa", "note")),
    Pattern("sbi-neft", "neft", "BY TRANSFER-NEFT*", "*", ("_", "utr", "name", "note")),
    Pattern("sbi-imps", "imps", "BY TRANSFER-IMPS/", "/", ("utr", "name", "_", "note")),
    # Axis Bank (person to account; P2M when the shop's QR is a merchant QR)
    Pattern("axis-upi", "upi", "UPI/P2A/", "/", ("utr", "name", "_", "note")),
    Pattern("axis-upi-qr", "upi", "UPI/P2M/", "/", ("utr", "name", "_", "note")),
    Pattern("axis-imps", "imps", "IMPS/P2A/", "/", ("utr", "_", "name", "note")),
    Pattern("axis-neft", "neft", "NEFT/", "/", ("utr", "name", "_", "note")),
    # Kotak and others: UPI/CR/UTR/NAME/BANK/VPA/NOTE
    Pattern("upi-cr", "upi", "UPI/CR/", "/", ("utr", "name", "_", "vpa", "note")),
    # ICICI Bank
    Pattern("icici-upi", "upi", "UPI/", "/", ("utr", "note", "vpa", "_")),
    Pattern("icici-upi-named", "upi", "UPI/", "/", ("name", "vpa", "note", "_", "utr")),
    Pattern("icici-imps", "imps", "MMT/IMPS/", "/", ("utr", "note", "name", "_")),
    Pattern("icici-neft", "neft", "NEFT-", "-", ("utr", "name", "note")),
    # Kotak Mahindra Bank
    Pattern("kotak-upi", "upi", "UPI/", "/", ("name", "utr", "note")),
    Pattern("kotak-imps", "imps", "IMPS/", "/", ("name", "utr", "note")),
)
BY_NAME = {pattern.name: pattern for pattern in PATTERNS}
_KINDS = {"UPI": "upi", "IMPS": "imps", "MMT": "imps", "NEFT": "neft", "RTGS": "rtgs"}
_CREDIT_PREFIX = re.compile(r"^(BY TRANSFER-|BY |TRANSFER FROM )", re.IGNORECASE)


def parse(text: str) -> Transfer | None:
    """The transfer a narration describes, or None if it is not a UPI/IMPS/NEFT/RTGS credit."""
    narration = " ".join(str(text or "").split())
    for pattern in PATTERNS:
        if narration[: len(pattern.prefix)].upper() == pattern.prefix.upper():
            found = _read(pattern, narration[len(pattern.prefix) :])
            if found is not None:
                return found
    return _loose(narration)


def _read(pattern: Pattern, rest: str) -> Transfer | None:
    parts = rest.split(pattern.sep, len(pattern.fields) - 1)
    if len(parts) < len(pattern.fields) - 1:  # the last field (a note) may be missing
        return None
    values: dict[str, str | None] = {}
    for field, part in zip(pattern.fields, parts, strict=False):
        if field != "_":
            values[field] = part.strip() or None
    utr, vpa = values.get("utr"), values.get("vpa")
    if utr is None or not UTR.fullmatch(utr) or (vpa is not None and "@" not in vpa):
        return None
    if "vpa" in pattern.fields and vpa is None:
        return None
    return Transfer(pattern.kind, utr.upper(), values.get("name"), _lower(vpa), values.get("note"))


def _loose(narration: str) -> Transfer | None:
    """A narration no pattern reads: its kind from its first word, a UPI id and an RRN."""
    words = re.split(r"[-/:* ]+", _CREDIT_PREFIX.sub("", narration), maxsplit=1)
    kind = _KINDS.get(words[0].upper()) if words and words[0] else None
    if kind is None:
        return None
    vpa = _VPA.search(narration)
    rrn = _RRN.search(narration)
    return Transfer(kind, rrn.group(0) if rrn else None, None, _lower(vpa and vpa.group(0)))


def _lower(vpa: str | None) -> str | None:
    return vpa.lower() if vpa else None


def format_narration(name: str, transfer: Transfer) -> str:
    """The narration pattern `name` prints for this transfer (tests write statements with it)."""
    pattern = BY_NAME[name]
    cells = ["" if field == "_" else (getattr(transfer, field) or "") for field in pattern.fields]
    cells = [cell or ("XXXX" if field == "_" else "") for cell, field in zip(cells, pattern.fields)]
    return pattern.prefix + pattern.sep.join(cells)


def with_reference(transfer: Transfer | None, reference: str, kind: str = "upi") -> Transfer | None:
    """A statement's reference column fills in the UTR a narration lacks (HDFC pads a 12-digit
    RRN with zeros to 16: `0000421356789012`)."""
    ref = reference.strip().upper()
    for prefix in ("UPI-", "IMPS-", "NEFT-", "RTGS-"):
        ref = ref.removeprefix(prefix)
    if ref.isascii() and ref.isdigit() and len(ref) > 12:
        ref = ref.lstrip("0").rjust(12, "0")
    if not UTR.fullmatch(ref) or set(ref) == {"0"}:
        return transfer
    if transfer is None:
        return Transfer(kind, ref)
    return transfer if transfer.utr else replace(transfer, utr=ref)
