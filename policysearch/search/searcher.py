"""Searching clauses: candidates from the store's literal index, ranked by BM25 over jieba words.

Each word of a query matches a clause that contains it literally (in the matching form, in the literal form,
or — for traditional-script documents — in a regional phrasing of it), or that contains every one of the
word's jieba words; so a segmentation that differs between query and text cannot hide a clause.  Quoted
phrases match literally only, so their precision is exact.  Candidates come from indexes (no scan of the
corpus); the best of them are ranked again by Whoosh's BM25 over their jieba words.  Highlights are found
in normalised text and mapped back to the original, in its own script.
"""

from __future__ import annotations

import gc
import heapq
import math
import operator
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import DocumentNotFound, QueryError
from ..store.base import HEAD_KINDS, ClauseRow, Store
from ..store.expressions import AllOf, AnyOf, Forms, LiteralExpr, Without
from ..text.docnumber import parse_reference
from ..text.markers import cn_number, parse_marker
from ..text.normalise import QueryForms
from ..text.normalise import norm as normalise_text
from ..text.titles import title_key, work_name
from .highlight import highlight_spans, make_snippet, window_around
from .query import And, Filter, Node, Not, Or, Phrase, Query, Word, terms

RERANK = 100  # the best this many candidates (at least) are ranked by BM25 over jieba words
WRITTEN_CHECK = 5000  # clauses found in their literal form that a combined query checks (in one statement), at most
LITERAL_ONLY = 1e-9  # the score of a clause found only in its literal form (no phrase of it was ranked)


# A query that names an article of a document: 《不动产登记暂行条例》第八条, 不动产登记暂行条例第八条, or the two words
# 不动产登记暂行条例 第八条
_ARTICLE_REF_RE = re.compile(r"^《?(?P<title>[^《》]{2,80}?)》?"
                             r"(?P<article>第[零〇一二三四五六七八九十百千两兩\d]+[条條](?:之[一二三四五六七八九十]+)?)$")


def relevance(score: float) -> float:
    """A clause's literal relevance from its score: 1 + ln(1 + the BM25 of the query's literal phrases it
    contains, summed), 0 when it was found only through its jieba words.  BM25 over jieba words is added."""
    return 1.0 + math.log1p(score) if score > 0 else 0.0


@dataclass
class Hit:
    doc_id: str
    title: str
    doc_number: str | None
    date: str | None
    issuers: list[str]
    clause: str
    heading: str
    text: str
    score: float
    snippet: str
    snippet_spans: list[tuple[int, int]] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # highlight spans in text
    clause_id: int = 0
    version: str | None = None
    traditional: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id, "title": self.title, "doc_number": self.doc_number, "date": self.date,
            "issuers": self.issuers, "clause": self.clause, "heading": self.heading, "text": self.text,
            "score": round(self.score, 4), "snippet": self.snippet,
            "highlights": [list(s) for s in self.snippet_spans], "version": self.version,
        }


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    offset: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "offset": self.offset,
                "hits": [h.to_dict() for h in self.hits]}


@dataclass
class _Docs:
    """A filter's result: the documents a clause must belong to."""

    ids: set[str]


