"""A user's CSV files, uploaded through the page, checked and loaded for the ladder.

Why not ipywidgets' ``FileUpload``: it sends the whole file to the kernel as one websocket
message, and Voilà's server (tornado) closes the connection on a message above its
``websocket_max_message_size``, 10 MiB by default. A larger file then never reaches the kernel
and the page says nothing (measured here with ``FileUpload``: a 12 MB file got no answer in
60 s, while 8 and 9 MB files were answered in 2–4 s). Its ``<input type=file>`` is not even in
the page (a browser test must go through the file chooser).

:class:`CsvUpload` instead checks the size in the browser (a file over
:data:`UPLOAD_LIMIT_BYTES` is refused there, and the kernel says so in the page) and sends the
file in chunks of :data:`CHUNK_BYTES`, each far below the server's limit, so the page's limit
does not depend on the server's (measured: 9 and 18 MiB files shown in 11.5 s each on a
machine at load 10; a 22 MiB file refused with a message in 3 s). Its ``<input type=file>``
is in the page, so a browser test can fill it (``set_input_files``).

Bad files raise :class:`UploadError`, whose text is :class:`workbook.data.DataError`'s
(naming the file, the column and the first offending lines) with the user's own file name
instead of the temporary copy's path.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from workbook.data.load import CustomerData, DataError, load_customer_data

__all__ = [
    "CHUNK_BYTES",
    "UPLOAD_LIMIT_BYTES",
    "UPLOAD_SUFFIXES",
    "WEBSOCKET_MESSAGE_LIMIT_BYTES",
    "CsvUpload",
    "UploadError",
    "UploadedFile",
    "load_uploaded_data",
    "too_large_text",
]

WEBSOCKET_MESSAGE_LIMIT_BYTES = 10 * 1024 * 1024
"""tornado's default ``websocket_max_message_size``, which Voilà keeps."""

UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024
"""Largest file the page accepts (20 MiB): checked in the browser before sending."""

CHUNK_BYTES = 1024 * 1024
"""The browser sends a file in pieces of this size, far below the websocket limit."""

UPLOAD_SUFFIXES = (".csv", ".txt")
"""File types the upload accepts (CSV text)."""


class UploadError(ValueError):
    """An upload the dashboard refuses; the text is shown in the page as it is."""


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """One uploaded file: the name the user gave it and its bytes."""

    name: str
    content: bytes

    @property
    def size_bytes(self) -> int:
        """Length of the file."""
        return len(self.content)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def too_large_text(name: str, size_bytes: int, limit_bytes: int = UPLOAD_LIMIT_BYTES) -> str:
    """What the page says about a file over the limit.

    Examples
    --------
    >>> too_large_text("big.csv", 30 * 1024 * 1024)[:52]
    'big.csv: 30.0 MB is over the upload limit of 20.0 MB'
    """
    return (f"{name}: {_megabytes(size_bytes)} is over the upload limit of "
            f"{_megabytes(limit_bytes)}; load larger files in the loyalty notebook "
            "(notebooks/02-loyalty-stages.ipynb)")


def _check(upload: UploadedFile, limit_bytes: int) -> None:
    if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
        raise UploadError(f"{upload.name}: expected a CSV file (.csv or .txt); export the "
                          "table as CSV and upload that")
    if upload.size_bytes > limit_bytes:
        raise UploadError(too_large_text(upload.name, upload.size_bytes, limit_bytes))
    if not upload.content.strip():
        raise UploadError(f"{upload.name}: the file is empty (no header, no rows)")


def _safe_name(name: str) -> str:
    """A file name without folders or odd characters (the temporary copy's name)."""
    stem = re.sub(r"[^\w.-]+", "_", Path(name).name).strip("._") or "upload"
    return stem if stem.lower().endswith(UPLOAD_SUFFIXES) else stem + ".csv"


def load_uploaded_data(transactions: UploadedFile, customers: UploadedFile | None = None, *,
                       limit_bytes: int = UPLOAD_LIMIT_BYTES) -> CustomerData:
    """Check and load uploaded transactions (and customers) for the loyalty ladder.

    The bytes go to a private temporary folder, are loaded by
    :func:`workbook.data.load.load_customer_data` (copied into the engine) and the folder is
    removed. Without a customers file, nobody has a sign-up date or referrals: the ladder
    places buyers only (no suspects, prospects or advocates by referral).

    Raises
    ------
    UploadError
        A file of the wrong type, over ``limit_bytes`` or empty, or any
        :class:`workbook.data.DataError` (file, column, first offending lines) under the
        user's file name.
    """
    files = [f for f in (transactions, customers) if f is not None]
    for upload in files:
        _check(upload, limit_bytes)
    folder = Path(tempfile.mkdtemp(prefix="workbook-upload-"))
    try:
        paths: dict[str, Path] = {}
        for kind, upload in (("transactions", transactions), ("customers", customers)):
            if upload is not None:
                paths[kind] = folder / kind / _safe_name(upload.name)
                paths[kind].parent.mkdir()
                paths[kind].write_bytes(upload.content)
        names = {str(paths[k]): u.name for k, u in (("transactions", transactions),
                                                      ("customers", customers)) if u is not None}
        try:
            data = load_customer_data(paths["transactions"], paths.get("customers"))
        except DataError as error:
            name = names.get(str(error.source), Path(str(error.source)).name)
            raise UploadError(f"{name}: " + "; ".join(str(p) for p in error.problems)) \
                from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    source = transactions.name + (f" + {customers.name}" if customers else "")
    return CustomerData(data.transactions, data.customers, data.prospects, data.as_of, source)


