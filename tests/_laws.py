"""Real regulations from ../shared/real/laws as ingested: every 第X条 a clause of kind "article" with its
number set (第十条之一 keeping 之一 in its label), its items （一） its children, under 第X章/第X节 headings."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from policysearch.ingest.pipeline import read_documents
from policysearch.model import Document

ROOT = Path(__file__).resolve().parent.parent
LAWS = ROOT.parent / "shared" / "real" / "laws"


@lru_cache(maxsize=None)
def _load(name: str) -> Document:
    [doc] = [d for d in read_documents(LAWS / name, LAWS) if not d.attachment_of]
    return doc


def law(name: str) -> Document:
    """A regulation of ../shared/real/laws by file name (a fresh copy: tests may change it)."""
    return Document.from_dict(_load(name).to_dict())


def version_pairs() -> list[tuple[str, str]]:
    """(older, newer) file names of every regulation held in several versions (consecutive versions)."""
    by_title: dict[str, list[str]] = {}
    for p in sorted(LAWS.glob("*.md")):
        by_title.setdefault(re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", p.stem), []).append(p.name)
    out = []
    for names in by_title.values():
        names.sort()
        out.extend(zip(names, names[1:], strict=False))
    return out
