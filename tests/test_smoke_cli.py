"""The Sharma store story end to end through the CLI (SPEC acceptance 2)."""


def test_sharma_store_dues(kirana, clock):
    assert kirana("customer", "add", "Priya Madam").exit_code == 0
    r = kirana(
        "sale", "Priya", "atta:1@250", "oil:1@180", "dal:2@120", "--credit", "--on", "2024-08-12"
    )
    assert r.exit_code == 0, r.stderr
    assert "₹670.00" in r.stdout