_UPLOAD_ESM = """
export default {
  render({ model, el }) {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = model.get("accept");
    input.style.display = "none";
    const button = document.createElement("button");
    button.className = "jupyter-widgets jupyter-button widget-button wb-upload-button";
    button.textContent = "\u2b06 " + model.get("description");
    const state = document.createElement("span");
    state.className = "wb-upload-state";
    button.addEventListener("click", () => { input.value = ""; input.click(); });
    input.addEventListener("change", async () => {
      const file = input.files && input.files[0];
      if (!file) return;
      const id = Math.random().toString(36).slice(2);
      if (file.size > model.get("limit_bytes")) {
        model.send({ kind: "refused", id, name: file.name, size: file.size });
        return;
      }
      const step = model.get("chunk_bytes");
      const chunks = Math.max(1, Math.ceil(file.size / step));
      button.disabled = true;
      state.textContent = " sending " + file.name + "\u2026";
      try {
        model.send({ kind: "start", id, name: file.name, size: file.size, chunks });
        for (let i = 0; i < chunks; i++) {
          const part = await file.slice(i * step, (i + 1) * step).arrayBuffer();
          model.send({ kind: "chunk", id, index: i }, undefined, [part]);
        }
        model.send({ kind: "end", id });
      } catch (error) {
        model.send({ kind: "failed", id, name: file.name, error: String(error) });
      } finally {
        button.disabled = false;
        state.textContent = "";
      }
    });
    el.classList.add("wb-csv-upload");
    el.append(button, input, state);
  },
};
"""

_UPLOAD_CSS = """
.wb-csv-upload { display: inline-flex; align-items: center; margin-right: 6px; }
.wb-csv-upload .wb-upload-button { width: auto; padding: 0 12px; }
.wb-csv-upload .wb-upload-state { font-size: 12px; color: #5b6770; }
"""


class CsvUpload(anywidget.AnyWidget):
    """A button that uploads one CSV file in chunks, refusing files over ``limit_bytes``.

    Handlers registered with :meth:`on_file` get each complete file as an
    :class:`UploadedFile`; those registered with :meth:`on_refused` get ``(name, size_bytes)``
    of a file the browser refused for its size, or whose reading failed (``size_bytes`` -1).
    :attr:`file` is the last complete file.
    """

    _esm = traitlets.Unicode(_UPLOAD_ESM).tag(sync=True)
    _css = traitlets.Unicode(_UPLOAD_CSS).tag(sync=True)
    description = traitlets.Unicode("Upload CSV").tag(sync=True)
    accept = traitlets.Unicode(",".join(UPLOAD_SUFFIXES)).tag(sync=True)
    limit_bytes = traitlets.Int(UPLOAD_LIMIT_BYTES).tag(sync=True)
    chunk_bytes = traitlets.Int(CHUNK_BYTES).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.file: UploadedFile | None = None
        self._file_handlers: list[Callable[[UploadedFile], None]] = []
        self._refused_handlers: list[Callable[[str, int], None]] = []
        self._pending: dict[str, Any] = {}
        self.on_msg(self._on_message)

    def on_file(self, handler: Callable[[UploadedFile], None]) -> None:
        """Call ``handler(file)`` for each complete upload."""
        self._file_handlers.append(handler)

    def on_refused(self, handler: Callable[[str, int], None]) -> None:
        """Call ``handler(name, size_bytes)`` for each file refused in the browser."""
        self._refused_handlers.append(handler)

    def clear(self) -> None:
        """Forget the last file."""
        self.file = None
        self._pending = {}

    def receive(self, upload: UploadedFile) -> None:
        """Take ``upload`` as if it had arrived from the browser (tests, notebooks)."""
        self.file = upload
        for handler in self._file_handlers:
            handler(upload)

    def _on_message(self, _widget: Any, content: Mapping[str, Any],
                    buffers: Sequence[memoryview]) -> None:
        kind = content.get("kind")
        if kind == "refused" or kind == "failed":
            for handler in self._refused_handlers:
                handler(str(content.get("name", "the file")),
                        int(content.get("size", -1)) if kind == "refused" else -1)
        elif kind == "start":
            self._pending = {"id": content["id"], "name": str(content["name"]),
                             "size": int(content["size"]), "chunks": [b""] * int(
                                 content["chunks"]), "received": 0}
        elif kind == "chunk" and self._pending.get("id") == content.get("id"):
            self._pending["chunks"][int(content["index"])] = bytes(buffers[0])
            self._pending["received"] += 1
        elif kind == "end" and self._pending.get("id") == content.get("id"):
            pending, self._pending = self._pending, {}
            data = b"".join(pending["chunks"])
            if pending["received"] != len(pending["chunks"]) or len(data) != pending["size"]:
                for handler in self._refused_handlers:
                    handler(pending["name"], -1)
                return
            self.receive(UploadedFile(pending["name"], data))
