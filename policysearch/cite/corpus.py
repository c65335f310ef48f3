"""Citations of a stored corpus, resolved at question time.

A question about a citation (who cites this number, what does this document cite, is this draft's citation
right) concerns a handful of documents and the citations that may name them.  Those are fetched from the
store's indexes — by number, and by titles that share enough bigrams to be one document's title — and
resolved by a :class:`CitationIndex` over that neighbourhood only, so the cost does not grow with the corpus.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..ingest.citations import Citation, text_citations
from ..model import Document
from ..store.base import Store
from ..text.docnumber import parse_reference
from ..text.titles import same_title, title_key, work_name
from .citations import CitationIndex, Entity


class CorpusCitations:
    def __init__(self, store: Store):
        self.store = store

    def neighbourhood(self, *, numbers: Iterable[str] = (), keys: Iterable[str] = (), docs: Iterable[Document] = (),
                      citations: Iterable[Citation] = (), containing: str = "") -> CitationIndex:
        """A CitationIndex over the documents and citations that may bear on these numbers and title keys:
        two rounds, so that a title cited under another number (a conflict) is found too."""
        found_docs: dict[str, Document] = {d.id: d for d in docs}
        found_cits: dict[tuple[str, str, int], Citation] = {(c.doc_id, c.clause, c.start): c for c in citations}
        seen_numbers: set[str] = set()
        seen_keys: set[str] = set()
        todo_numbers = {n for n in numbers if n}
        todo_keys = {k for k in keys if k}
        first = True
        for _ in range(2):
            refs = [r for r in (parse_reference(n) for n in sorted(todo_numbers - seen_numbers)) if r]
            new_keys = todo_keys - seen_keys
            seen_numbers |= todo_numbers
            seen_keys |= todo_keys
            for ref in refs:
                for d in self.store.documents_by_number(ref):
                    found_docs.setdefault(d.id, d)
            for key in sorted(new_keys):
                for d in self.store.documents_named(work_name(key)):  # the works a title names, whatever else
                    found_docs.setdefault(d.id, d)                    # shares its words
                for d in self.store.documents_similar_title(key):
                    if same_title(title_key(d.title), key):  # attachments, and suggestions
                        found_docs.setdefault(d.id, d)
            rows = self.store.citations(numbers=refs, similar_to=new_keys, containing=containing if first else "")
            first = False
            for c in rows:
                if c.doc_number and parse_reference(c.doc_number) in refs or \
                        any(same_title(c.title_key, k) for k in new_keys) or (containing and c.title):
                    found_cits.setdefault((c.doc_id, c.clause, c.start), c)
            todo_numbers = {d.doc_number for d in found_docs.values() if d.doc_number} | \
                {c.doc_number for c in found_cits.values() if c.doc_number}
            todo_keys = {title_key(d.title) for d in found_docs.values()} | \
                {c.title_key for c in found_cits.values() if c.title}
        return CitationIndex(list(found_docs.values()), list(found_cits.values()))

    def find(self, ref: str) -> tuple[CitationIndex, list[Entity]]:
        """Entities for a number (any form, or just 894号), a document id, or a title fragment."""
        ref = ref.strip()
        number = parse_reference(ref)
        if number:
            docs = self.store.documents_by_number(number)
            cits = self.store.citations(numbers=[number])
            index = self.neighbourhood(numbers=[*(d.doc_number or "" for d in docs),
                                                *(c.doc_number or "" for c in cits)], docs=docs, citations=cits)
            return index, index.find(ref)
        doc = self.store.info(ref)
        if doc is not None:
            index = self.neighbourhood(numbers=[doc.doc_number or ""], keys=[title_key(doc.title)], docs=[doc])
            return index, index.find(ref)
        key = title_key(ref)
        if not key:
            return CitationIndex([], []), []
        docs = self.store.documents_by_title(ref)
        cits = self.store.citations(containing=key)
        index = self.neighbourhood(numbers=[d.doc_number or "" for d in docs] + [c.doc_number or "" for c in cits],
                                   keys=[title_key(d.title) for d in docs] + [c.title_key for c in cits if c.title],
                                   docs=docs, citations=cits)
        return index, index.find(ref)

    def refs(self, doc: Document) -> tuple[list[tuple[Citation, Entity]], list[Citation]]:
        """What a document cites (each citation with what it names) and the citations of it."""
        own = [c for c in self.store.citations(doc_ids=[doc.id]) if c.title or c.doc_number != doc.doc_number]
        index = self.neighbourhood(numbers=[doc.doc_number or "", *(c.doc_number or "" for c in own)],
                                   keys=[title_key(doc.title), *(c.title_key for c in own if c.title)],
                                   docs=[doc], citations=own)
        entity = index.entity_of(doc)
        return index.cited_by_document(doc.id), (entity.citations if entity else [])

    def check(self, text: str, found: list[Citation] | None = None) -> list[dict]:
        """Every citation in a draft (``found``: its citations, when the caller has them): ok, mismatch (with the
        right form) or unknown."""
        found = text_citations(text) if found is None else found
        index = self.neighbourhood(numbers=[c.doc_number or "" for c in found],
                                   keys=[c.title_key for c in found if c.title])
        return index.check(text, found)
