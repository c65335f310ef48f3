"""The store's interface: what search, compare, cite and the service use, whatever holds the corpus.

:class:`~policysearch.store.sqlite.SQLiteStore` (SQLite + FTS5 + Whoosh, one laptop) implements it; a
server backend (PostgreSQL with pg_trgm, or OpenSearch/Elasticsearch for a corpus a team shares) implements
the same methods and the search, compare and cite stages, the service and both faces work unchanged.

The search primitives are deliberately small, so that each maps onto one query of a server engine:

* ``matching(forms)``, ``literal(raw)``, ``containing_all(words)`` — clauses containing strings in the matching
  form or the literal form (here FTS5 phrases of character bigrams, and a table of characters; OpenSearch:
  ``match_phrase`` on a bigram field of each form);
* ``matching_expression(expr)`` — a boolean combination of such matches in one query (FTS5 AND/OR/NOT;
  OpenSearch: a ``bool`` query of ``match_phrase`` clauses);
* ``word_scores(terms, ids)`` — BM25 over jieba words for given clauses, summed over the query's terms
  (OpenSearch: a ``match`` on a field of jieba words, filtered by ids);
* document filters and citation look-ups as plain indexed queries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import DocumentNotFound
from ..model import Amendment, Citation, Clause, Document, shell_safe_id
from ..text.docnumber import parse_reference
from ..text.normalise import norm
from .expressions import LiteralExpr

HEAD_KINDS = ("title", "info")  # the paths (and kinds) of a document's head rows


@dataclass
class ClauseRow:
    """A clause as search shows it: its text and its document's metadata.  A document's head rows (its title, its
    information block: ``path`` in HEAD_KINDS) are rows too, searched like clauses, outside its clause tree."""

    id: int
    doc_id: str
    ord: int
    path: str
    label: str
    heading: str
    text: str
    traditional: bool
    doc: Document  # metadata only (no text, no clauses)


class Store(Protocol):
    """Read access to a stored corpus."""

    @property
    def query_dictionary(self) -> str: ...

    def close(self) -> None: ...

    def reading(self) -> AbstractContextManager[None]:
        """Everything this thread asks inside sees one state of the store: a search's statements never see half of
        an ingest (nested uses join the outer one)."""
        ...

    # documents
    def counts(self) -> tuple[int, int]: ...
    def document_ids(self) -> list[str]: ...
    def documents(self, ids: Iterable[str] | None = None) -> list[Document]: ...
    def info(self, doc_id: str) -> Document | None: ...
    def document(self, doc_id: str) -> Document | None: ...
    def resolve(self, ref: str) -> Document: ...
    def documents_by_number(self, ref: tuple[str | None, int | None, int]) -> list[Document]: ...
    def documents_by_title(self, fragment: str) -> list[Document]: ...

    # clauses and the literal index
    def clause_rows(self, clause_ids: list[int]) -> list[ClauseRow]: ...
    def clause_order(self, clause_ids: Iterable[int]) -> dict[int, tuple[str, str, int]]: ...
    def matching(self, forms: tuple[str, ...], *, traditional_only: bool = False) -> dict[int, float]: ...
    def clause_documents(self, form: str) -> dict[int, str]:
        """Clauses whose matching form contains ``form`` (two characters or more), each with its document's id,
        unranked (what a trace asks of each seed: which documents hold it)."""
        ...
    def matching_expression(self, expr: LiteralExpr, *, within: Iterable[int] | None = None) -> dict[int, float]: ...
    def literal(self, raw: str, *, only_differing: bool = False) -> dict[int, float]: ...
    def containing_all(self, words: list[str]) -> dict[int, float]: ...
    def word_scores(self, terms: list[list[str]], clause_ids: Iterable[int]) -> dict[int, float]: ...
    def clauses_of_documents(self, doc_ids: Iterable[str]) -> set[int]: ...
    def first_clause(self, doc_id: str) -> int | None: ...

    # document filters
    def documents_in_years(self, lo: int, hi: int) -> list[str]: ...
    def documents_in_batch(self, batch: int) -> list[str]: ...
    def documents_by_issuer(self, key: str, *, prefix: bool = False) -> list[str]: ...
    def latest_versions(self) -> list[str]: ...

    # citations
    def citing_clauses(self, ref: tuple[str | None, int | None, int]) -> list[tuple[int, str | None]]: ...

    # citations and facets
    def citations(self, *, numbers: Iterable[tuple[str | None, int | None, int]] = (),
                  similar_to: Iterable[str] = (), containing: str = "", doc_ids: Iterable[str] = (),
                  limit: int = 400) -> list[Citation]: ...
    def documents_similar_title(self, key: str, limit: int = 50) -> list[Document]: ...
    def facets(self) -> dict[str, list[int]]: ...
    def comparable_pairs(self, limit: int = 200) -> list[tuple[str, str]]: ...
    def documents_in_work(self, work: str) -> list[str]: ...
    def documents_named(self, name: str) -> list[Document]: ...
    def has_traditional(self) -> bool: ...


# --- what both stores share -----------------------------------------------------------------------

def document_from_meta(meta: dict[str, Any], *, text: str = "", clauses: list[Clause] | None = None,
                       clause_count: int | None = None) -> Document:
    d = dict(meta)
    d["amendments"] = [Amendment(**a) for a in d.get("amendments", [])]
    d.pop("clauses", None)
    d.pop("text", None)
    d.pop("clause_count", None)
    doc = Document(**d, text=text, clauses=clauses or [])
    doc.clause_count = clause_count
    return doc


def number_condition(ref: tuple[str | None, int | None, int], mark: str = "?") -> tuple[str, list[Any]]:
    """The WHERE condition on a table's nk_* columns for a number reference (code and year when given)."""
    code, year, num = ref
    where = f"nk_num = {mark}"
    args: list[Any] = [num]
    if year is not None:
        where += f" AND nk_year = {mark}"
        args.append(year)
    if code is not None:
        where += f" AND nk_code = {mark}"
        args.append(code)
    return where, args


