"""`workbook samples` and `workbook check` as a user runs them."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from workbook.core.paths import SAMPLES


def workbook(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbook.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300)


def test_samples_regenerate_byte_identical_to_the_committed_ones(tmp_path: Path) -> None:
    done = workbook("samples", "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert written == sorted(p.name for p in SAMPLES.glob("*.csv"))
    for name in written:
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes(), name


def test_check_summarises_a_good_file() -> None:
    done = workbook("check", SAMPLES / "transactions.csv")
    assert done.returncode == 0
    assert "valid transactions file" in done.stdout


def test_check_names_file_column_and_line_of_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "export.csv"
    bad.write_text("customer_id,date,amount\nC1,2024-13-01,10\nC2,2024-01-02,-5\n")
    before = bad.read_bytes()
    done = workbook("check", bad)
    assert done.returncode == 2
    assert "export.csv" in done.stderr and "'date'" in done.stderr and "line 2" in done.stderr
    assert "'amount'" in done.stderr
    assert bad.read_bytes() == before


def test_check_reports_a_missing_column(tmp_path: Path) -> None:
    bad = tmp_path / "export.csv"
    bad.write_text("client,date,amount\nC1,2024-01-01,10\n")
    done = workbook("check", bad)
    assert done.returncode == 2 and "customer_id" in done.stderr


def test_dashboard_refuses_a_bad_transactions_file_before_serving(tmp_path: Path) -> None:
    bad = tmp_path / "export.csv"
    bad.write_text("customer_id,when,amount\nA,2025-01-01,10\n")
    with socket.socket() as probe:  # a free port, so only the file can be the problem
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    done = workbook("dashboard", "--transactions", bad, "--port", port)
    assert done.returncode == 2
    assert "--transactions" in done.stderr and "export.csv" in done.stderr
    assert "Serving" not in done.stdout
