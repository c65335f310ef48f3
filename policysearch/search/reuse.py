"""Where a clause came from and where it went: passages a document shares with the other documents of the corpus.

Candidates come from the store's literal index: seeds are runs of characters taken along the clause's matching
form (so a traditional copy, variants and punctuation aside, is the same text); a seed found in more than a
bounded number of documents is boilerplate (各省、自治区、直辖市人民政府…) and seeds nothing.  Each candidate clause
is then aligned with the clause (rapidfuzz's LCS alignment on the matching forms, equal blocks joined across short
gaps into passages), which survives
inserted local names, deleted phrases and a changed number; the aligned spans are given as offsets into each
clause's own text.  The earlier document is the likely source; versions of one work are told apart from reuse
by another body.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model import Document, Progress
from ..store.base import HEAD_KINDS, Store
from ..text.normalise import NormalisedText, normalise

SEED = 8  # characters of a seed (10 lost copies with a fifth of their characters changed: 0.8^10 of seeds survive)
STEP = 5  # a seed every this many characters of a sentence
MIN_CHARS = 24  # clauses shorter than this are not traced (a heading, a date)
BOILERPLATE_DOCS = 12  # a seed in more documents than this is boilerplate, never a seed
MIN_SPAN = 20  # characters of the shorter side an alignment must cover
MIN_SCORE = 80.0  # percent of a shared passage (both sides' spans together) that is equal
GAP = 12  # characters inserted or deleted inside a passage that still leave it one passage
PHRASE_DOCS = 8  # a phrase in more documents than this is formula language: it makes no passage specific (at 12,
#                  机关和法律、法规授权的具有管理公共事务职能的组织, in 10 regulations, made pairs of unrelated ones)
SPECIFIC = 10  # characters of a passage's phrases that must be no boilerplate
MIN_PHRASE = 4  # characters of a phrase that counts towards them
LOPSIDED = 1.5  # one text this many times longer than the other: their longest common blocks are aligned too (at 2,
#                recall on bench_reuse 0.953 → 0.940)


@dataclass
class Passage:
    """A passage a clause shares with a clause of another document."""

    doc_id: str
    title: str
    date: str | None  # the other document's date (its version's, for a version of a work)
    clause: str
    span: tuple[int, int]  # in this clause's text
    other_span: tuple[int, int]  # in the other clause's text
    share: float  # of this clause's text that the passage covers
    score: float  # alignment score, 0–100
    direction: str  # source (the other is earlier) | echo (later) | same time | undated
    relation: str  # reuse | version (another version of the same work)

    @property
    def came(self) -> str:
        """The direction as a reader says it."""
        return {"source": "earlier: the likely source", "echo": "later: it took this text",
                "same time": "the same date", "undated": "undated"}[self.direction]

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "date": self.date, "clause": self.clause,
                "span": list(self.span), "other_span": list(self.other_span), "share": round(self.share, 3),
                "score": round(self.score, 1), "direction": self.direction, "relation": self.relation}


@dataclass
class ClauseTrace:
    clause: str
    text: str
    passages: list[Passage] = field(default_factory=list)
    # what the boilerplate filter removed: seeds held by more than BOILERPLATE_DOCS documents, and passages shared
    # with another clause whose text is formula language (no SPECIFIC characters of rare phrases) with their spans
    boilerplate_seeds: int = 0
    formula: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"clause": self.clause, "sources": [p.to_dict() for p in self.passages]}


# what splits a passage's equal text into phrases: numbers (amounts and dates change from copy to copy) and
# punctuation (formula language is phrases that are each in hundreds of regulations, joined differently)
_SPLIT_RE = re.compile(r"[0-9０-９.．%％一二三四五六七八九十百千万亿零〇两]+|[，,；;。：:、！？!?（）()《》“”\"‘’'\s]+")


def _specific(store: Store, text: str, blocks: list[tuple[int, int]], seen: dict[str, bool]) -> bool:
    """Whether a passage's text (the source's words over its equal blocks: ``blocks`` are spans of ``text``) holds
    SPECIFIC characters or more that no boilerplate holds: of each phrase of MIN_PHRASE characters or more (split at
    punctuation and numbers) that PHRASE_DOCS documents or fewer hold, what is left beyond its longest head or tail
    that more of them hold.  Formula language shares many phrases, each of them in
    hundreds of regulations (为了规范…，保护…的合法权益，根据…，制定本条例; 构成犯罪的，依法追究刑事责任；给他人造成
    损失的，依法承担赔偿责任), and a penalty formula's phrases are specific only with their amounts; an equal block
    that ends two characters into the next words (直接负责的主管人员和其他直接责任人员|属于) is no more specific
    than the formula; a copy, even one with a fifth of its characters changed, keeps phrases of its own."""
    phrases = sorted((p for s0, s1 in blocks for p in _SPLIT_RE.split(text[s0:s1]) if len(p) >= MIN_PHRASE),
                     key=len, reverse=True)

    def rare(part: str) -> bool:
        if part not in seen:
            seen[part] = len(set(store.clause_documents(part).values())) <= PHRASE_DOCS
        return seen[part]

    def common_end(phrase: str, head: bool) -> int:
        """The length of the phrase's longest head (or tail) that is boilerplate (a longer one is held by no more
        documents than a shorter one: a binary search)."""
        lo, hi = 1, len(phrase)  # the shortest rare head is within (lo, hi]; one character is never rare
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if rare(phrase[:mid] if head else phrase[-mid:]):
                hi = mid
            else:
                lo = mid
        return lo

    found = 0
    for phrase in phrases:
        if not rare(phrase):
            continue
        found += len(phrase) - max(common_end(phrase, True), common_end(phrase, False))
        if found >= SPECIFIC:
            return True
    return False


# what ends a sentence in a matching form (which writes ；！？ as ; ! ?)
_SENTENCE_RE = re.compile(r"[^。;；!！?？\n]+")


def _seeds(text: str) -> list[str]:
    """The seeds of a clause's matching form: SEED characters every STEP characters of each sentence, and its last
    SEED.  A seed never spans the end of a sentence: what follows a sentence differs wherever text is reordered,
    and a run across two sentences that each hundreds of documents hold is found in few of them (two paragraphs
    set side by side), a seed for the alignment and the boilerplate test to reject at great cost."""
    out: list[str] = []
    for m in _SENTENCE_RE.finditer(text):
        sentence = m.group()
        last = len(sentence) - SEED
        if last < 0:
            continue
        out.extend(sentence[i:i + SEED] for i in range(0, last + 1, STEP))
        if last % STEP:
            out.append(sentence[last:])
    return out


def _direction(mine: str | None, other: str | None) -> str:
    if not mine or not other:
        return "undated"
    return "source" if other < mine else "echo" if other > mine else "same time"


def trace(store: Store, doc: Document, clause_path: str | None = None,
          cancel: threading.Event | None = None) -> list[ClauseTrace]:
    """Each clause of the document (or the one at ``clause_path``) with the passages it shares (``cancel`` set: the
    clauses traced so far)."""

    clauses = [c for c in doc.walk() if clause_path is None or c.path == clause_path]
    normalised: dict[int, NormalisedText] = {}  # other clauses, normalised once however many clauses they echo
    specific: dict[str, bool] = {}  # a phrase: whether few enough documents hold it to be no boilerplate
    owners_of: dict[str, dict[int, str] | None] = {}  # a seed: the clauses holding it and their documents (None:
    #                                                    boilerplate), looked up once however many clauses hold it
    out: list[ClauseTrace] = []
    for c in clauses:
        if cancel is not None and cancel.is_set():
            break
        mine = normalise(c.text, traditional=doc.traditional)
        text = mine.text
        result = ClauseTrace(c.path, c.text)
        out.append(result)
        if len(text) < MIN_CHARS:
            continue
        candidates: Counter[int] = Counter()
        for seed in dict.fromkeys(_seeds(text)):
            if seed not in owners_of:
                found = store.clause_documents(seed)
                owners_of[seed] = found if len(set(found.values())) <= BOILERPLATE_DOCS else None
            owners = owners_of[seed]
            result.boilerplate_seeds += owners is None
            candidates.update(cid for cid, d in (owners or {}).items() if d != doc.id)
        rows = store.clause_rows([cid for cid, _ in candidates.most_common(max(50, len(text) // 10))])
        for row in rows:
            if row.path in HEAD_KINDS:  # another document's title or information block: named, not copied
                continue
            theirs = normalised.get(row.id)
            if theirs is None:
                theirs = normalised[row.id] = normalise(row.text, traditional=row.traditional)
            for (a0, a1), (b0, b1), same, blocks in shared_runs(text, theirs.text):
                if not _specific(store, theirs.text, _source_phrases(blocks), specific):
                    result.formula.append(mine.to_original(a0, a1))
                    continue
                meta = row.doc
                relation = "version" if doc.work and meta.work == doc.work else "reuse"
                result.passages.append(Passage(
                    row.doc_id, meta.title, meta.version or meta.date, row.path, mine.to_original(a0, a1),
                    theirs.to_original(b0, b1), same / len(text), 100.0 * same / (a1 - a0),
                    _direction(doc.version or doc.date, meta.version or meta.date), relation))
        result.passages.sort(key=lambda p: (-p.share, p.date or "", p.doc_id, p.clause))
    return out


def shared_runs(a: str, b: str, most: int = 4) -> list[tuple[tuple[int, int], tuple[int, int], int,
                                                              list[tuple[int, int, int]]]]:
    """The passages two texts share, largest first (at most ``most``): equal blocks joined across gaps of up to GAP
    characters on either side (an inserted local name, a deleted phrase, a changed number), each of MIN_SPAN equal
    characters or more and at least MIN_SCORE percent equal, from a longest common subsequence (rapidfuzz, in C;
    it keeps to the diagonal where the longest common block is a repeated phrase's other occurrence) and, where one
    text is over LOPSIDED times the other's length, also from matching blocks (the longest common block, then
    recursively on either side of it: the subsequence alone scattered a short clause's 26-character run over a
    long clause); the largest passage of either; then the same again on what of ``a`` is left, so that the parts of
    a reordered text are found each.  Each with its spans on both sides, its equal characters and its equal blocks
    (i, j, n: a[i:i + n] == b[j:j + n]).  (difflib's matching blocks on every pair took 8 of a 16x document's 13 s
    trace; cydifflib computes the same blocks in C, 5x faster.)"""
    from cydifflib import SequenceMatcher

    out: list[tuple[tuple[int, int], tuple[int, int], int, list[tuple[int, int, int]]]] = []
    rest = a
    # a short text against a long one: b's index of characters is made once, for each round on what is left of a
    blocks_of = SequenceMatcher(None, "", b, autojunk=False) if max(len(a), len(b)) > LOPSIDED * min(len(a), len(b)) \
        else None
    while len(out) < most:
        alignments: list[Iterable[tuple[int, int, int]]] = [_lcs_blocks(rest, b)]
        if blocks_of is not None:
            blocks_of.set_seq1(rest)
            alignments.append(blocks_of.get_matching_blocks())
        found = [r for blocks in alignments for r in _runs(blocks) if _passage(r)]
        if not found:
            break
        best = max(found, key=lambda r: sum(n for _, _, n in r))
        (a0, b0, _), (i, j, n) = best[0], best[-1]
        out.append(((a0, i + n), (b0, j + n), sum(n for _, _, n in best), best))
        rest = rest[:a0] + "\x00" * (i + n - a0) + rest[i + n:]  # NUL: no text holds one (documents lose theirs)
    return out


def _source_phrases(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Spans of the other text (the source's words) over a passage's equal blocks, joined where the copy changed,
    added or dropped one character between two of them: a copy with a fifth of its characters changed keeps few
    equal runs of four characters, but the words it was copied from are the source's, whole, and whether they are
    boilerplate is asked of them."""
    spans: list[tuple[int, int]] = []
    end_a = -2
    for i, j, n in blocks:
        if spans and i - end_a <= 1 and j - spans[-1][1] <= 1:
            spans[-1] = (spans[-1][0], j + n)
        else:
            spans.append((j, j + n))
        end_a = i + n
    return spans


