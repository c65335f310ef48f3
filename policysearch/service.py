"""The one service both faces use: prepare the index, search, open, preview, compare, cite, check.

The CLI and the TUI call these methods and nothing below them: they build no queries, citation entities or
document look-ups of their own.  A Library keeps one open store for the life of a process; every method reads
only what its answer needs.  No UI imports here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings
from .errors import IndexMissing, SourceError
from .model import Document, Progress
from .search.query import Query
from .search.searcher import Hit, Searcher, SearchResult
from .store.base import Store
from .store.sqlite.state import index_state

if TYPE_CHECKING:  # a process imports what its command needs: a search neither cites nor ingests
    from .cite.citations import Entity
    from .cite.corpus import CorpusCitations
    from .ingest.citations import Citation
    from .search.reuse import Borrowing, ClauseTrace
    from .search.trends import Trend
    from .store.sqlite.build import IngestReport


@dataclass
class Preview:
    """What a face shows beside a hit: the document, the clause's ancestors, highlights, the citation."""

    doc: Document
    breadcrumb: list[str]
    text: str
    spans: list[tuple[int, int]]
    citation: str


@dataclass
class Opened:
    """A document opened for reading, with the highlights of a query in each clause (by path)."""

    doc: Document
    highlights: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


@dataclass
class CiteView:
    """What the cite screen shows: the entity, the clause cited, what its document cites, a note."""

    entity: Entity | None
    clause: str | None = None
    cites: list[tuple[Citation, Entity]] = field(default_factory=list)
    note: str = ""


