"""Which column of a bank statement (or a UPI app's report) holds what: one table of profiles.

A profile names, for each thing kirana reads, the header names a bank uses for it (compared
with letters and digits only, ignoring case: `Withdrawal Amt.` = `withdrawalamt`), and the
names that must all be in a row for it to be that bank's header row (`signature`). The header
row is the first row, within the first HEADER_SEARCH_ROWS, where a profile's signature and date
column are found; rows above it (the account holder, the period) are the preamble.

Amounts come either as two columns (credit, debit) or as one `amount` column with a `flag`
column (Dr/Cr, or a UPI app's PAYMENT/REFUND, SUCCESS/FAILED). `generic` is built from
`--columns date=…,narration=…,credit=…` (see `generic_profile`). Adding a bank is adding a row
here, and its narrations to kirana.io.narration (docs/bank-import.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kirana.errors import InputError
from kirana.i18n import tr

HEADER_SEARCH_ROWS = 60
ROLES = ("date", "narration", "credit", "debit", "amount", "flag", "ref", "vpa", "payer")
CREDIT_FLAGS = {"cr", "c", "credit", "payment", "success", "settled", "received"}
DEBIT_FLAGS = {"dr", "d", "debit", "refund", "failed", "pending", "reversed"}


def key(name: object) -> str:
    """A header name as compared: letters and digits, lower case."""
    return re.sub(r"[^a-z0-9]", "", str(name or "").lower())


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    signature: tuple[str, ...]  # header names (as written) that identify the bank
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> names
    method: str | None = None  # fixed method (a UPI app's report), else from the narration

    def find(self, header: list[str]) -> dict[str, int] | None:
        """Role -> column index for this header row, or None if it is not this profile's."""
        index: dict[str, int] = {}
        for position, cell in enumerate(header):
            index.setdefault(key(cell), position)
        if not all(key(name) in index for name in self.signature):
            return None
        found = {}
        for role, names in self.columns.items():
            for name in names:
                if key(name) in index:
                    found[role] = index[key(name)]
                    break
        if "date" not in found or ("credit" not in found and "amount" not in found):
            return None
        return found


def _p(name, title, signature, method=None, **columns) -> Profile:
    return Profile(name, title, tuple(signature), {r: tuple(n) for r, n in columns.items()}, method)


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        _p(
            "hdfc",
            "HDFC Bank",
            ["Narration", "Withdrawal Amt.", "Deposit Amt."],
            date=["Date", "Transaction Date"],
            narration=["Narration"],
            ref=["Chq./Ref.No.", "Chq/Ref Number"],
            debit=["Withdrawal Amt."],
            credit=["Deposit Amt."],
        ),
        _p(
            "sbi",
            "State Bank of India",
            ["Txn Date", "Description"],
            date=["Txn Date"],
            narration=["Description"],
            ref=["Ref No./Cheque No.", "Ref No/Cheque No"],
            debit=["Debit"],
            credit=["Credit"],
        ),
        _p(
            "icici",
            "ICICI Bank",
            ["Transaction Remarks"],
            date=["Transaction Date", "Value Date"],
            narration=["Transaction Remarks"],
            ref=["Cheque Number"],
            debit=["Withdrawal Amount (INR )", "Withdrawal Amount"],
            credit=["Deposit Amount (INR )", "Deposit Amount"],
        ),
        _p(
            "axis",
            "Axis Bank",
            ["Tran Date", "Particulars"],
            date=["Tran Date"],
            narration=["Particulars"],
            ref=["CHQNO", "Chq No"],
            debit=["DR", "Debit"],
            credit=["CR", "Credit"],
        ),
        _p(
            "kotak",
            "Kotak Mahindra Bank",
            ["Description", "Chq / Ref No.", "Dr / Cr"],
            date=["Transaction Date", "Date"],
            narration=["Description"],
            ref=["Chq / Ref No."],
            amount=["Amount"],
            flag=["Dr / Cr"],
        ),
        _p(
            "phonepe",
            "PhonePe for Business settlement report",
            ["PhonePeReferenceId", "PaymentType"],
            method="upi",
            date=["TransactionDate", "CreationDate"],
            amount=["Amount"],
            flag=["PaymentType"],
            ref=["BankReferenceNo", "PhonePeReferenceId"],
            payer=["From"],
        ),
        _p(
            "paytm",
            "Paytm for Business settlement report",
            ["Transaction ID", "UTR No."],
            method="upi",
            date=["Transaction Date"],
            amount=["Amount"],
            flag=["Status"],
            ref=["UTR No.", "Transaction ID"],
            vpa=["Customer VPA"],
            payer=["Customer Name"],
        ),
    )
}
NAMES = (*PROFILES, "generic")


