"""Every JSON shape the CLI prints (``--json``) and the README documents, in one place.

The faces never build dictionaries themselves; a change of shape is a change here and in the README.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import Document

if TYPE_CHECKING:  # a search prints without loading the citation and comparison code
    from ..cite.citations import Entity
    from ..ingest.citations import Citation


def ingest_report(report: Any) -> dict[str, Any]:
    """store.sqlite.build.IngestReport → the ``ingest --json`` object."""
    return {
        "added": report.added, "updated": report.updated, "removed": report.removed,
        "unchanged": len(report.unchanged), "kept_previous": report.kept,
        "skipped": [{"source": p.source, "reason": p.reason} for p in report.problems],
        "documents": report.documents, "clauses": report.clauses, "seconds": round(report.seconds, 3),
        "rebuilt": report.rebuilt or None, "repaired": report.repaired or None, "generation": report.generation,
        "compacted": report.compacted or None, "cancelled": report.cancelled,
    }


def document_summary(doc: Document) -> dict[str, Any]:
    """One row of ``docs --json``: the document's metadata."""
    return doc.metadata()


def document_full(doc: Document) -> dict[str, Any]:
    """``show --json``: metadata (with ``metadata_source``) and the clause tree."""
    out = doc.metadata()
    out["clauses"] = [c.to_dict() for c in doc.clauses]
    return out


def search_result(result: Any) -> dict[str, Any]:
    """search.searcher.SearchResult → ``search --json``."""
    return result.to_dict()


def entity(e: Entity, *, clause: str | None = None, style: str = "gbt9704") -> dict[str, Any]:
    return e.to_dict(clause=clause, style=style)


def cite_result(ref: str, matches: list[Entity], *, clause: str | None, style: str) -> dict[str, Any]:
    return {"query": ref, "matches": [entity(e, clause=clause, style=style) for e in matches]}


def refs_result(doc: Document, cites: list[tuple[Citation, Entity]], cited_by: list[Citation],
                article_cites: list[dict[str, Any]] | None = None,
                article_cited_by: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "article_cites": article_cites or [], "article_cited_by": article_cited_by or [],
        "doc_id": doc.id, "title": doc.title, "doc_number": doc.doc_number,
        "cites": [{"clause": c.clause, "as_written": c.as_written, "doc_number": e.doc_number,
                   "title": e.title, "in_corpus": e.in_corpus, "doc_id": e.doc.id if e.doc else None}
                  for c, e in cites],
        "cited_by": [{"doc_id": c.doc_id, "clause": c.clause, "as_written": c.as_written} for c in cited_by],
    }


def check_result(file: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    return {"file": file, "citations": results}


def comparison(comp: Any, *, changed_only: bool, show_variants: bool) -> dict[str, Any]:
    return comp.to_dict(changed_only=changed_only, show_variants=show_variants)


def versions_result(doc: Document, versions: list[dict[str, Any]]) -> dict[str, Any]:
    """``versions --json``: the work and its versions, oldest first."""
    return {"doc_id": doc.id, "title": doc.title, "work": doc.work, "versions": versions}
