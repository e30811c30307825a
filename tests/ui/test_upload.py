"""The kernel side of :class:`CsvUpload`: what a page may send, and what it may not.

Each test plays the browser: it calls ``CsvUpload._on_message`` with the content dicts and
memoryview buffers the page's JavaScript sends (``start``, ``chunk`` + one buffer, ``end``),
honest or not. Small ``limit_bytes`` / ``chunk_bytes`` keep the files tiny.
"""

from __future__ import annotations

import math
import random
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import traitlets

from workbook.ui.upload import (
    CHUNK_BYTES,
    UPLOAD_LIMIT_BYTES,
    CsvUpload,
    UploadedFile,
    too_large_text,
)

LIMIT = 1024
CHUNK = 64


@dataclass
class Seen:
    """What the handlers of one upload widget were told."""

    files: list[UploadedFile] = field(default_factory=list)
    refused: list[tuple[str, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def widget(limit_bytes: int = LIMIT, chunk_bytes: int = CHUNK) -> tuple[CsvUpload, Seen]:
    upload = CsvUpload(limit_bytes=limit_bytes, chunk_bytes=chunk_bytes)
    seen = Seen()
    upload.on_file(seen.files.append)
    upload.on_refused(lambda name, size: seen.refused.append((name, size)))
    upload.on_error(seen.errors.append)
    return upload, seen


def content_of(size: int, seed: int = 12) -> bytes:
    return random.Random(seed).randbytes(size)


def pieces(data: bytes, chunk_bytes: int = CHUNK) -> list[bytes]:
    """The browser's ``file.slice(i * step, (i + 1) * step)``: an empty file is one piece."""
    return [data[i:i + chunk_bytes] for i in range(0, len(data), chunk_bytes)] or [b""]


def start(upload: CsvUpload, name: str, size: Any, chunks: Any, upload_id: Any = "u1") -> None:
    upload._on_message(upload, {"kind": "start", "id": upload_id, "name": name, "size": size,
                                "chunks": chunks}, [])


def chunk(upload: CsvUpload, index: Any, *buffers: bytes, upload_id: str = "u1") -> None:
    upload._on_message(upload, {"kind": "chunk", "id": upload_id, "index": index},
                       [memoryview(b) for b in buffers])


def end(upload: CsvUpload, upload_id: str = "u1") -> None:
    upload._on_message(upload, {"kind": "end", "id": upload_id}, [])


def send(upload: CsvUpload, name: str, data: bytes, upload_id: str = "u1") -> None:
    """Everything an honest page sends for one file."""
    parts = pieces(data, upload.chunk_bytes)
    start(upload, name, len(data), len(parts), upload_id)
    for index, part in enumerate(parts):
        chunk(upload, index, part, upload_id=upload_id)
    end(upload, upload_id)


def held_bytes(upload: CsvUpload) -> int:
    pending = upload._pending
    return 0 if pending is None else sum(len(p) for p in pending.parts.values())


@pytest.fixture
def traced() -> Iterator[None]:
    tracemalloc.start()
    try:
        yield
    finally:
        tracemalloc.stop()


# --- honest uploads --------------------------------------------------------------------------

@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK + 7, LIMIT])
def test_an_honest_upload_arrives_intact(size: int) -> None:
    upload, seen = widget()
    data = content_of(size)
    send(upload, "t.csv", data)
    assert seen.files == [UploadedFile("t.csv", data)] and upload.file == seen.files[0]
    assert seen.refused == [] and seen.errors == [] and upload.refusal is None
    assert upload._pending is None  # nothing held once the file is handed over


def test_chunks_are_placed_by_their_index_whatever_the_order() -> None:
    upload, seen = widget()
    data = content_of(5 * CHUNK + 7)
    parts = pieces(data)
    start(upload, "t.csv", len(data), len(parts))
    for index in reversed(range(len(parts))):
        chunk(upload, index, parts[index])
    end(upload)
    assert [f.content for f in seen.files] == [data]


