"""Two folders of a command's outputs, compared byte for byte (statement_outputs.py and
aging_outputs.py write them, one folder per checkout)."""

from __future__ import annotations

from pathlib import Path


def compare(first: Path, second: Path) -> int:
    """Print each file that is in one folder only or differs, then a count; 1 if any does."""
    names = sorted({p.relative_to(first) for p in first.rglob("*") if p.is_file()})
    names_b = sorted({p.relative_to(second) for p in second.rglob("*") if p.is_file()})
    differ = [str(n) for n in names if not (second / n).exists()]
    differ += [str(n) for n in names_b if not (first / n).exists()]
    differ += [
        str(n)
        for n in names
        if (second / n).exists() and (first / n).read_bytes() != (second / n).read_bytes()
    ]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names)} files compared, {len(differ)} differ")
    return 1 if differ else 0
