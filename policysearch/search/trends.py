"""How a term spread: per period (year, issuer, batch or work), the documents and clauses a query matches.

Any query the search takes (words, phrases, operators, filters) is counted over every clause it matches, then
grouped by the matching documents' year, issuers, batch or work.  Corpora grow and shrink by period, so each
period also gives the corpus's own documents of that period and the matches per 1,000 of them; the first
document (by date) and its first matching clause say who used the term first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..model import Document
from ..text.normalise import to_simplified
from .searcher import Searcher

BY = ("year", "issuer", "batch", "work")
NONE = "—"  # the period of documents that state none (no year, no batch)


@dataclass
class First:
    """The first document (by date, then id) of a set that uses the query, and its first matching clause."""

    doc_id: str
    title: str
    date: str | None
    clause: str

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "date": self.date, "clause": self.clause}


@dataclass
class Period:
    period: str
    documents: int  # documents of the period that match
    clauses: int  # their matching clauses (and titles / information blocks, as search counts them)
    corpus_documents: int  # documents of the period in the corpus
    first: First | None = None

    @property
    def per_1000(self) -> float:
        """Matching documents per 1,000 documents of the period."""
        return 1000.0 * self.documents / self.corpus_documents if self.corpus_documents else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "documents": self.documents, "clauses": self.clauses,
                "corpus_documents": self.corpus_documents, "per_1000_docs": round(self.per_1000, 1),
                "first": self.first.to_dict() if self.first else None}


@dataclass
class Trend:
    query: str
    by: str
    documents: int
    clauses: int
    periods: list[Period] = field(default_factory=list)
    first: First | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "by": self.by, "documents": self.documents, "clauses": self.clauses,
                "first": self.first.to_dict() if self.first else None,
                "periods": [p.to_dict() for p in self.periods]}


def periods_of(doc: Document, by: str) -> list[str]:
    """The periods a document counts in (a joint notice counts for each of its issuers)."""
    if by == "year":
        return [str(doc.year) if doc.year else NONE]
    if by == "issuer":  # in simplified script: a traditional copy's 商務部辦公廳 is 商务部办公厅
        return list(dict.fromkeys(to_simplified(i) for i in doc.issuers)) or [NONE]
    if by == "batch":
        return [f"第{doc.batch}批"] if doc.batch else [NONE]
    return [doc.work or doc.id]


def trend(searcher: Searcher, docs: list[Document], query: str, by: str = "year") -> Trend:
    """The query's documents and clauses per period of ``by`` over the corpus ``docs`` (all its documents'
    metadata, as ``store.documents()`` gives them)."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}")
    meta = {d.id: d for d in docs}
    matched = searcher.clause_ids(query)
    places = searcher.store.clause_order(matched)  # clause → (date, document, reading order)
    by_doc: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for cid, (_, doc_id, ord_) in places.items():
        if doc_id in meta:
            by_doc[doc_id].append((ord_, cid))
    corpus: dict[str, int] = defaultdict(int)
    for d in docs:
        for k in periods_of(d, by):
            corpus[k] += 1
    in_period: dict[str, list[str]] = defaultdict(list)
    for doc_id in by_doc:
        for k in periods_of(meta[doc_id], by):
            in_period[k].append(doc_id)

    def first_of(doc_ids: list[str]) -> First | None:
        if not doc_ids:
            return None
        d = meta[min(doc_ids, key=lambda i: (meta[i].date or "9999", i))]
        _, cid = min(by_doc[d.id])
        rows = searcher.store.clause_rows([cid])
        return First(d.id, d.title, d.date, rows[0].path if rows else "")

    periods = [Period(k, len(ids), sum(len(by_doc[i]) for i in ids), corpus[k]) for k, ids in in_period.items()]
    if by in ("year", "batch"):  # the periods without a match too: a gap is part of the trend
        periods += [Period(k, 0, 0, n) for k, n in corpus.items() if k not in in_period and k != NONE]
    for period in periods:
        period.first = first_of(in_period.get(period.period, []))
    periods.sort(key=_order(by, periods))
    return Trend(query, by, len(by_doc), sum(len(v) for v in by_doc.values()), periods, first_of(list(by_doc)))


def _order(by: str, periods: list[Period]) -> Any:
    """Years and batches in their order (the undated last); issuers and works by how much they use it."""
    if by in ("year", "batch"):
        def number(p: Period) -> tuple[int, int]:
            m = re.search(r"\d+", p.period)
            return (1, 0) if m is None else (0, int(m.group(0)))
        return number
    return lambda p: (-p.documents, -p.clauses, p.first.date or "" if p.first else "", p.period)
