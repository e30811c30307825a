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

The kernel does not trust the browser: it enforces the same limits again as the messages
arrive. An announced size over ``limit_bytes``, or a chunk count other than the one the size
implies, is refused before anything is held; each chunk is refused as it arrives if it is over
``chunk_bytes`` (:data:`CHUNK_BYTES`), has no bytes, an index out of range or already
received, or brings the bytes received past the announced size. A refusal drops everything
held for that upload at once, ignores its later chunks and tells the page why, so an upload
holds at most ``limit_bytes`` in the kernel while it arrives. The limits are the kernel's: a
state update from the browser cannot change them.

Bad files raise :class:`UploadError`, whose text is :class:`workbook.data.DataError`'s
(naming the file, the column and the first offending lines) with the user's own file name
instead of the temporary copy's path.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
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
"""Largest file the page accepts (20 MiB): checked in the browser before sending, and in the
kernel as the bytes arrive."""

CHUNK_BYTES = 1024 * 1024
"""The browser sends a file in pieces of this size, far below the websocket limit; the kernel
refuses a larger piece."""

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


_NAME_CHARS = 255
"""Longest file name kept from the browser (most file systems' limit)."""

_KERNEL_ONLY_TRAITS = ("limit_bytes", "chunk_bytes")
"""Synced for the browser to read, never taken back from it."""