class Library:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()
        self.stale_ok = False  # answer from an index older than the parsing code (when it cannot be rebuilt)

    # -- the index --------------------------------------------------------------------------------
    def state(self) -> tuple[Path | None, str]:
        if self.settings.store:  # a server store is built by `migrate --to`, never here: it is there to open
            return Path("postgresql"), ""
        return index_state(self.settings.index)

    def prepare(self, cancel: threading.Event | None = None) -> Iterator[Progress | IngestReport]:
        """Build the index if there is none usable (yields progress and the ingest's report), then open the
        store and warm what the first question needs (the query segmenter), in the caller's thread."""
        gen, why = self.state()
        if gen is None:
            from .store.sqlite.build import ingest

            yield Progress(f"building the index ({why})", 0, 0)
            yield from ingest(self.settings, cancel)
            self.reload()
        if cancel is not None and cancel.is_set():
            return
        self.searcher.query_words("政策")

    def ingest(self, cancel: threading.Event | None = None, *, wait: bool = True) -> Iterator[Progress | IngestReport]:
        """Bring the store up to date with the corpus.  With a PostgreSQL store: the files are read into the local
        index (the staging copy: only new and changed files are read), then the server's corpus is replaced by it
        in one transaction under the writers' lock (see :meth:`migrate`); its report is the local ingest's."""
        if self.settings.store:
            yield from self.migrate(self.settings.store, wait=wait, cancel=cancel)
            return
        from .store.sqlite.build import ingest

        yield from ingest(self.settings, cancel, wait=wait)
        self.reload()

    def migrate(self, url: str, *, wait: bool = True,
                cancel: threading.Event | None = None) -> Iterator[Progress | IngestReport]:
        """Copy the embedded store (brought up to date with the corpus first) into the PostgreSQL store at url;
        nothing is copied when the server already holds this corpus."""
        from dataclasses import replace

        from .store.postgres import copy_in
        from .store.sqlite.build import ingest
        from .store.sqlite.state import current_store

        report = None
        for event in ingest(replace(self.settings, store=None), cancel, wait=wait):
            if isinstance(event, Progress):
                yield event
            else:
                report = event
        if cancel is not None and cancel.is_set():
            return
        source = current_store(self.settings.index)
        assert source is not None
        yield from copy_in(source, url, wait=wait)
        self.reload()
        if report is not None:
            yield report

    def copy_to(self, directory: Path, *, wait: bool = True,
                cancel: threading.Event | None = None) -> Iterator[Progress | IngestReport]:
        """Copy this library's store (a server's, for one) into an embedded index in ``directory``."""
        from .store.sqlite.build import copy_store

        yield from copy_store(self.store, directory, cancel, wait=wait)

    def reload(self) -> None:
        """Forget the open store (after an ingest switched generations)."""
        with self._lock:
            store = self.__dict__.pop("store", None)
            for name in ("searcher", "citations"):
                self.__dict__.pop(name, None)
        if store is not None:
            store.close()

    @cached_property
    def store(self) -> Store:
        if self.settings.store:
            from .store.postgres import PostgresStore

            return PostgresStore(self.settings.store)
        from .store import open_store

        return open_store(self.settings.index, stale_ok=self.stale_ok)

    @cached_property
    def searcher(self) -> Searcher:
        return Searcher(self.store)

    @cached_property
    def citations(self) -> CorpusCitations:
        from .cite.corpus import CorpusCitations

        return CorpusCitations(self.store)

    def close(self) -> None:
        self.reload()

    # -- documents --------------------------------------------------------------------------------
    def counts(self) -> tuple[int, int]:
        return self.store.counts()

    def documents(self) -> list[Document]:
        """Every document's metadata, in corpus order (``docs``; not for a face's every keystroke)."""
        return self.store.documents()

    def info(self, ref: str) -> Document:
        """A document's metadata by id, number or title fragment (DocumentNotFound otherwise)."""
        return self.store.resolve(ref)

    def document(self, ref: str) -> Document:
        """A document with its text and clause tree."""
        doc = self.store.document(self.store.resolve(ref).id)
        if doc is None:
            raise IndexMissing(f"{ref}: removed from the index while it was being opened")
        return doc

    def find_documents(self, text: str, limit: int = 20) -> list[Document]:
        """Documents for a palette or picker: by id, number or title fragment, in either script."""
        from .text.docnumber import parse_reference

        text = text.strip()
        if not text:
            return self.store.documents(self.store.document_ids()[:limit])
        found: dict[str, Document] = {}
        exact = self.store.info(text)
        if exact is not None:
            found[exact.id] = exact
        ref = parse_reference(text)
        if ref is not None:
            for d in self.store.documents_by_number(ref):
                found.setdefault(d.id, d)
        for d in self.store.documents_by_title(text):
            found.setdefault(d.id, d)
            if len(found) >= limit:
                break
        return list(found.values())[:limit]

    def facets(self) -> dict[str, list[int]]:
        return self.store.facets()

    def comparable_pairs(self, limit: int = 200) -> list[tuple[Document, Document]]:
        pairs = self.store.comparable_pairs(limit)
        docs = {d.id: d for d in self.store.documents({i for p in pairs for i in p})}
        return [(docs[a], docs[b]) for a, b in pairs if a in docs and b in docs]

    @staticmethod
    def short_title(doc: Document, width: int = 18) -> str:
        return Library.short_title_of(doc.short_title or doc.title, width)

    @staticmethod
    def short_title_of(title: str, width: int = 18) -> str:
        """A title cut for a list: without its issuer and 关于, at most width characters."""
        from .text.lexicon import ABOUT_RE

        m = ABOUT_RE.search(title)
        t = title[m.end():] if m else title
        return t if len(t) <= width else t[: width - 1] + "…"

    # -- search -----------------------------------------------------------------------------------
    def search(self, query: Query | str, limit: int = 20, offset: int = 0) -> SearchResult:
        return self.searcher.search(query, limit=limit, offset=offset)

    def trace(self, ref: str, clause: str | None = None,
              cancel: threading.Event | None = None) -> tuple[Document, list[ClauseTrace]]:
        """A document's clauses with the passages they share with other documents (search.reuse); ``cancel`` set:
        those traced so far."""
        from .errors import SectionNotFound
        from .search.reuse import trace

        doc = self.document(ref)
        if clause is not None and doc.clause(clause) is None:
            raise SectionNotFound(f"{doc.id} has no clause '{clause}' (see `policysearch show {doc.id}`)")
        return doc, trace(self.store, doc, clause, cancel)

    def reuse(self, to: str, frm: str | None = None) -> list[Borrowing]:
        """Which documents (of the ``frm`` filters) the documents of the ``to`` filters took text from (both any
        query the search takes, e.g. ``issuer:国务院``), with the share of each later document taken."""
        found: list[Borrowing] = []
        for event in self.reuse_events(to, frm):
            if isinstance(event, list):
                found = event
        return found

    def reuse_events(self, to: str, frm: str | None = None,
                     cancel: threading.Event | None = None) -> Iterator[Progress | list[Borrowing]]:
        """:meth:`reuse` with progress (each later document traced), the list last."""
        from .search.reuse import borrowing_events

        def docs_of(filters: str) -> set[str]:
            return {o[1] for o in self.store.clause_order(self.searcher.clause_ids(filters)).values()}

        later = [d for d in (self.store.document(i) for i in sorted(docs_of(to))) if d is not None]
        yield from borrowing_events(self.store, later, docs_of(frm) if frm else None, cancel)

    def trend(self, queries: list[str], by: str = "year") -> list[Trend]:
        """Each query's documents and clauses per year, issuer, batch or work (search.trends)."""
        from .search.trends import trend

        docs = self.store.documents()
        return [trend(self.searcher, docs, q, by) for q in queries]

    def preview(self, hit: Hit, query: Query | str | None) -> Preview:
        """A hit as the preview pane shows it (reads the hit's document's metadata and clause headings)."""
        doc = self.document(hit.doc_id)
        parts = hit.clause.split("/")
        crumbs = []
        for i in range(1, len(parts)):
            parent = doc.clause("/".join(parts[:i]))
            if parent is not None:
                crumbs.append(parent.label + (parent.heading or ""))
        spans = self.searcher.highlights(hit, query) if query else []
        path = None if hit.clause in ("preamble", "signature", "title", "info") else hit.clause
        from .cite.citations import Entity, format_citation

        cite = format_citation(Entity(key=doc.id, doc_number=doc.doc_number, doc=doc), clause=path) \
            if (doc.doc_number or doc.title) else ""
        return Preview(doc, crumbs, hit.text, spans, cite)

    def open(self, ref: str, query: Query | str | None = None,
             cancel: threading.Event | None = None) -> Opened:
        """A document with the highlights of a query in every clause (computed here, off the UI thread)."""
        from .search.highlight import highlight_spans
        from .search.query import terms

        doc = self.document(ref)
        opened = Opened(doc)
        if not query:
            return opened
        q = query if isinstance(query, Query) else Query.build(query)
        words = terms(q.node)
        for c in doc.walk():
            if cancel is not None and cancel.is_set():
                break
            spans = highlight_spans(c.text, words, traditional=doc.traditional, segment=self.searcher.query_words)
            if spans:
                opened.highlights[c.path] = spans
        return opened

    # -- compare ----------------------------------------------------------------------------------
    def compare(self, a: str, b: str, section_a: str | None = None, section_b: str | None = None):  # noqa: ANN201
        """Two documents compared clause by clause (compare.changes.Comparison)."""
        from .compare.changes import compare

        return compare(self.document(a), self.document(b), section_a, section_b)

    # -- citations --------------------------------------------------------------------------------
    def cite(self, ref: str) -> list[Entity]:
        """Entities a reference names (number in any form, id or title fragment), with who cites them.  Several
        versions of one work are that work: its latest version, with the others in ``other_versions``."""
        from .ingest.versions import version_date

        found = self.citations.find(ref)[1]
        in_corpus = [(e, e.doc) for e in found if e.doc is not None]
        works = {d.work for _, d in in_corpus}
        if len(in_corpus) > 1 and len(works) == 1 and None not in works:
            in_corpus.sort(key=lambda ed: (version_date(ed[1]) or "", ed[1].id))
            latest = in_corpus[-1][0]
            latest.other_versions = [d for _, d in in_corpus[:-1]]
            return [latest, *(e for e in found if e.doc is None)]
        return found

    def work_document(self, ref: str) -> Document:
        """A DOC reference that may name several versions of one work (a title fragment such as 会计法): that
        work's latest version; any other ambiguity is DocumentNotFound as for :meth:`info`."""
        from .errors import DocumentNotFound
        from .ingest.versions import version_date, work_title_key

        try:
            return self.info(ref)
        except DocumentNotFound:
            hits = [d for d in self.store.documents_by_title(ref) if not d.attachment_of] or \
                self.store.documents_named(work_title_key(ref))  # as cited: 《中华人民共和国…》, either script
            works = {d.work for d in hits}
            if hits and len(works) == 1 and None not in works:
                return max(hits, key=lambda d: (version_date(d) or "", d.id))
            raise

    def refs(self, ref: str) -> tuple[Document, list[tuple[Citation, Entity]], list[Citation]]:
        doc = self.info(ref)
        cites, cited_by = self.citations.refs(doc)
        return doc, cites, cited_by

    def article_refs(self, ref: str) -> tuple[list[dict], list[dict]]:
        """Article-level citations both ways: the articles this document cites (each resolved to the cited
        work's article, in the version in force at the document's date), and the clauses of the corpus that
        cite one of this document's articles by its work's name."""
        from .cite.citations import resolve_pinpoint
        from .ingest.versions import find_article, work_title_key
        from .text.titles import title_key

        doc = self.document(ref)
        cites: list[dict] = []
        for c in self.store.citations(doc_ids=[doc.id]):
            if c.article is None or c.scope in ("self", "relative"):
                continue
            target = resolve_pinpoint(c, self._versions_named(c.title or ""), doc.date, doc) if c.title else None
            cites.append({"clause": c.clause, "as_written": c.as_written,
                          "to_doc": target[0].id if target else None, "to_clause": target[1].path if target else None,
                          "to_label": target[1].label if target else None})
        work = work_title_key(doc.title)
        cited_by: list[dict] = []
        for c in self.store.citations(similar_to=[title_key(doc.title)]):
            number = c.article_number
            if number is None or c.doc_id == doc.id or not c.title or work_title_key(c.title) != work:
                continue
            article = find_article(doc, number)
            cited_by.append({"doc_id": c.doc_id, "clause": c.clause, "as_written": c.as_written,
                             "to_clause": article.path if article else None,
                             "to_label": article.label if article else None})
        return cites, cited_by

    def cite_view(self, doc_id: str | None = None, clause: str | None = None, ref: str | None = None) -> CiteView:
        """The entity to cite — named by a reference, or a document (an attachment is cited through its
        parent) — with what its document cites."""
        from .cite.citations import Entity

        if ref:
            matches = self.cite(ref)
            if not matches:
                return CiteView(None, note=f"Nothing in the corpus is or cites '{ref}'")
            entity = matches[0]
            note = f"{len(matches)} documents match; showing the first" if len(matches) > 1 else ""
        else:
            assert doc_id is not None
            doc = self.info(doc_id)
            if doc.attachment_of and not doc.doc_number:
                parent = self.store.info(doc.attachment_of)
                if parent is not None:
                    doc, clause = parent, None
            found = self.citations.find(doc.id)[1]
            entity = found[0] if found else Entity(key=doc.id, doc_number=doc.doc_number, doc=doc)
            note = ""
        cites = self.citations.refs(entity.doc)[0] if entity.doc is not None else []
        return CiteView(entity, clause if clause not in ("preamble", "signature") else None, cites, note)

    def check_text(self, text: str, at_date: str | None = None) -> list[dict]:
        """Every citation of a draft checked: number and title, and a pinpoint (第十条第二款) against the cited
        work's articles in the version in force at ``at_date`` (default: the latest)."""
        from .cite.citations import check_pinpoint
        from .ingest.citations import text_citations

        found = text_citations(text)  # extracted once: checked, then their pinpoints
        results = self.citations.check(text, found)
        cache: dict = {}
        for result, cit in zip(results, found, strict=True):
            if cit.article is None or not cit.title:
                continue
            pin = check_pinpoint(cit, self._versions_named(cit.title), at_date, cache=cache)
            result["pinpoint"] = pin
            if pin["status"] in ("missing", "renumbered", "amended", "deleted"):
                # the work is in the corpus (a law cited by its short name has no entity of its own)
                extra = f"; {result['message']}" if result["status"] == "mismatch" else ""
                result["status"] = "mismatch"
                result["message"] = pin["message"] + extra
                result["expected"] = pin["expected"] or result["expected"]
            elif pin["status"] == "ok" and result["status"] == "unknown":
                result.update(status="ok", message=pin["message"], expected=pin["expected"])
        return results

    # -- versions and articles ---------------------------------------------------------------------
    def _versions_named(self, title: str) -> list[Document]:
        """Every version, with its clauses, of the works a cited title may name (by title look-ups)."""
        from .text.titles import title_key

        key = title_key(title)
        found = {d.id: d for d in self.store.documents_similar_title(key, limit=20)}
        for d in self.store.documents_by_title(title):
            found.setdefault(d.id, d)
        works = {d.work for d in found.values() if d.work}
        ids = set(found) | {i for w in works for i in self.store.documents_in_work(w)}
        return [d for d in (self.store.document(i) for i in sorted(ids)) if d is not None]

    def versions(self, ref: str) -> tuple[Document, list[dict]]:
        """A document's work: its versions, oldest first, each with its date, amendment note and the counts of
        articles added, deleted, changed and renumbered against the previous one."""
        from .compare.versions import version_list
        from .ingest.versions import group_versions

        doc = self.work_document(ref)
        ids = self.store.documents_in_work(doc.work) if doc.work else [doc.id]
        full = [d for d in (self.store.document(i) for i in ids) if d is not None]
        members = next((m for m in group_versions(full).values() if any(d.id == doc.id for d in m)), full)
        return doc, version_list(members)

    def cite_article(self, ref: str, at_date: str | None = None) -> dict | None:
        """An article cited as 《不动产登记暂行条例》第八条: its text, the form to paste, its version and who cites
        it (any clause of the corpus citing that article of that work); None when ref names no article."""
        from .cite.citations import cite_article
        from .ingest.citations import extract
        from .text.titles import same_title

        cits = [c for c in extract(ref) if c.article is not None and c.title]
        if not cits:
            return None
        cit = cits[0]
        result = cite_article(ref, self._versions_named(cit.title or ""), at_date)
        if result is None:
            return None
        # who cites it from outside: a version's references to itself (本条, 前款, 本条例第N条) are not citations
        result["cited_by"] = [c for c in result["cited_by"] if c.get("scope") not in ("self", "relative")]
        seen = {(c["from_doc"], c["from_clause"]) for c in result["cited_by"]}
        for c in self.store.citations(similar_to=[cit.title_key]):
            if c.article_number == cit.article_number and same_title(c.title_key, cit.title_key) and \
                    (c.doc_id, c.clause) not in seen:
                seen.add((c.doc_id, c.clause))
                result["cited_by"].append({"from_doc": c.doc_id, "from_clause": c.clause, "as_written": c.as_written,
                                           "to_doc": result["doc_id"], "to_clause": result["clause"],
                                           "to_label": result["article"], "scope": c.scope})
        return result

    def check_file(self, path: Path, at_date: str | None = None) -> list[dict]:
        """The citations of a draft file (any format the corpus reader takes)."""
        from .ingest.clean import clean
        from .ingest.readers import read_source

        try:
            text = "\n".join(clean(src.text, src.fmt) for src in read_source(path, path.parent))
        except SourceError as e:
            raise SourceError(f"{path}: {e}") from e
        return self.check_text(text, at_date)
