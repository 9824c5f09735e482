"""The shop's GSTIN is checked with python-stdnum (its check character, state code and PAN), and
it must agree with the shop's state: given together, or against the state in force that day.
The same rules refuse a hash-valid shop_configured arriving by JSONL."""

from __future__ import annotations

import pytest
from test_jsonl_rules import chained

GOOD = "27AAPFU0939F1ZV"  # Maharashtra (the example of stdnum and of the GST portal)
BAD_CHECK = "27AAPFU0939F1ZA"
KARNATAKA = "29AAPFU0939F1ZR"
LADAKH = "38AAPFU0939F1ZS"
CHECK_ERROR = (
    f"Error: GSTIN '{BAD_CHECK}' fails its check character (the last one): a character is"
    " mistyped; copy the GSTIN again from the GST registration certificate\n"
)


def events(kirana) -> list[dict]:
    """Every entry in the ledger (none when no command has created it yet)."""
    result = kirana("log", "--json")
    if result.exit_code == 1 and "no ledger at" in result.stderr:
        return []
    return result.json()["events"]


def refused(kirana, *args: str) -> str:
    """Run a command that must fail as one Error line, appending nothing; its stderr."""
    before = len(events(kirana))
    result = kirana(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert len(events(kirana)) == before
    return result.stderr


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def shop_now(kirana) -> dict:
    configured = [e["data"] for e in events(kirana) if e["type"] == "shop_configured"]
    merged: dict = {}
    for data in configured:
        merged.update(data)
    return merged


def test_a_bad_check_character_is_refused_naming_the_fix(kirana):
    assert refused(kirana, "shop", "set", "--gstin", BAD_CHECK) == CHECK_ERROR


def test_a_good_gstin_is_kept_upper_cased_and_sets_a_missing_state(kirana):
    result = ok(kirana("shop", "set", "--gstin", GOOD.lower(), "--from", "2025-01-01"))
    assert result.stdout == f"#1 shop: gstin={GOOD}, state=Maharashtra from 2025-01-01\n"
    assert shop_now(kirana)["state"] == "Maharashtra"


def test_a_gstin_of_another_state_than_the_state_in_force_is_refused(kirana):
    ok(kirana("shop", "set", "--state", "Maharashtra", "--from", "2025-01-01"))
    assert refused(kirana, "shop", "set", "--gstin", KARNATAKA) == (
        f"Error: GSTIN {KARNATAKA} is from Karnataka (29), but the shop's state is Maharashtra"
        " (27); give the shop's own GSTIN, or --state Karnataka with it if the shop is there\n"
    )
    ok(kirana("shop", "set", "--gstin", GOOD))
    assert shop_now(kirana)["gstin"] == GOOD


def test_a_state_given_with_the_gstin_must_be_its_state(kirana):
    assert refused(kirana, "shop", "set", "--state", "Maharashtra", "--gstin", KARNATAKA) == (
        f"Error: GSTIN {KARNATAKA} is from Karnataka (29), but the state given with it is"
        " Maharashtra (27); give the shop's own GSTIN, or --state Karnataka with it if the"
        " shop is there\n"
    )
    ok(kirana("shop", "set", "--state", "karnataka", "--gstin", KARNATAKA))
    assert shop_now(kirana)["state"] == "Karnataka"


def test_a_new_state_must_come_with_its_gstin(kirana):
    ok(kirana("shop", "set", "--gstin", GOOD, "--from", "2025-01-01"))
    assert refused(kirana, "shop", "set", "--state", "Karnataka") == (
        f"Error: state Karnataka does not match the shop's GSTIN {GOOD}, which is from"
        " Maharashtra (27); give the new state's GSTIN with it (--gstin)\n"
    )
    ok(kirana("shop", "set", "--state", "Karnataka", "--gstin", KARNATAKA))


def test_the_state_in_force_is_the_one_on_the_effective_date(kirana):
    ok(kirana("shop", "set", "--state", "Maharashtra", "--from", "2025-01-01"))
    ok(kirana("shop", "set", "--state", "Karnataka", "--from", "2025-06-01"))
    ok(kirana("shop", "set", "--gstin", GOOD, "--from", "2025-02-01"))
    refused(kirana, "shop", "set", "--gstin", GOOD, "--from", "2025-07-01")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("maharashtra", "Maharashtra"),
        ("27", "Maharashtra"),
        ("7", "Delhi"),
        ("Orissa", "Odisha"),
        ("andaman & nicobar islands", "Andaman and Nicobar Islands"),
        ("38", "Ladakh"),
    ],
)
def test_the_state_is_stored_as_the_gst_portal_names_it(kirana, typed, stored):
    result = ok(kirana("shop", "set", "--state", typed, "--from", "2025-01-01"))
    assert result.stdout == f"#1 shop: state={stored} from 2025-01-01\n"