def profile_named(name: str | None, columns: str | None) -> Profile | None:
    """The profile `--profile NAME` names (None: detect it from the header row)."""
    if name is None or not name.strip():
        if columns:
            return generic_profile(columns)
        return None
    chosen = name.strip().lower()
    if chosen == "generic":
        return generic_profile(columns)
    if chosen not in PROFILES:
        raise InputError(
            tr("bank profile {name!r} is unknown; use one of {names}").format(
                name=name, names=", ".join(NAMES)
            )
        )
    if columns:
        raise InputError(
            tr("--columns is for --profile generic; leave it out for {profile}").format(
                profile=chosen
            )
        )
    return PROFILES[chosen]


def generic_profile(columns: str | None) -> Profile:
    """`--columns date=Txn Date,narration=Remarks,credit=Deposit,ref=UTR`: any statement."""
    if not columns:
        raise InputError(
            tr(
                "--profile generic needs --columns, e.g. --columns 'date=Txn Date,narration=Remarks,credit=Deposit,debit=Withdrawal,ref=UTR'"
            )
        )
    chosen: dict[str, tuple[str, ...]] = {}
    for part in columns.split(","):
        role, sep, name = part.partition("=")
        role = role.strip().lower()
        if not sep or not name.strip():
            raise InputError(
                tr("--columns part {part!r} is not ROLE=HEADER, e.g. date=Date").format(
                    part=part.strip()
                )
            )
        if role not in ROLES:
            raise InputError(
                tr("--columns role {role!r} is unknown; use {roles}").format(
                    role=role, roles=", ".join(ROLES)
                )
            )
        chosen[role] = (name.strip(),)
    if "date" not in chosen or not ("credit" in chosen or "amount" in chosen):
        raise InputError(tr("--columns must name date=…, and credit=… (or amount=… with flag=…)"))
    signature = tuple(names[0] for names in chosen.values())
    return Profile("generic", "the columns given", signature, chosen)


def detect(rows: list[tuple[int, list]], given: Profile | None) -> tuple[int, Profile, dict]:
    """(position in `rows` of the header row, its profile, role -> column) — the first row
    among the first HEADER_SEARCH_ROWS that is a profile's header (`given`'s only, if given)."""
    candidates = [given] if given is not None else list(PROFILES.values())
    for position, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        header = [str(cell) if cell is not None else "" for cell in cells]
        for profile in candidates:
            found = profile.find(header)
            if found is not None:
                return position, profile, found
    if given is not None:
        wanted = ", ".join(given.signature)
        raise InputError(
            tr(
                "no header row with {title}'s columns ({wanted}) in the first {header_search_rows} rows; check --profile, or use --profile generic --columns …"
            ).format(title=given.title, wanted=wanted, header_search_rows=HEADER_SEARCH_ROWS)
        )
    raise InputError(
        tr(
            "no header row of a known statement (HDFC, SBI, ICICI, Axis, Kotak, PhonePe, Paytm) in the first {header_search_rows} rows; name its columns with --profile generic --columns 'date=…,narration=…,credit=…,ref=…'"
        ).format(header_search_rows=HEADER_SEARCH_ROWS)
    )


def direction(flag: object) -> str | None:
    """'credit', 'debit', or None for a Dr/Cr (or PAYMENT/REFUND) cell kirana does not know."""
    word = key(flag)
    if word in CREDIT_FLAGS:
        return "credit"
    if word in DEBIT_FLAGS:
        return "debit"
    return None
