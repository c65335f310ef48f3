"""Searching clauses: BM25 over jieba words in Whoosh, plus an exact literal scan that never misses.

Each word of a query matches a clause by its words (ranked by Whoosh's BM25) *or* by containing the
word literally (in the matching form or the literal form), so a segmentation that differs between
query and text cannot hide a clause.  Quoted phrases match literally only, so their precision is
exact.  Highlights are found in normalised text and mapped back to the original, in its own script.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ingest.pipeline import DocumentNotFound, resolve
from ..model import Document
from ..store.generations import _read_json, index_state, load_documents
from ..text.docnumber import find_doc_numbers, parse_reference, reference_matches
from ..text.markers import cn_number
from ..text.normalise import QueryForms
from ..text.normalise import norm as normalise_text
from .highlight import highlight_spans, make_snippet, window_around
from .query import And, Filter, Node, Not, Or, Phrase, QueryError, Word, parse_query, terms

_SEP = "\x00"


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id, "title": self.title, "doc_number": self.doc_number, "date": self.date,
            "issuers": self.issuers, "clause": self.clause, "heading": self.heading, "text": self.text,
            "score": round(self.score, 4), "snippet": self.snippet,
            "highlights": [list(s) for s in self.snippet_spans],
        }


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "hits": [h.to_dict() for h in self.hits]}


class _Literal:
    """All clause texts of one form joined into one string, for exact substring scans."""

    def __init__(self, texts: list[str]):
        self.starts: list[int] = []
        pos = 0
        for t in texts:
            self.starts.append(pos)
            pos += len(t) + 1
        self.texts = texts
        self.all = _SEP.join(texts)

    def find(self, needle: str) -> dict[int, int]:
        """Clause index → number of occurrences (one scan step per matching clause)."""
        out: dict[int, int] = {}
        if not needle:
            return out
        find, starts, texts = self.all.find, self.starts, self.texts
        i = find(needle)
        while i >= 0:
            idx = bisect.bisect_right(starts, i) - 1
            out[idx] = texts[idx].count(needle)
            nxt = starts[idx + 1] if idx + 1 < len(starts) else len(self.all)
            i = find(needle, nxt)
        return out


class Searcher:
    """Searches the live index generation; keep one per process (the TUI keeps one)."""

    def __init__(self, index_dir: Path):
        gen, why = index_state(index_dir)
        if gen is None:
            raise FileNotFoundError(why)
        self.generation = gen
        self.rows: list[dict[str, Any]] = _read_json(gen / "clauses.json", [])
        self.docs: dict[str, Document] = {d.id: d for d in load_documents(gen)}
        self.key_to_idx = {r["key"]: i for i, r in enumerate(self.rows)}
        self.norm_scan = _Literal([r["norm"] for r in self.rows])
        self.raw_scan = _Literal([r["raw"] for r in self.rows])
        self.doc_rows: dict[str, list[int]] = {}
        for i, r in enumerate(self.rows):
            self.doc_rows.setdefault(r["doc_id"], []).append(i)
        self._ix = None
        self._searcher = None
        self._docnum_to_idx: dict[int, int] | None = None

    def query_words(self, text: str) -> list[str]:
        from ..text.segment import QUERY_DICT, query_words

        return query_words(text, str(self.generation / QUERY_DICT))

    # -- Whoosh -----------------------------------------------------------------------------------
    def _whoosh(self):  # noqa: ANN202
        if self._searcher is None:
            from whoosh import index as windex
            from whoosh.scoring import BM25F

            self._ix = windex.open_dir(str(self.generation / "whoosh"))
            self._searcher = self._ix.searcher(weighting=BM25F())
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def _bm25(self, words: list[str]) -> dict[int, float]:
        from whoosh.query import And as WAnd
        from whoosh.query import Term

        if not words:
            return {}
        s = self._whoosh()
        if self._docnum_to_idx is None:  # Whoosh document number -> clause row, read once
            reader = s.reader()
            self._docnum_to_idx = {n: self.key_to_idx.get(f["key"], -1) for n, f in reader.iter_docs()}
        q = WAnd([Term("words", w) for w in words]) if len(words) > 1 else Term("words", words[0])
        out: dict[int, float] = {}
        m = q.matcher(s, s.context())
        to_idx = self._docnum_to_idx
        while m.is_active():
            idx = to_idx.get(m.id(), -1)
            if idx >= 0:
                out[idx] = m.score()
            m.next()
        return out

    # -- evaluation -------------------------------------------------------------------------------
    def _literal(self, forms: QueryForms) -> dict[int, int]:
        """Clauses containing the term literally, in any of its forms that applies to the clause's script."""
        found = self.raw_scan.find(forms.raw)
        for needle in forms.matching(traditional=False):
            for idx, n in self.norm_scan.find(needle).items():
                found[idx] = max(found.get(idx, 0), n)
        for needle in forms.for_traditional:
            for idx, n in self.norm_scan.find(needle).items():
                if self.docs[self.rows[idx]["doc_id"]].traditional:
                    found[idx] = max(found.get(idx, 0), n)
        return found

    def _word(self, w: Word) -> dict[int, float]:
        ref = parse_reference(w.text)
        if ref is not None:
            return self._doc_number(w, ref)
        scores = self._bm25(self.query_words(w.norm))
        for idx, n in self._literal(w.forms).items():
            scores[idx] = scores.get(idx, 0.0) + 1.0 + math.log1p(n)
        return scores

    def _doc_number(self, w: Word, ref: tuple[str | None, int | None, int]) -> dict[int, float]:
        """A number query finds the notice itself and every clause that cites it."""
        out: dict[int, float] = {}
        for idx in self.norm_scan.find(f"{ref[2]}号"):
            nums = find_doc_numbers(self.rows[idx]["norm"])
            if ref[0] is None and ref[1] is None:
                out[idx] = 1.0
            elif any(reference_matches(ref, n) for _, _, n in nums):
                out[idx] = 2.0
        for d in self.docs.values():
            if d.doc_number and reference_matches(ref, d.doc_number) and d.id in self.doc_rows:
                first = self.doc_rows[d.id][0]
                out[first] = out.get(first, 0.0) + 5.0
        return out

    def _phrase(self, p: Phrase) -> dict[int, float]:
        return {idx: 1.0 + math.log1p(n) for idx, n in self._literal(p.forms).items()}

    def _filter(self, f: Filter) -> set[int]:
        v = f.value.strip()
        if f.field == "doc":
            try:
                docs = [resolve(self.docs.values(), v)]
            except DocumentNotFound as e:
                raise QueryError(f"doc:{v}: {e}") from e
        elif f.field == "year":
            lo, _, hi = v.replace("..", "-").partition("-")
            if not lo.isdigit() or (hi and not hi.isdigit()):
                raise QueryError(f"year:{v}: a year is 4 digits, or a range like 2013-2016")
            lo_i, hi_i = int(lo), int(hi or lo)
            docs = [d for d in self.docs.values() if d.year is not None and lo_i <= d.year <= hi_i]
        elif f.field == "issuer":
            key = normalise_text(v, traditional=True)
            docs = [d for d in self.docs.values()
                    if any(key in normalise_text(i, traditional=True) for i in d.issuers)]
        else:  # batch
            n = cn_number(v.replace("第", "").replace("批", ""))
            if n is None:
                raise QueryError(f"batch:{v}: a batch is a number (batch:2 or batch:第二批)")
            docs = [d for d in self.docs.values() if d.batch == n]
        return {i for d in docs for i in self.doc_rows.get(d.id, [])}

    def _eval(self, node: Node) -> dict[int, float]:
        if isinstance(node, Word):
            return self._word(node)
        if isinstance(node, Phrase):
            return self._phrase(node)
        if isinstance(node, Filter):
            return dict.fromkeys(self._filter(node), 0.0)
        if isinstance(node, Or):
            out: dict[int, float] = {}
            for item in node.items:
                for idx, s in self._eval(item).items():
                    out[idx] = out.get(idx, 0.0) + s
            return out
        if isinstance(node, And):
            positives = [i for i in node.items if not isinstance(i, Not)]
            negatives = [i.item for i in node.items if isinstance(i, Not)]
            # filters first: they are cheap and narrow the rest
            positives.sort(key=lambda i: not isinstance(i, Filter))
            result: dict[int, float] | None = None
            for item in positives:
                part = self._eval(item)
                if result is None:
                    result = part
                else:
                    result = {i: s + part[i] for i, s in result.items() if i in part}
                if not result:
                    return {}
            assert result is not None
            for item in negatives:
                for idx in self._eval(item):
                    result.pop(idx, None)
            return result
        if isinstance(node, Not):
            raise QueryError("the query only excludes; add a word to search for")
        raise QueryError(f"cannot evaluate {node!r}")

    # -- public -----------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> SearchResult:
        node = parse_query(query)
        scores = self._eval(node)

        def sort_key(i: int) -> tuple[float, str, int]:
            d = self.docs.get(self.rows[i]["doc_id"])
            return (-scores[i], (d.date or "") if d else "", self.rows[i]["order"])

        ranked = sorted(scores, key=sort_key)
        chosen = ranked if limit == 0 else ranked[:limit]
        highlights = terms(node)
        return SearchResult(query, len(ranked), [self._hit(i, scores[i], highlights) for i in chosen])

    def _hit(self, idx: int, score: float, highlights: list[Word | Phrase]) -> Hit:
        row = self.rows[idx]
        d = self.docs[row["doc_id"]]
        text = row["text"]
        window = None
        if len(text) > 400:  # long clause: find the match in the stored forms, highlight around it
            window = window_around(text, row, highlights)
        spans = highlight_spans(text, highlights, traditional=d.traditional, window=window, segment=self.query_words)
        if window is not None and not spans:
            window = None
            spans = highlight_spans(text, highlights, traditional=d.traditional, segment=self.query_words)
        snippet, snippet_spans = make_snippet(text, spans)
        return Hit(d.id, d.title, d.doc_number, d.date, d.issuers, row["path"], row["heading"], text,
                   score, snippet, snippet_spans, spans if window is None else [])

    def highlights(self, hit: Hit, query: str) -> list[tuple[int, int]]:
        """All highlight spans of a hit's clause text (a long clause's hit carries only the snippet's)."""
        if hit.spans:
            return hit.spans
        return highlight_spans(hit.text, terms(parse_query(query)),
                               traditional=self.docs[hit.doc_id].traditional, segment=self.query_words)