class Searcher:
    """Searches a store; keep one per process (the TUI keeps one).  Reads only what each query needs."""

    def __init__(self, store: Store):
        self.store = store
        self._segmented: dict[str, list[str]] = {}
        self._terms: dict[Word | Phrase, Forms | None] = {}  # each term as a literal expression, in this search
        # What exists now (modules, dictionaries, the store) lives as long as the process: the cyclic collector
        # need not walk it again on each full collection (15 ms, once in a few dozen searches, at any size).
        gc.freeze()

    def close(self) -> None:
        self.store.close()

    def query_words(self, text: str) -> list[str]:
        """The jieba words of a query term (segmented once per search: ranking and every hit's highlights ask)."""
        from ..text.segment import query_words

        words = self._segmented.get(text)
        if words is None:
            words = self._segmented[text] = query_words(text, self.store.query_dictionary)
        return words

    # -- matching ---------------------------------------------------------------------------------
    def _literal(self, forms: QueryForms) -> dict[int, float]:
        """Clauses containing the term literally, in each form that applies to the clause's script, each with
        the BM25 of the phrases it contains (see ``relevance``)."""
        matching = forms.matching(traditional=False)
        found = self.store.matching(matching)
        if self.store.has_traditional() and forms.for_traditional:
            for cid, s in self.store.matching(forms.for_traditional, traditional_only=True).items():
                found[cid] = found.get(cid, 0.0) + s
        # as written: recall only (the matching forms rank); a clause whose two forms are the same was found
        for cid in self.store.literal(forms.raw, only_differing=forms.raw in matching):
            found.setdefault(cid, LITERAL_ONLY)
        return found

    def _word(self, w: Word) -> dict[int, float]:
        ref = parse_reference(w.text)
        if ref is not None:
            return self._doc_number(w, ref)
        scores = self._literal(w.forms)
        words = self.query_words(w.norm)
        if len(words) > 1:  # the word's jieba words anywhere in the clause (ranked by BM25 later)
            merged = dict.fromkeys(self.store.containing_all(words), 0.0)
            merged.update(scores)
            return merged
        return scores

    def _doc_number(self, w: Word, ref: tuple[str | None, int | None, int]) -> dict[int, float]:
        """A number query finds the notice itself and every clause that cites it."""
        out: dict[int, float] = {}
        if ref[0] is None and ref[1] is None:  # a bare number: clauses that mention it
            out.update(dict.fromkeys(self.store.matching((f"{ref[2]}号",)), 1.0))
        for cid, _ in self.store.citing_clauses(ref):
            out[cid] = 2.0
        for d in self.store.documents_by_number(ref):
            first = self.store.first_clause(d.id)
            if first is not None:
                out[first] = out.get(first, 0.0) + 5.0
        return out

    def _phrase(self, p: Phrase) -> dict[int, float]:
        return self._literal(p.forms)

    def _filter(self, f: Filter) -> _Docs:
        v = f.value.strip()
        store = self.store
        if f.field == "doc":
            try:
                return _Docs({store.resolve(v).id})
            except DocumentNotFound as e:
                raise QueryError(f"doc:{v}: {e}") from e
        if f.field == "year":
            lo, _, hi = v.replace("..", "-").partition("-")
            if not lo.isdigit() or (hi and not hi.isdigit()):
                raise QueryError(f"year:{v}: a year is 4 digits, or a range like 2013-2016")
            return _Docs(set(store.documents_in_years(int(lo), int(hi or lo))))
        if f.field == "issuer":  # one of the document's issuers exactly; issuer:国务院* for a prefix
            prefix = v.endswith("*")
            key = normalise_text(v.rstrip("*").strip(), traditional=True)
            if not key:
                raise QueryError(f"issuer:{v}: name an issuer (issuer:国务院, or issuer:国务院* for every issuer "
                                 "whose name starts so)")
            return _Docs(set(store.documents_by_issuer(key, prefix=prefix)))
        if f.field == "latest":
            if v.lower() in ("no", "false", "0", "off"):
                return _Docs(set(store.document_ids()))
            if v.lower() in ("yes", "true", "1", "on", ""):
                return _Docs(set(store.latest_versions()))
            raise QueryError(f"latest:{v}: the values are yes or no (also true/false, 1/0, on/off)")
        n = cn_number(v.replace("第", "").replace("批", ""))
        if n is None:
            raise QueryError(f"batch:{v}: a batch is a number (batch:2 or batch:第二批)")
        return _Docs(set(store.documents_in_batch(n)))

    def _restrict(self, scores: dict[int, float], docs: _Docs) -> dict[int, float]:
        owner = self.store.clause_order(scores)
        return {cid: s for cid, s in scores.items() if cid in owner and owner[cid][1] in docs.ids}

    def _expression(self, node: Node) -> LiteralExpr | None:
        """The node as one combination of literal matches for the store to evaluate in one go, when all of it is
        words of one jieba word and quoted phrases (two characters or more, no regional or differing literal
        forms: what the matching form alone decides) under AND, OR and NOT; else None."""
        if isinstance(node, Word | Phrase):
            if node not in self._terms:
                self._terms[node] = self._term_expression(node)
            return self._terms[node]
        if isinstance(node, Or):
            items = [self._expression(i) for i in node.items]
            return None if any(i is None for i in items) else AnyOf(tuple(i for i in items if i is not None))
        if isinstance(node, And):
            keep = [self._expression(i) for i in node.items if not isinstance(i, Not)]
            drop = [self._expression(i.item) for i in node.items if isinstance(i, Not)]
            if not keep or any(i is None for i in keep + drop):
                return None
            both = AllOf(tuple(i for i in keep if i is not None))
            return Without(both, tuple(i for i in drop if i is not None)) if drop else both
        return None

    def _term_expression(self, term: Word | Phrase) -> Forms | None:
        f = term.forms
        forms = f.matching(traditional=False)
        if isinstance(term, Word) and (parse_reference(term.text) is not None or len(self.query_words(f.norm)) > 1):
            return None
        if (self.store.has_traditional() and f.for_traditional) or f.raw not in forms or any(len(x) < 2 for x in forms):
            return None
        # a clause written differently (traditional script) that has it as written has it in its matching form
        # too, unless OpenCC rewrote a phrase around it: checked, for the few there are
        expr = Forms(forms)
        written = self.store.literal(f.raw, only_differing=True)
        if len(written) > WRITTEN_CHECK or len(self.store.matching_expression(expr, within=written)) < len(written):
            return None
        return expr

    def _eval(self, node: Node) -> dict[int, float] | _Docs:
        if isinstance(node, Word):
            return self._word(node)
        if isinstance(node, Phrase):
            return self._phrase(node)
        if isinstance(node, Filter):
            return self._filter(node)
        expr = self._expression(node)
        if expr is not None:
            return self.store.matching_expression(expr)
        if isinstance(node, Or):
            out: dict[int, float] = {}
            for item in node.items:
                for cid, s in self._clauses(self._eval(item)).items():
                    out[cid] = out.get(cid, 0.0) + s
            return out
        if isinstance(node, And):
            return self._and(node)
        if isinstance(node, Not):
            raise QueryError("the query only excludes; add a word to search for")
        raise QueryError(f"cannot evaluate {node!r}")

    def _and(self, node: And) -> dict[int, float] | _Docs:
        positives: list[Node] = [i for i in node.items if not isinstance(i, Not)]
        negatives = [i.item for i in node.items if isinstance(i, Not)]
        docs: _Docs | None = None
        result: dict[int, float] | None = None
        words = And(tuple(i for i in node.items if not isinstance(i, Filter) and
                          not (isinstance(i, Not) and isinstance(i.item, Filter))))
        expr = self._expression(words) if len(words.items) < len(node.items) else None
        if expr is not None:  # the words in one go, then the filters
            result = self.store.matching_expression(expr)
            positives = [i for i in positives if isinstance(i, Filter)]
            negatives = [i for i in negatives if isinstance(i, Filter)]
        for item in positives:
            part = self._eval(item)
            if isinstance(part, _Docs):
                docs = part if docs is None else _Docs(docs.ids & part.ids)
            elif result is None:
                result = part
            else:
                result = {i: s + part[i] for i, s in result.items() if i in part}
            if (result is not None and not result) or (docs is not None and not docs.ids):
                return {}
        if result is None:  # filters only
            assert docs is not None
            result = self._clauses(docs)
        elif docs is not None:
            result = self._restrict(result, docs)
        for item in negatives:
            excluded = self._eval(item)
            if isinstance(excluded, _Docs):
                owner = self.store.clause_order(result)
                result = {i: s for i, s in result.items() if owner.get(i, ("", "", 0))[1] not in excluded.ids}
            else:
                for cid in excluded:
                    result.pop(cid, None)
        return result

    def _clauses(self, part: dict[int, float] | _Docs) -> dict[int, float]:
        if isinstance(part, _Docs):
            return dict.fromkeys(self.store.clauses_of_documents(part.ids), 0.0)
        return part

    # -- ranking ----------------------------------------------------------------------------------
    def _rank(self, node: Node, scores: dict[int, float], depth: int) -> list[tuple[int, float]]:
        """The best ``depth`` candidates (all when 0), best first: by literal relevance, then BM25 over jieba words
        of those (ties: date, document, reading order)."""
        if 0 < depth < len(scores):  # the head only: no need to sort every candidate
            best = heapq.nsmallest(depth, zip(map(operator.neg, scores.values()), scores, strict=True))
            top = [c for _, c in best]
        else:
            top = sorted(scores, key=lambda c: (-scores[c], c))  # clause ids follow the corpus order
        order = self.store.clause_order(top)  # the tie-break (date, document, reading order) of those shown
        final = {c: relevance(scores[c]) for c in top}
        words = [self.query_words(t.norm) for t in terms(node)
                 if isinstance(t, Word) and parse_reference(t.text) is None]
        for cid, s in self.store.word_scores(words, top).items():
            final[cid] += s
        head = sorted(top, key=lambda c: (-final[c], order.get(c, ("", "", 0))))
        return [(c, final[c]) for c in head]

    def _named_articles(self, node: Node) -> list[int]:
        """The clauses of the article a query names (``_ARTICLE_REF_RE``) in each version of the document whose
        title it gives, the latest version first; [] for any other query.  The title must be the document's own
        (its work's name, 中华人民共和国 or not), never a part of another title."""
        items = node.items if isinstance(node, And) else (node,)
        words = [i for i in items if isinstance(i, Word)]
        filters = [i for i in items if isinstance(i, Filter)]  # latest:yes, year: … keep the versions they allow
        if not 1 <= len(words) <= 2 or len(words) + len(filters) < len(items):
            return []
        m = _ARTICLE_REF_RE.match("".join(w.text for w in words).replace(" ", ""))
        article = parse_marker(m.group("article")) if m else None
        if m is None or article is None or article.kind != "article":
            return []
        docs = self.store.documents_named(work_name(title_key(m.group("title"))))
        for f in filters:
            allowed = self._filter(f).ids
            docs = [d for d in docs if d.id in allowed]
        if not docs:
            return []
        within = self.store.clauses_of_documents({d.id for d in docs})
        found = self.store.matching_expression(Forms((normalise_text(article.label, traditional=True),)),
                                               within=within)
        date = {d.id: d.version or d.date or "" for d in docs}  # a version's own date (its date is the work's)
        rows = [r for r in self.store.clause_rows(sorted(found)) if r.path not in HEAD_KINDS
                and (own := parse_marker(r.path.rsplit("/", 1)[-1])) is not None and own.kind == "article"
                and own.number == article.number and own.label.partition("之")[2] == article.label.partition("之")[2]]
        return [r.id for r in sorted(rows, key=lambda r: (date[r.doc_id], r.doc_id), reverse=True)]

    # -- public -----------------------------------------------------------------------------------
    def search(self, query: str | Query, limit: int = 20, offset: int = 0) -> SearchResult:
        """The clauses matching a query, best first (``limit`` 0: all of them), all read from one state of the
        store.  A query that names an article (不动产登记暂行条例第八条) has that article first, in each version of
        the document, the latest first."""
        q = self._start(query)
        with self.store.reading():
            scores = self._clauses(self._eval(q.node))
            named = self._named_articles(q.node)
            depth = 0 if limit == 0 else max(RERANK, offset + limit)
            ranked = self._rank(q.node, {c: s for c, s in scores.items() if c not in named}, depth)
            if named:
                top = ranked[0][1] if ranked else 0.0
                ranked = [(c, top + 1.0) for c in named] + ranked
                scores.update(dict.fromkeys(named, 0.0))
            chosen = ranked[offset:] if limit == 0 else ranked[offset:offset + limit]
            rows = {r.id: r for r in self.store.clause_rows([c for c, _ in chosen])}
        highlights = terms(q.node)
        hits = [self._hit(rows[c], s, highlights) for c, s in chosen if c in rows]
        return SearchResult(q.describe(), len(scores), hits, offset)

    def clause_ids(self, query: str | Query) -> set[int]:
        """Every clause a query matches (no ranking, no hits built)."""
        q = self._start(query)
        with self.store.reading():
            return set(self._clauses(self._eval(q.node)))

    def _start(self, query: str | Query) -> Query:
        """A search begins: what the last one learnt may be stale (the query dictionary grows with ingests)."""
        self._segmented.clear()
        self._terms.clear()
        return query if isinstance(query, Query) else Query.build(query)

    def _hit(self, row: ClauseRow, score: float, highlights: list[Word | Phrase]) -> Hit:
        d, text = row.doc, row.text
        window = window_around(text, highlights) if len(text) > 400 else None
        spans = highlight_spans(text, highlights, traditional=row.traditional, window=window,
                                segment=self.query_words)
        if window is not None and not spans:
            window = None
            spans = highlight_spans(text, highlights, traditional=row.traditional, segment=self.query_words)
        snippet, snippet_spans = make_snippet(text, spans)
        return Hit(d.id, d.title, d.doc_number, d.date, d.issuers, row.path, row.heading, text,
                   score, snippet, snippet_spans, spans if window is None else [], row.id, d.version,
                   row.traditional)

    def highlights(self, hit: Hit, query: str | Query) -> list[tuple[int, int]]:
        """All highlight spans of a hit's clause text (a long clause's hit carries only the snippet's)."""
        if hit.spans:
            return hit.spans
        q = query if isinstance(query, Query) else Query.build(query)
        return highlight_spans(hit.text, terms(q.node), traditional=hit.traditional, segment=self.query_words)