def _chunk_count(size_bytes: int, chunk_bytes: int) -> int:
    """How many chunks the browser sends for ``size_bytes``: ``max(1, ceil(size / chunk))``.

    An empty file is still one (empty) chunk, as ``file.slice(0, chunk)`` is.

    Examples
    --------
    >>> [_chunk_count(size, 64) for size in (0, 1, 64, 65, 128, 129)]
    [1, 1, 1, 2, 2, 3]
    """
    return max(1, -(-size_bytes // chunk_bytes))


def _is_count(value: object) -> bool:
    """A whole number from JSON (``True`` is not one, though Python says it is an int)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _shown(value: object) -> str:
    """A value the browser sent, short enough to quote in a message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _file_name(value: object) -> str:
    return value[:_NAME_CHARS] if isinstance(value, str) and value else "the file"


@dataclass(slots=True)
class _PendingUpload:
    """An upload whose start the kernel accepted: what was announced and what arrived."""

    id: str
    name: str
    size: int
    chunks: int
    parts: dict[int, bytes] = field(default_factory=dict)
    received_bytes: int = 0


class CsvUpload(anywidget.AnyWidget):
    """A button that uploads one CSV file in chunks, refusing files over ``limit_bytes``.

    Handlers registered with :meth:`on_file` get each complete file as an
    :class:`UploadedFile`; :attr:`file` is the last complete file. A refused upload calls the
    handlers registered with :meth:`on_refused` with ``(name, size_bytes)`` and those
    registered with :meth:`on_error` with the reason as the page should say it (also kept in
    :attr:`refusal`).

    The browser checks the size before sending; the kernel checks every message again
    (see the module docstring), so a hostile or broken page cannot make the kernel hold more
    than ``limit_bytes`` for an upload, and a file is taken only when every announced chunk and
    exactly the announced number of bytes arrived.

    Notes
    -----
    The browser sends ``{kind: "start", id, name, size, chunks}``, then
    ``{kind: "chunk", id, index}`` with one buffer for each ``index`` in ``0 .. chunks - 1``,
    then ``{kind: "end", id}``. The kernel accepts a start when ``0 <= size <= limit_bytes``
    and ``chunks == max(1, ceil(size / chunk_bytes))``, hence at most
    ``ceil(limit_bytes / chunk_bytes)``. A chunk is accepted when its buffer holds at most
    ``chunk_bytes``, its index is in range and new, and the bytes received stay within ``size``;
    the end when every chunk arrived and they hold exactly ``size`` bytes.
    """

    _esm = traitlets.Unicode(_UPLOAD_ESM).tag(sync=True)
    _css = traitlets.Unicode(_UPLOAD_CSS).tag(sync=True)
    description = traitlets.Unicode("Upload CSV").tag(sync=True)
    accept = traitlets.Unicode(",".join(UPLOAD_SUFFIXES)).tag(sync=True)
    limit_bytes = traitlets.Int(UPLOAD_LIMIT_BYTES, min=0).tag(sync=True)
    chunk_bytes = traitlets.Int(CHUNK_BYTES, min=1).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.file: UploadedFile | None = None
        self.refusal: str | None = None
        self._file_handlers: list[Callable[[UploadedFile], None]] = []
        self._refused_handlers: list[Callable[[str, int], None]] = []
        self._error_handlers: list[Callable[[str], None]] = []
        self._pending: _PendingUpload | None = None
        self.on_msg(self._on_message)

    def on_file(self, handler: Callable[[UploadedFile], None]) -> None:
        """Call ``handler(file)`` for each complete upload."""
        self._file_handlers.append(handler)

    def on_refused(self, handler: Callable[[str, int], None]) -> None:
        """Call ``handler(name, size_bytes)`` for each refused upload.

        ``size_bytes`` is the file's size when it is over the limit (refused in the browser,
        or announced over it to the kernel), and -1 when the file could not be read or the
        kernel refused what the browser sent; :meth:`on_error` gets the reason in words.
        """
        self._refused_handlers.append(handler)

    def on_error(self, handler: Callable[[str], None]) -> None:
        """Call ``handler(text)`` for each refused upload, ``text`` naming the file and why.

        For example ``"big.csv: the browser sent more than the 3 chunks it announced; upload
        the file again"``; a file over the limit gets :func:`too_large_text`.
        """
        self._error_handlers.append(handler)

    def clear(self) -> None:
        """Forget the last file, the last refusal and any unfinished upload."""
        self.file = None
        self.refusal = None
        self._pending = None

    def receive(self, upload: UploadedFile) -> None:
        """Take ``upload`` as if it had arrived from the browser (tests, notebooks)."""
        self.file = upload
        self.refusal = None
        for handler in self._file_handlers:
            handler(upload)

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Take a state update from the browser, except the limits, which are the kernel's.

        The browser is sent the kernel's limits back, so both sides keep showing the same.
        """
        kept = {name: value for name, value in sync_data.items()
                if name not in _KERNEL_ONLY_TRAITS}
        super().set_state(kept)
        if len(kept) < len(sync_data):
            self.send_state([name for name in _KERNEL_ONLY_TRAITS if name in sync_data])

    def _refuse(self, name: str, size_bytes: int, text: str) -> None:
        """Drop the unfinished upload (its bytes go back at once) and say why to the handlers."""
        self._pending = None
        self.refusal = text
        for handler in self._refused_handlers:
            handler(name, size_bytes)
        for handler in self._error_handlers:
            handler(text)

    def _on_message(self, _widget: Any, content: Mapping[str, Any],
                    buffers: Sequence[memoryview]) -> None:
        if not isinstance(content, Mapping):
            return
        kind = content.get("kind")
        if kind == "start":
            self._on_start(content)
        elif kind == "chunk":
            self._on_chunk(content, buffers)
        elif kind == "end":
            self._on_end(content)
        elif kind == "refused":
            name, size = _file_name(content.get("name")), content.get("size")
            if _is_count(size) and size >= 0:
                self._refuse(name, size, too_large_text(name, size, self.limit_bytes))
            else:
                self._refuse(name, -1, f"{name}: the browser refused the file; upload it again")
        elif kind == "failed":  # the browser could not read the file while sending it
            name, error = _file_name(content.get("name")), content.get("error")
            why = f" ({error[:200]})" if isinstance(error, str) and error else ""
            self._refuse(name, -1, f"{name}: the browser could not read or send the file"
                                   f"{why}; upload it again")

    def _on_start(self, content: Mapping[str, Any]) -> None:
        name, upload_id = _file_name(content.get("name")), content.get("id")
        size, chunks = content.get("size"), content.get("chunks")
        again = "; upload the file again"
        if not isinstance(upload_id, str) or not upload_id:
            self._refuse(name, -1, f"{name}: the browser sent no upload id{again}")
            return
        if not _is_count(size) or size < 0:
            self._refuse(name, -1, f"{name}: the browser announced a size of {_shown(size)}, "
                                   f"not a number of bytes{again}")
            return
        if size > self.limit_bytes:
            self._refuse(name, size, too_large_text(name, size, self.limit_bytes))
            return
        # size <= limit_bytes, so an accepted count is at most ceil(limit / chunk); nothing is
        # allocated per announced chunk anyway: the parts fill a dict as their bytes arrive
        expected = _chunk_count(size, self.chunk_bytes)
        if not _is_count(chunks) or chunks != expected:
            self._refuse(name, -1, f"{name}: the browser announced {_shown(chunks)} chunks "
                                   f"for {size:,} bytes, expected {expected} of at most "
                                   f"{self.chunk_bytes:,} bytes{again}")
            return
        # replaces (and so frees) an unfinished upload, as a refused start drops it
        self._pending = _PendingUpload(upload_id, name, size, chunks)

    def _on_chunk(self, content: Mapping[str, Any], buffers: Sequence[memoryview]) -> None:
        pending = self._pending
        if pending is None or content.get("id") != pending.id:
            return  # no start, or the rest of a refused or replaced upload: ignored
        name, index, again = pending.name, content.get("index"), "; upload the file again"
        if not _is_count(index) or index < 0:
            self._refuse(name, -1, f"{name}: the browser sent a chunk numbered {_shown(index)}, "
                                   f"expected 0 to {pending.chunks - 1}{again}")
            return
        if index >= pending.chunks:
            self._refuse(name, -1, f"{name}: the browser sent more than the {pending.chunks} "
                                   f"chunks it announced{again}")
            return
        if index in pending.parts:
            self._refuse(name, -1, f"{name}: the browser sent chunk {index} twice{again}")
            return
        try:
            view = memoryview(buffers[0]) if len(buffers) == 1 else None
        except TypeError:
            view = None
        if view is None:
            self._refuse(name, -1, f"{name}: chunk {index} arrived with {len(buffers)} "
                                   f"buffers, expected one holding its bytes{again}")
            return
        if view.nbytes > self.chunk_bytes:
            self._refuse(name, -1, f"{name}: chunk {index} holds {view.nbytes:,} bytes, over "
                                   f"the chunk size of {self.chunk_bytes:,} bytes{again}")
            return
        received = pending.received_bytes + view.nbytes
        if received > pending.size:
            self._refuse(name, -1, f"{name}: the browser sent more than the {pending.size:,} "
                                   f"bytes it announced{again}")
            return
        if received > self.limit_bytes:  # only if the limit was lowered during the upload
            self._refuse(name, -1, too_large_text(name, received, self.limit_bytes))
            return
        pending.parts[index] = view.tobytes()
        pending.received_bytes = received

    def _on_end(self, content: Mapping[str, Any]) -> None:
        pending = self._pending
        if pending is None or content.get("id") != pending.id:
            return
        self._pending = None
        name = pending.name
        if len(pending.parts) != pending.chunks:
            self._refuse(name, -1, f"{name}: the browser could not send the whole file "
                                   f"({len(pending.parts)} of the {pending.chunks} chunks "
                                   "arrived); upload it again")
            return
        if pending.received_bytes != pending.size:
            self._refuse(name, -1, f"{name}: the browser could not send the whole file "
                                   f"({pending.received_bytes:,} of the {pending.size:,} "
                                   "bytes announced arrived); upload it again")
            return
        data = b"".join(pending.parts[index] for index in range(pending.chunks))
        pending.parts.clear()  # the pieces go back before the file is loaded
        self.receive(UploadedFile(name, data))
