"""Issue 2 acceptance 6: two processes appending at once both succeed; the chain stays whole."""

import subprocess
import sys
import textwrap

from kirana.ledger import open_ledger
from kirana.verify import verify

WRITER = textwrap.dedent(
    """
    import sys
    from kirana import dates, recording
    from kirana.ledger import open_ledger

    path, who, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(count):
        with open_ledger(path) as ledger:  # a fresh connection per append, like separate commands
            recording.record_payment(ledger, who, 100 + i, occurred_at=dates.parse_occurred_at(None))
    print("done", who)
    """
)


def test_two_processes_append_200_each(db_path):
    with open_ledger(db_path) as ledger:
        from kirana import recording

        recording.add_customer(ledger, "Priya")
        recording.add_customer(ledger, "Amit")
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path), who, "200"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("Priya", "Amit")
    ]
    outputs = [w.communicate(timeout=300) for w in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert err == ""
    with open_ledger(db_path) as ledger:
        assert ledger.event_count() == 402
        seqs = [e.seq for e in ledger.iter_events()]
        assert seqs == list(range(1, 403))
        result = verify(ledger)
        assert result.ok, result.problems


def test_two_cli_processes_at_once_show_no_errors(db_path, kirana_process):
    assert kirana_process("customer", "add", "Priya").exit_code == 0
    script = "for i in $(seq 15); do kirana pay Priya 10 || echo FAILED >&2; done"
    shells = [
        subprocess.Popen(
            ["bash", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    for shell in shells:
        _, err = shell.communicate(timeout=300)
        assert err == ""
    assert kirana_process("verify").exit_code == 0
    assert (
        kirana_process("balance", "Priya", "--json").json()["balances"][0]["balance_paise"]
        == -30000
    )
