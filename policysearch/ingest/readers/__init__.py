"""Reading notice files: one reader per format, chosen by suffix from a registry.

A reader turns a file into one or more :class:`SourceText` (a .jsonl file holds many documents).  A file
that cannot be read raises :class:`SourceError` with one line saying why; the caller reports it and goes
on with the rest of the corpus.  Source files are only ever opened for reading.

To add a format: write a module here with a function ``(path, rel, limits)`` decorated ``@reader(".ext")``
and import it at the end of this file (``limits``: the user's :class:`..limits.Limits`, for readers whose cost is
not the file's size, such as OCR's pages).

Whatever the format, :func:`read_source` removes control characters and terminal escape sequences from the
text and the fields it returns (:func:`..clean.strip_controls`): a document can never write to the user's
terminal.  The stored text is the text after this, so offsets into it stay true.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import SourceError
from ..clean import strip_controls
from ..limits import Limits, check_container, check_file, check_text


@dataclass
class SourceText:
    """The text of one document as extracted from a file, before cleaning."""

    source: str  # path relative to the corpus
    text: str
    fmt: str  # txt | md | html | docx | jsonl | pdf | doc
    encoding: str = "utf-8"
    fields: dict[str, str] = field(default_factory=dict)  # structured fields the file carries
    line: int | None = None  # line number in a .jsonl file


Reader = Callable[[Path, str, Limits], list[SourceText]]  # the file, its name in the corpus, the limits
READERS: dict[str, Reader] = {}


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register a reader for file suffixes (lower case, with the dot)."""

    def register(fn: Reader) -> Reader:
        for s in suffixes:
            READERS[s] = fn
        return fn

    return register


def supported() -> list[str]:
    return sorted(READERS)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise SourceError(f"cannot read ({e.strerror or e})") from e


def _sidecar_url(path: Path) -> str | None:
    """The address a crawler saved a file from, in its record beside the file (page.html.metadata.json:
    final_url, url or requested_url); None if there is none or it cannot be read."""
    import json
    import os

    side = path.with_name(path.name + ".metadata.json")
    try:
        if os.path.islink(side) or not side.is_file() or side.stat().st_size > 65_536:
            return None
        data = json.loads(side.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    for key in ("final_url", "url", "requested_url"):
        value = data.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")) and len(value) < 2_000:
            return value
    return None


def read_source(path: Path, corpus: Path | None = None, limits: Limits | None = None) -> list[SourceText]:
    """Read one file into one or more document texts; a file over a limit (:mod:`..limits`) is refused before
    it is read."""
    rel = str(path.relative_to(corpus)) if corpus and path.is_relative_to(corpus) else str(path)
    suffix = path.suffix.lower()
    fn = READERS.get(suffix)
    if fn is None:
        raise SourceError(f"unsupported file type '{suffix or path.name}' (supported: {', '.join(supported())})")
    limits = limits or Limits.from_env()
    check_file(limits, path)
    try:
        with open(path, "rb") as f:
            if f.read(4) == b"PK\x03\x04":
                check_container(limits, path)
        texts = fn(path, rel, limits)
    except OSError as e:
        raise SourceError(f"cannot read ({e.strerror or e})") from e
    url = _sidecar_url(path)
    for src in texts:
        if url:
            src.fields.setdefault("url", url)
        check_text(limits, src.text, f"line {src.line}: " if src.line is not None else "")
        src.text = strip_controls(src.text)
        src.fields = {k: strip_controls(v) for k, v in src.fields.items()}
    return texts


from . import jsonl, pdf, text, web, word  # noqa: E402,F401 - register the readers
