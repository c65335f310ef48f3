"""JSON lines: one document per line (title/content and optional date/url/doc_number/year/issuers/
published/effective/written)."""

from __future__ import annotations

import json
from pathlib import Path

from ...errors import SourceError
from ..limits import Limits
from . import SourceText, read_bytes, reader
from .decode import decode


@reader(".jsonl")
def read_jsonl(path: Path, rel: str, limits: Limits) -> list[SourceText]:
    text, encoding = decode(read_bytes(path))
    return _jsonl(rel, text, encoding)


def _jsonl(rel: str, text: str, encoding: str) -> list[SourceText]:
    out = []
    for n, line in enumerate(text.split("\n"), 1):  # not splitlines(): NEL, U+2028 … may sit in a string
        if not line.strip():
            continue
        try:
            row = json.loads(line, strict=False)  # raw control characters in strings: read, then removed
        except json.JSONDecodeError as e:
            raise SourceError(f"line {n}: not valid JSON ({e.msg})") from e
        if not isinstance(row, dict):
            raise SourceError(f"line {n}: expected a JSON object")
        content = row.get("content") or row.get("text") or ""
        if not isinstance(content, str) or not content.strip():
            continue
        fields = {k: "、".join(map(str, row[k])) if isinstance(row[k], list) else str(row[k])
                  for k in ("title", "date", "url", "doc_number", "year", "issuers", "issuer", "published",
                            "effective", "written")
                  if row.get(k) not in (None, "", [])}
        out.append(SourceText(rel, content, "jsonl", encoding, fields, line=n))
    if not out:
        raise SourceError("no documents (each line needs a 'content' field)")
    return out