def test_the_default_limits_accept_a_file_of_exactly_the_limit_in_the_expected_chunks() -> None:
    upload, seen = widget(UPLOAD_LIMIT_BYTES, CHUNK_BYTES)
    start(upload, "big.csv", UPLOAD_LIMIT_BYTES, UPLOAD_LIMIT_BYTES // CHUNK_BYTES)
    assert upload._pending is not None and seen.errors == []  # 20 chunks of 1 MiB: accepted
    start(upload, "big.csv", UPLOAD_LIMIT_BYTES, 21)
    assert "expected 20 of at most 1,048,576 bytes" in seen.errors[-1]


# --- refused at start -------------------------------------------------------------------------

def test_an_announced_size_over_the_limit_is_refused_before_any_chunk() -> None:
    upload, seen = widget()
    start(upload, "big.csv", LIMIT + 1, math.ceil((LIMIT + 1) / CHUNK))
    assert seen.refused == [("big.csv", LIMIT + 1)]  # the loyalty app's too-large message
    assert seen.errors == [too_large_text("big.csv", LIMIT + 1, LIMIT)]
    assert upload._pending is None
    chunk(upload, 0, b"x" * CHUNK)
    end(upload)
    assert seen.files == [] and len(seen.errors) == 1  # its chunks and end are ignored


def test_the_refusal_names_the_file_and_the_limit_in_megabytes() -> None:
    upload, seen = widget(limit_bytes=20 * 1024 * 1024, chunk_bytes=CHUNK_BYTES)
    start(upload, "big.csv", 25 * 1024 * 1024, 25)
    assert seen.errors[0].startswith("big.csv: 25.0 MB is over the upload limit of 20.0 MB")


@pytest.mark.parametrize("size", [-1, 10.0, "100", None, True])
def test_a_size_that_is_not_a_number_of_bytes_is_refused(size: Any) -> None:
    upload, seen = widget()
    start(upload, "t.csv", size, 1)
    assert seen.refused == [("t.csv", -1)] and upload._pending is None
    assert seen.errors == [f"t.csv: the browser announced a size of {size!r}, not a number of "
                           "bytes; upload the file again"]


@pytest.mark.parametrize("chunks", [0, 1, 3, -2, 2.0, "2", None, True])
def test_a_chunk_count_other_than_the_size_implies_is_refused(chunks: Any) -> None:
    upload, seen = widget()
    start(upload, "t.csv", CHUNK + 1, chunks)  # 65 bytes in chunks of 64: exactly 2
    assert upload._pending is None and seen.refused == [("t.csv", -1)]
    assert seen.errors == [f"t.csv: the browser announced {chunks!r} chunks for 65 bytes, "
                           "expected 2 of at most 64 bytes; upload the file again"]


def test_a_billion_chunks_announced_are_refused_without_allocating(traced: None) -> None:
    upload, seen = widget()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    start(upload, "t.csv", 100, 10**9)
    peak = tracemalloc.get_traced_memory()[1] - before
    assert upload._pending is None and len(seen.errors) == 1
    assert peak < 64 * 1024  # a list of 10**9 slots would be 8 GB
    # an honest count, even the largest the limit allows, allocates nothing per chunk either
    start(upload, "t.csv", LIMIT, LIMIT // CHUNK)
    assert upload._pending is not None and upload._pending.parts == {}


def test_a_start_without_an_id_is_refused() -> None:
    upload, seen = widget()
    start(upload, "t.csv", 10, 1, upload_id=None)
    assert upload._pending is None
    assert seen.errors == ["t.csv: the browser sent no upload id; upload the file again"]


# --- refused as the chunks arrive ------------------------------------------------------------

def test_a_chunk_over_the_chunk_size_is_refused_and_the_upload_dropped() -> None:
    upload, seen = widget()
    start(upload, "t.csv", 3 * CHUNK, 3)
    chunk(upload, 0, b"a" * CHUNK)
    chunk(upload, 1, b"b" * (CHUNK + 1))
    assert seen.errors == ["t.csv: chunk 1 holds 65 bytes, over the chunk size of 64 bytes; "
                           "upload the file again"]
    assert seen.refused == [("t.csv", -1)] and upload._pending is None
    chunk(upload, 2, b"c" * CHUNK)  # later chunks and the end of that id: ignored
    end(upload)
    assert seen.files == [] and len(seen.errors) == 1


def test_more_bytes_than_announced_are_refused_as_the_offending_chunk_arrives() -> None:
    upload, seen = widget()
    start(upload, "t.csv", CHUNK + 1, 2)
    chunk(upload, 0, b"a" * CHUNK)
    assert seen.errors == []
    chunk(upload, 1, b"b" * 2)  # 66 bytes of the 65 announced: refused before any end
    assert seen.errors == ["t.csv: the browser sent more than the 65 bytes it announced; "
                           "upload the file again"]
    assert upload._pending is None
    end(upload)
    assert seen.files == [] and len(seen.errors) == 1


def test_bytes_past_a_limit_lowered_during_the_upload_are_refused() -> None:
    upload, seen = widget()
    start(upload, "t.csv", 4 * CHUNK, 4)
    chunk(upload, 0, b"a" * CHUNK)
    upload.limit_bytes = CHUNK + 10
    chunk(upload, 1, b"b" * CHUNK)
    assert seen.errors == [too_large_text("t.csv", 2 * CHUNK, CHUNK + 10)]
    assert upload._pending is None


@pytest.mark.parametrize(("index", "why"), [
    (3, "the browser sent more than the 3 chunks it announced"),
    (10**9, "the browser sent more than the 3 chunks it announced"),
    (-1, "the browser sent a chunk numbered -1, expected 0 to 2"),
    ("1", "the browser sent a chunk numbered '1', expected 0 to 2"),
    (1.0, "the browser sent a chunk numbered 1.0, expected 0 to 2"),
    (None, "the browser sent a chunk numbered None, expected 0 to 2"),
])
def test_an_index_out_of_range_is_refused(index: Any, why: str) -> None:
    upload, seen = widget()
    start(upload, "t.csv", 3 * CHUNK, 3)
    chunk(upload, 0, b"a" * CHUNK)
    chunk(upload, index, b"b" * CHUNK)
    assert seen.errors == [f"t.csv: {why}; upload the file again"]
    assert upload._pending is None


def test_a_repeated_index_is_refused() -> None:
    upload, seen = widget()
    start(upload, "t.csv", 3 * CHUNK, 3)
    chunk(upload, 0, b"a" * CHUNK)
    chunk(upload, 0, b"a" * CHUNK)
    assert seen.errors == ["t.csv: the browser sent chunk 0 twice; upload the file again"]
    assert upload._pending is None


@pytest.mark.parametrize("buffers", [(), (b"a" * 10, b"b" * 10)])
def test_a_chunk_without_exactly_one_buffer_is_refused(buffers: tuple[bytes, ...]) -> None:
    upload, seen = widget()
    start(upload, "t.csv", 20, 1)
    chunk(upload, 0, *buffers)
    assert seen.errors == [f"t.csv: chunk 0 arrived with {len(buffers)} buffers, expected one "
                           "holding its bytes; upload the file again"]
    assert upload._pending is None


def test_chunks_without_a_start_are_ignored() -> None:
    upload, seen = widget()
    chunk(upload, 0, b"a" * CHUNK)
    end(upload)
    assert upload._pending is None and seen == Seen() and upload.file is None
    # nor do another id's chunks touch an upload under way
    data = content_of(2 * CHUNK)
    start(upload, "t.csv", len(data), 2)
    chunk(upload, 0, data[:CHUNK])
    chunk(upload, 1, b"x" * CHUNK, upload_id="other")
    end(upload, "other")
    assert held_bytes(upload) == CHUNK
    chunk(upload, 1, data[CHUNK:])
    end(upload)
    assert seen.files == [UploadedFile("t.csv", data)] and seen.errors == []


# --- refused at the end ----------------------------------------------------------------------

def test_a_missing_chunk_is_refused_at_the_end() -> None:
    upload, seen = widget()
    start(upload, "t.csv", 3 * CHUNK, 3)
    chunk(upload, 0, b"a" * CHUNK)
    chunk(upload, 2, b"c" * CHUNK)
    end(upload)
    assert seen.files == [] and seen.refused == [("t.csv", -1)]
    assert seen.errors == ["t.csv: the browser could not send the whole file (2 of the 3 "
                           "chunks arrived); upload it again"]


def test_fewer_bytes_than_announced_are_refused_at_the_end() -> None:
    upload, seen = widget()
    start(upload, "t.csv", CHUNK + 10, 2)
    chunk(upload, 0, b"a" * CHUNK)
    chunk(upload, 1, b"b" * 4)
    end(upload)
    assert seen.files == [] and upload._pending is None
    assert seen.errors == ["t.csv: the browser could not send the whole file (68 of the 74 "
                           "bytes announced arrived); upload it again"]


# --- memory given back -----------------------------------------------------------------------

def test_a_refusal_gives_the_held_bytes_back_at_once(traced: None) -> None:
    upload, seen = widget(limit_bytes=1024 * 1024, chunk_bytes=64 * 1024)
    parts = pieces(content_of(1024 * 1024), 64 * 1024)
    base = tracemalloc.get_traced_memory()[0]
    start(upload, "t.csv", 1024 * 1024, len(parts))
    for index in range(8):
        chunk(upload, index, parts[index])
    held = tracemalloc.get_traced_memory()[0] - base
    assert held_bytes(upload) == 512 * 1024 and held >= 512 * 1024
    chunk(upload, 3, parts[3])  # repeated: refused
    after = tracemalloc.get_traced_memory()[0] - base
    assert upload._pending is None and len(seen.errors) == 1
    assert after < 64 * 1024  # half a megabyte given back, not kept until the next upload


def test_a_new_start_replaces_and_frees_an_unfinished_upload(traced: None) -> None:
    upload, seen = widget(limit_bytes=1024 * 1024, chunk_bytes=64 * 1024)
    first = pieces(content_of(1024 * 1024), 64 * 1024)
    second = content_of(100, seed=3)
    base = tracemalloc.get_traced_memory()[0]
    start(upload, "first.csv", 1024 * 1024, len(first), "a")
    for index in range(8):
        chunk(upload, index, first[index], upload_id="a")  # never ended
    start(upload, "second.csv", len(second), 1, "b")
    assert tracemalloc.get_traced_memory()[0] - base < 64 * 1024
    chunk(upload, 8, first[8], upload_id="a")  # the abandoned upload's chunks: ignored
    end(upload, "a")
    chunk(upload, 0, second, upload_id="b")
    end(upload, "b")
    assert seen.files == [UploadedFile("second.csv", second)] and seen.errors == []


def test_clear_drops_an_unfinished_upload() -> None:
    upload, _seen = widget()
    start(upload, "t.csv", 2 * CHUNK, 2)
    chunk(upload, 0, b"a" * CHUNK)
    upload.clear()
    assert upload._pending is None and upload.file is None and upload.refusal is None


# --- the browser's own messages and the limits ------------------------------------------------

def test_the_browsers_refusals_reach_both_kinds_of_handler() -> None:
    upload, seen = widget()
    upload._on_message(upload, {"kind": "refused", "id": "x", "name": "big.csv",
                                "size": 30 * 1024 * 1024}, [])
    upload._on_message(upload, {"kind": "failed", "id": "y", "name": "t.csv",
                                "error": "NotReadableError"}, [])
    assert seen.refused == [("big.csv", 30 * 1024 * 1024), ("t.csv", -1)]
    assert seen.errors == [too_large_text("big.csv", 30 * 1024 * 1024, LIMIT),
                           "t.csv: the browser could not read or send the file "
                           "(NotReadableError); upload it again"]
    assert upload.refusal == seen.errors[-1]


def test_a_failure_reported_mid_upload_drops_it() -> None:
    upload, seen = widget()
    start(upload, "t.csv", 2 * CHUNK, 2)
    chunk(upload, 0, b"a" * CHUNK)
    upload._on_message(upload, {"kind": "failed", "id": "u1", "name": "t.csv"}, [])
    assert upload._pending is None and seen.refused == [("t.csv", -1)]
    chunk(upload, 1, b"b" * CHUNK)
    end(upload)
    assert seen.files == []


def test_a_complete_file_clears_the_last_refusal() -> None:
    upload, seen = widget()
    start(upload, "big.csv", LIMIT + 1, 17)
    assert upload.refusal is not None
    send(upload, "t.csv", b"a,b\n1,2\n")
    assert upload.refusal is None and seen.files[0].content == b"a,b\n1,2\n"


@pytest.mark.parametrize("content", [None, [], "start", {"kind": "nonsense"}])
def test_messages_that_are_not_upload_messages_change_nothing(content: Any) -> None:
    upload, seen = widget()
    upload._on_message(upload, content, [])
    assert seen == Seen() and upload._pending is None


def test_a_file_name_is_kept_to_255_characters() -> None:
    upload, seen = widget()
    send(upload, "x" * 10_000 + ".csv", b"a\n")
    assert seen.files[0].name == "x" * 255


def test_the_browser_cannot_raise_the_limits() -> None:
    upload, _seen = widget()
    upload.set_state({"limit_bytes": 10**12, "chunk_bytes": 10**9, "description": "Other"})
    assert (upload.limit_bytes, upload.chunk_bytes) == (LIMIT, CHUNK)
    assert upload.description == "Other"  # the rest of the state still comes through
    start(upload, "big.csv", 10**6, math.ceil(10**6 / CHUNK))
    assert upload._pending is None and upload.refusal is not None


def test_limits_that_could_not_work_are_refused_in_python() -> None:
    with pytest.raises(traitlets.TraitError):
        CsvUpload(chunk_bytes=0)
    with pytest.raises(traitlets.TraitError):
        CsvUpload(limit_bytes=-1)
