"""Plain text and Markdown."""

from __future__ import annotations

from pathlib import Path

from ..limits import Limits
from . import SourceText, read_bytes, reader
from .decode import decode


@reader(".txt", ".md", ".markdown")
def read_text(path: Path, rel: str, limits: Limits) -> list[SourceText]:
    text, encoding = decode(read_bytes(path))
    fmt = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    return [SourceText(rel, text, fmt, encoding)]