def citation_from_row(doc_id: str, clause: str, as_written: str, title: str | None, number: str | None,
              prefix: str | None, start: int, extra: str | None) -> Citation:
    cite = Citation(doc_id, clause, as_written, title, number, prefix, start)
    if extra:
        pin = json.loads(extra)
        for name in ("article", "article_sub", "paragraph", "item", "pinpoint", "scope"):
            if name in pin and pin[name] is not None:
                setattr(cite, name, pin[name])
    return cite


def resolve(store: Store, ref: str) -> Document:
    """A DOC reference: id, document number in any form, or a title fragment that names one document."""
    ref = ref.strip()
    if not ref:
        raise DocumentNotFound("empty document reference")
    found = store.info(ref)
    if found is not None:
        return found
    number = parse_reference(ref)
    if number:
        hits = store.documents_by_number(number)
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise DocumentNotFound(f"'{ref}' matches {len(hits)} documents: " +
                                   "; ".join(f"{d.id} ({d.doc_number})" for d in hits[:10]))
    hits = store.documents_by_title(ref)
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        key = norm(ref, traditional=True)
        exact = [d for d in hits if norm(d.title, traditional=True) == key or d.id == ref]
        if len(exact) == 1:
            return exact[0]
        raise DocumentNotFound(f"'{ref}' matches {len(hits)} documents: " +
                               "; ".join(f"{d.id} 《{d.title}》" for d in hits[:10]))
    raise DocumentNotFound(f"no document '{ref}' (try an id from `policysearch docs`, a document number "
                           "or a title fragment)")


def info_by_id(store: Store, doc_id: str) -> Document | None:
    """A document's metadata by id (an id written the old way, 会计法(2017-11-04), too)."""
    found = store.documents([doc_id])
    if not found and shell_safe_id(doc_id) != doc_id:
        found = store.documents([shell_safe_id(doc_id)])
    return found[0] if found else None
