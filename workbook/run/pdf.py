"""HTML report → PDF, printed by headless Chromium (no Python dependency of its own).

Plotly charts are drawn by JavaScript, so the page is printed by a browser: Chromium runs the
page's scripts for up to ``budget_milliseconds`` of virtual time (no real waiting when the page
is idle sooner), then prints it. The PDF is written to a temporary file beside the target and
renamed into place, so a killed print leaves no half-written PDF.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from workbook.core.atomic import temporary_path

__all__ = ["CHROMIUM", "PdfError", "chromium_command", "find_chromium", "html_to_pdf",
           "require_chromium"]

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium, as the browser tests use it (``scripts/ensure-chromium`` installs it)."""


class PdfError(RuntimeError):
    """Chromium is missing, failed, timed out or printed something that is not a PDF."""


def find_chromium(path: Path | None = None) -> Path | None:
    """``path`` (default :data:`CHROMIUM`) when it is an executable file, else ``chromium``
    on ``PATH``, else ``None``."""
    path = Path(path) if path is not None else CHROMIUM
    if path.is_file() and os.access(path, os.X_OK):
        return path
    found = shutil.which("chromium")
    return Path(found) if found else None


def require_chromium(path: Path | None = None) -> Path:
    """:func:`find_chromium`, or :class:`PdfError` with a one-line way to fix it."""
    found = find_chromium(path)
    if found is None:
        raise PdfError(f"PDF output needs Chromium at {path or CHROMIUM} (install it with "
                       "`sudo apt-get install chromium` or scripts/ensure-chromium), or run "
                       "without --pdf")
    return found


def chromium_command(chromium: Path, html_path: Path, pdf_path: Path, profile: Path,
                     budget_milliseconds: int) -> list[str]:
    """The headless Chromium command line that prints ``html_path`` to ``pdf_path``."""
    return [
        str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
        f"--virtual-time-budget={budget_milliseconds}", f"--print-to-pdf={pdf_path}",
        html_path.resolve().as_uri(),
    ]


def html_to_pdf(
    html_path: Path,
    pdf_path: Path | None = None,
    *,
    chromium: Path | None = None,
    timeout_seconds: float = 120.0,
    budget_milliseconds: int = 10_000,
) -> Path:
    """Print an HTML file to PDF with headless Chromium; return the PDF's path.

    Parameters
    ----------
    html_path
        The page (its scripts and relative links are loaded from its folder).
    pdf_path
        Where to write; ``html_path`` with the suffix ``.pdf`` when omitted.
    chromium
        The browser; :func:`require_chromium` when omitted.
    timeout_seconds
        Chromium and all its processes are killed after this long.
    budget_milliseconds
        Virtual time the page's scripts get to draw the charts before printing.

    Raises
    ------
    PdfError
        When Chromium is missing, fails, times out or writes no PDF.
    """
    html_path = Path(html_path)
    pdf_path = Path(pdf_path) if pdf_path is not None else html_path.with_suffix(".pdf")
    chromium = chromium or require_chromium()
    temp = temporary_path(pdf_path)
    try:
        with tempfile.TemporaryDirectory(prefix="workbook-chromium-") as profile:
            command = chromium_command(chromium, html_path, temp, Path(profile),
                                       budget_milliseconds)
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, start_new_session=True)
            try:
                _, stderr = process.communicate(timeout=timeout_seconds)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                raise PdfError(f"{html_path}: Chromium did not print within "
                               f"{timeout_seconds:g} s") from None
            finally:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        with open(temp, "rb") as stream:
            head = stream.read(5)
        if process.returncode != 0 or head != b"%PDF-":
            last = (stderr.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
            raise PdfError(f"{html_path}: Chromium printed no PDF (exit {process.returncode}: "
                           f"{last})")
        os.replace(temp, pdf_path)
    finally:
        temp.unlink(missing_ok=True)
    return pdf_path