def test_an_unknown_state_is_refused_with_a_suggestion(kirana):
    assert refused(kirana, "shop", "set", "--state", "Maharastra") == (
        "Error: state 'Maharastra' is not an Indian state or union territory (did you mean"
        " Maharashtra?); give its name or its GST state code, e.g. Maharashtra or 27\n"
    )


@pytest.mark.parametrize(
    ("gstin", "error"),
    [
        ("27AAPFU0939F1Z", "is not 15 characters like 27AAPFU0939F1ZV"),
        ("99AAPFU0939F1ZV", "begins with 99, not a state code (01 to 38)"),
        ("27AAPDU0939F1ZV", "does not hold a valid PAN (characters 3 to 12)"),
    ],
)
def test_other_bad_gstins_say_what_is_wrong(kirana, gstin, error):
    assert error in refused(kirana, "shop", "set", "--gstin", gstin)


def test_ladakh_which_stdnum_does_not_know_is_checked_too(kirana):
    ok(kirana("shop", "set", "--gstin", LADAKH))
    assert shop_now(kirana)["state"] == "Ladakh"
    refused(kirana, "shop", "set", "--gstin", LADAKH[:-1] + "T")


def test_the_state_table_has_every_gst_state_code():
    from kirana.catalog import GST_STATES

    assert list(GST_STATES) == [f"{code:02d}" for code in range(1, 39)]
    assert GST_STATES["27"] == "Maharashtra" and GST_STATES["38"] == "Ladakh"


# ---- the same rules for a shop_configured that arrives by JSONL -------------------------------
def shop_event(data: dict, day: str = "2025-01-01"):
    return ("shop_configured", None, {**data, "effective_from": day}, {"occurred_at": day})


@pytest.mark.parametrize(
    ("specs", "phrase"),
    [
        ([shop_event({"gstin": BAD_CHECK})], "fails its check character"),
        ([shop_event({"gstin": KARNATAKA, "state": "Maharashtra"})], "is from Karnataka (29)"),
        (
            [shop_event({"state": "Maharashtra"}), shop_event({"gstin": KARNATAKA}, "2025-02-01")],
            "but the shop's state is Maharashtra (27)",
        ),
        ([shop_event({"state": "Atlantis"})], "not an Indian state"),
    ],
    ids=["check character", "state with it", "state in force", "unknown state"],
)
def test_a_hash_valid_shop_configured_breaking_the_rules_is_refused(
    kirana, tmp_path, specs, phrase
):
    path = tmp_path / "evil.jsonl"
    path.write_text(chained(*specs), encoding="utf-8")
    result = kirana("import", str(path))
    assert result.exit_code == 1
    assert phrase in result.stderr
    assert "Traceback" not in result.stderr
    assert events(kirana) == []


def test_a_hash_valid_shop_configured_with_a_good_gstin_imports(kirana, tmp_path):
    path = tmp_path / "ok.jsonl"
    specs = [shop_event({"state": "Maharashtra"}), shop_event({"gstin": GOOD}, "2025-02-01")]
    path.write_text(chained(*specs), encoding="utf-8")
    ok(kirana("import", str(path)))
    assert shop_now(kirana)["gstin"] == GOOD
