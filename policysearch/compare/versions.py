"""A work's versions compared with each other: what `versions DOC` lists."""

from __future__ import annotations

from ..ingest.versions import articles, version_date, version_note
from ..model import Document
from .changes import compare


def version_list(versions: list[Document]) -> list[dict[str, object]]:
    """What `versions DOC` lists: each version oldest first, with its date, the amendment that made it,
    and its articles added, deleted, changed and renumbered against the previous version."""
    ordered = sorted(versions, key=lambda d: (version_date(d) or "", d.id))
    out: list[dict[str, object]] = []
    for k, d in enumerate(ordered):
        row: dict[str, object] = {"doc_id": d.id, "title": d.title, "version": version_date(d),
                                  "note": version_note(d, ordered), "articles": len(articles(d)),
                                  "against": None, "counts": None}
        if k:
            row["against"] = ordered[k - 1].id
            row["counts"] = compare(ordered[k - 1], d, by_article=True).article_counts()
        out.append(row)
    return out