def _lcs_blocks(a: str, b: str) -> list[tuple[int, int, int]]:
    """The equal blocks of a longest common subsequence of a and b (rapidfuzz's Indel alignment): it keeps to the
    diagonal where a phrase the text repeats (的市级人民政府安全生产监督管理部门, twice in an article) drew the
    longest-block-first matching across to its other occurrence."""
    from rapidfuzz.distance import Indel

    return [(op.src_start, op.dest_start, op.src_end - op.src_start) for op in Indel.opcodes(a, b)
            if op.tag == "equal"]


def _runs(blocks: Iterable[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    """Blocks (i, j, n) in order joined into runs across gaps of up to GAP characters on either side."""
    runs: list[list[tuple[int, int, int]]] = []
    for i, j, n in blocks:
        if not n:
            continue
        last = runs[-1][-1] if runs else None
        if last is not None and 0 <= i - (last[0] + last[2]) <= GAP and 0 <= j - (last[1] + last[2]) <= GAP:
            runs[-1].append((i, j, n))
        else:
            runs.append([(i, j, n)])
    return runs


def _passage(blocks: list[tuple[int, int, int]]) -> bool:
    """Whether a run of blocks is a passage: MIN_SPAN equal characters or more, MIN_SCORE percent of both sides'
    spans together equal (of this side's alone, an alignment across a 12-character gap on the other side counted).
    (Splitting a run that fails at its widest gap found more of the copies with a fifth of their characters changed,
    and more fragments of formula language: precision 0.913 → 0.886 on bench_reuse.)"""
    same = sum(n for _, _, n in blocks)
    (i0, j0, _), (i1, j1, n1) = blocks[0], blocks[-1]
    return same >= MIN_SPAN and 200.0 * same / (i1 + n1 - i0 + j1 + n1 - j0) >= MIN_SCORE


@dataclass
class Borrowing:
    """How much of a later document's text was taken from an earlier one."""

    doc_id: str  # the later document
    title: str
    date: str | None
    source_id: str
    source_title: str
    source_date: str | None
    share: float  # of the later document's clause text that its passages from the source cover
    clauses: int  # clauses of the later document with such passages
    lag_days: int | None
    passages: int = 0  # passages the later document shares with the source

    def to_dict(self) -> dict[str, Any]:
        return {"from_doc": self.source_id, "to_doc": self.doc_id, "share": round(self.share, 3),
                "passages": self.passages, "lag_days": self.lag_days, "clauses": self.clauses,
                "from_title": self.source_title, "from_date": self.source_date, "to_title": self.title,
                "to_date": self.date}


def _lag(earlier: str | None, later: str | None) -> int | None:
    from datetime import date

    try:
        return (date.fromisoformat(later or "") - date.fromisoformat(earlier or "")).days
    except ValueError:
        return None


def borrowing_events(store: Store, later: list[Document], sources: set[str] | None = None,
                     cancel: threading.Event | None = None) -> Iterator[Progress | list[Borrowing]]:
    """Which earlier documents (of ``sources``, or any) each of ``later`` took text from, and how much: the
    characters of its clauses covered by passages from each source over all its clause characters; sorted by
    that share, yielded last, after a progress event per document traced (``cancel`` set: the documents traced so
    far).  Versions of one work are left out (they are versions, not reuse)."""
    out: list[Borrowing] = []
    for n, doc in enumerate(later):
        if cancel is not None and cancel.is_set():
            break
        yield Progress("tracing", n, len(later), doc.id)
        total = sum(len(c.text) for c in doc.walk()) or 1
        covered: dict[str, list[tuple[int, int, int]]] = {}  # source → (clause order, start, end)
        meta: dict[str, Passage] = {}
        for k, t in enumerate(trace(store, doc)):
            for p in t.passages:
                if p.direction != "source" or p.relation != "reuse" or (sources is not None and
                                                                         p.doc_id not in sources):
                    continue
                covered.setdefault(p.doc_id, []).append((k, *p.span))
                meta.setdefault(p.doc_id, p)
        for source, spans in covered.items():
            chars, clauses = 0, set()
            by_clause: dict[int, list[tuple[int, int]]] = {}
            for k, a, b in spans:
                by_clause.setdefault(k, []).append((a, b))
            for k, parts in by_clause.items():  # the union of a clause's passages from this source
                parts.sort()
                end = -1
                for a, b in parts:
                    chars += max(0, b - max(a, end))
                    end = max(end, b)
                clauses.add(k)
            p = meta[source]
            out.append(Borrowing(doc.id, doc.title, doc.version or doc.date, source, p.title, p.date,
                                 chars / total, len(clauses), _lag(p.date, doc.version or doc.date), len(spans)))
    yield Progress("tracing", len(later), len(later))
    out.sort(key=lambda b: (-b.share, b.doc_id, b.source_id))
    yield out
