"""Issue 13 acceptance, end to end with real `kirana` processes and KIRANA_NOW: the accountant
gets September's month report on 1 Oct; a late entry for 28 Sep is typed on 3 Oct;
`report month 2025-09 --as-known-at <1 Oct>` still prints the 1 Oct report exactly (only
generated_at differs), the current one says what changed; once September is closed the next
late entry is refused; dues, dues --aging and the month's closing dues give the same net (and
owed, advances apart)."""

from __future__ import annotations

from conftest import run_kirana_process


def at(moment: str, *args: str):
    result = run_kirana_process(*args, env={"KIRANA_NOW": moment})
    assert result.exit_code == 0, (args, result.stderr)
    return result


def without_generated_at(body: dict) -> dict:
    return {key: value for key, value in body.items() if key != "generated_at"}


def test_the_september_story():
    september = [
        ("2025-09-02T10:00:00", "customer", "add", "Priya Madam"),
        ("2025-09-02T10:01:00", "customer", "add", "Ravi"),
        ("2025-09-02T10:02:00", "sale", "Priya", "--amount", "9363.49", "--credit"),
        ("2025-09-05T11:00:00", "sale", "Ravi", "--amount", "100", "--credit"),
        ("2025-09-25T12:00:00", "pay", "Ravi", "308", "--upi", "--ref", "UTR123"),
    ]
    for moment, *args in september:
        at(moment, *args)
    report = ("report", "month", "2025-09", "--format", "json")
    handed_over = at("2025-10-01T18:00:00", *report).json()  # the accountant's copy
    assert handed_over["closing_dues_paise"] == 915549

    late = at("2025-10-03T09:30:00", "sale", "Priya", "--amount", "75", "--credit",
              "--on", "2025-09-28")  # fmt: skip
    assert "Priya Madam's dues now ₹9,438.49" in late.stdout
    today = at("2025-10-03T09:45:00", *report).json()
    assert today["closing_dues_paise"] == 915549 + 7500  # the late entry changed September
    again = at("2025-10-03T09:45:00", *report, "--as-known-at", "2025-10-01 18:00").json()
    assert without_generated_at(again) == without_generated_at(handed_over)
    assert again["head"] == handed_over["head"]

    closing = at("2025-10-03T10:00:00", "close", "2025-09")
    assert closing.stdout.startswith("#7 Closed 2025-09 at entry 6 (hash ")
    refused = run_kirana_process(
        "pay", "Priya", "50", "--on", "2025-09-29", env={"KIRANA_NOW": "2025-10-05T10:00:00"}
    )
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == (
        "Error: September 2025 is closed (filed on 3 Oct); record it with today's date, "
        "or `kirana reopen 2025-09 --reason …`\n"
    )

    now = "2025-10-05T10:05:00"
    dues = at(now, "dues", "--json").json()
    aging = at(now, "dues", "--aging", "--json").json()
    month = at(now, *report).json()
    balances = at(now, "balance", "--json").json()
    totals = {(body["owed_paise"], body["advances_paise"], body["net_paise"])
              for body in (dues, aging, balances)}  # fmt: skip
    assert totals == {(943849, 20800, 923049)}
    assert month["closing_dues_paise"] == 923049
    assert month["closing"]["owed_paise"] == 943849
    assert (month["closes"][0]["closed_at_entry"], month["closes"][0]["changed_after"]) == (6, [])
    table = at(now, "report", "month", "2025-09").stdout
    assert "Closed: 2025-09 at entry 6 (hash " in table
    assert "Changed after the close: nothing" in table
    assert "OK:" in at(now, "verify").stdout
