"""Identifiers a payload may carry, checked in one place: Indian mobile numbers, UPI ids, GSTINs
(python-stdnum), and the rule that a shop's GSTIN and state agree. Payload builders
(kirana.rules.payloads) and the commands call these; nothing else checks an identifier."""

from __future__ import annotations

import re

from kirana import catalog
from kirana.errors import InputError
from kirana.events import strict_rules
from kirana.i18n import tr


def clean_phone(phone: str) -> str:
    """An Indian mobile as 91XXXXXXXXXX (what wa.me links need): accepts 98765 43210,
    09876543210, +91-98765-43210."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if any(ch not in "0123456789+- ()" for ch in phone):
        digits = ""
    if len(digits) == 11 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) == 10:
        return "91" + digits
    if len(digits) == 12 and digits.startswith("91"):
        return digits
    raise InputError(
        tr("phone {phone!r} is not a phone number; type 10 digits, e.g. 9876543210").format(
            phone=phone
        )
    )


def check_gstin(value: str) -> str:
    """A GSTIN as typed (any case), checked with python-stdnum: its form, a GST state code
    (01 to 38), the PAN in it and its check character. Returns it upper-cased. (stdnum has no
    code 38, Ladakh: for it the PAN and the check character are checked one by one.)"""

    from stdnum import luhn
    from stdnum.exceptions import InvalidChecksum, ValidationError
    from stdnum.in_ import gstin, pan

    number = gstin.compact(str(value))
    if not re.fullmatch(r"\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]", number):
        raise InputError(
            tr("GSTIN {value!r} is not 15 characters like 27AAPFU0939F1ZV").format(value=value)
        )
    if not strict_rules():  # an old event: its rules checked only this form
        return number
    if number[:2] not in catalog.GST_STATES:
        raise InputError(
            tr("GSTIN {value!r} begins with {code}, not a state code (01 to 38)").format(
                value=value, code=number[:2]
            )
        )
    try:
        if number[:2] == "38":
            pan.validate(number[2:12])
            luhn.validate(number, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        else:
            gstin.validate(number)
    except InvalidChecksum:
        raise InputError(
            tr(
                "GSTIN {value!r} fails its check character (the last one): a character is mistyped; copy the GSTIN again from the GST registration certificate"
            ).format(value=value)
        ) from None
    except ValidationError:
        raise InputError(
            tr(
                "GSTIN {value!r} does not hold a valid PAN (characters 3 to 12); copy the GSTIN again from the GST registration certificate"
            ).format(value=value)
        ) from None
    return number


# ---- the shop's GSTIN and state -------------------------------------------------------------
def check_shop_agrees(data: dict, in_force: dict) -> None:
    """A shop's GSTIN begins with its state's code: a GSTIN or state set from a day (`data`,
    from shop_data) must agree with the other, as set with it or as in force that day
    (`in_force`, the settings before it: catalog.shop_settings_on)."""
    if not strict_rules():  # an old event: its rules did not compare them
        return
    gstin = data.get("gstin") or in_force.get("gstin")
    state = data.get("state") or in_force.get("state")
    if not ("gstin" in data or "state" in data) or not gstin or not state:
        return
    code, issued = catalog.state_code(state), str(gstin)[:2]
    if code == issued or issued not in catalog.GST_STATES:
        return
    home = f"{catalog.GST_STATES[issued]} ({issued})"
    if "gstin" not in data:
        raise InputError(
            tr(
                "state {state} does not match the shop's GSTIN {gstin}, which is from {home}; give the new state's GSTIN with it (--gstin)"
            ).format(state=state, gstin=gstin, home=home)
        )
    where = tr("the state given with it") if "state" in data else tr("the shop's state")
    raise InputError(
        tr(
            "GSTIN {gstin} is from {home}, but {where} is {state}{code}; give the shop's own GSTIN, or --state {gstin_state} with it if the shop is there"
        ).format(
            gstin=gstin,
            home=home,
            where=where,
            state=state,
            code=f" ({code})" if code else "",
            gstin_state=catalog.GST_STATES[issued],
        )
    )


def state_from_gstin(fields: dict, in_force: dict) -> dict:
    """`shop set --gstin` for a shop with no state yet: the state is the GSTIN's (its first
    two digits say which), so GST reports have a place of supply."""
    if fields.get("gstin") is None or fields.get("state") is not None or in_force.get("state"):
        return fields
    return {**fields, "state": catalog.GST_STATES[check_gstin(str(fields["gstin"]))[:2]]}


_UPI_ID = re.compile(r"[a-z0-9][a-z0-9._-]{1,255}@[a-z][a-z0-9.-]{1,63}")


def check_upi_id(value: str) -> str:
    """A UPI id (VPA) as `name@handle`, e.g. `9876543210@ybl` or `sharma.store@okhdfcbank`:
    letters, digits, `.`, `-` and `_` before the `@`, a handle that begins with a letter after
    it. Returns it lower-cased (UPI ids are not case-sensitive), so one payer has one spelling."""
    typed = str(value).strip()
    vpa = typed.lower()
    if not _UPI_ID.fullmatch(vpa):
        raise InputError(
            tr(
                "UPI id {typed!r} is not like name@bank (e.g. 9876543210@ybl or shop.name@okhdfcbank); copy it from the UPI app"
            ).format(typed=typed)
        )
    return vpa
