"""Comparing two notices clause by clause: align by content, then tell real changes from noise.

Alignment pairs clauses by the similarity of their normalised text (rapidfuzz ``fuzz.ratio``: an
Indel ratio over characters, which suits unsegmented Chinese; the ``token_*`` scorers split on spaces
and see a Chinese clause as one token).  Pairs out of document order are *moved*; a clause whose text
reappears across two clauses on the other side is *split* (or *merged*).  Inside a pair, jieba words
of the normalised texts are diffed and each change is classified:

* ``substantive`` — the wording changed;
* ``variant``     — only the script or a regional idiom (支援/支持, 資訊/信息: the variant table);
* ``format``      — punctuation, whitespace, or the numbering label (（一） → 1、).

A pair whose differences are all variant or format is ``same``.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel, LCSseq

from ..errors import SectionNotFound
from ..ingest.versions import article_number, is_article, reading_order
from ..model import Clause, Document
from ..text import variants
from ..text.normalise import NormalisedText, norm, normalise, raw

PAIR_THRESHOLD = 55.0  # fuzz.ratio below which two clauses are not the same clause
MOVED_MIN = 80.0  # an out-of-order pair counts as moved only when this similar
HEADING_BONUS = 30.0  # added to the ratio of two clauses with the same heading
REWRITE_MIN = 20.0  # a mutual best match this similar, and
REWRITE_MARGIN = 1.6  # this many times more similar than any other candidate, is a rewritten clause
ORDERED_MIN = 45.0  # between two anchors, articles in order this alike are one article amended
SLOT_MIN = 35.0  # the one article left on each side between two pairs, this alike, is that article rewritten
CONTAINED_MIN_CHARS = 20  # an article this long, kept within a longer one, is that article grown
CONTAINED_WEIGHT = 0.85  # how much of the kept share counts as similarity
_PUNCT_RE = re.compile(r"[\W_]+", re.UNICODE)


@dataclass
class Change:
    op: str  # insert | delete | replace
    a: str  # original text on side A ("" for insert)
    b: str  # original text on side B ("" for delete)
    kind: str  # substantive | variant | format

    def to_dict(self) -> dict[str, str]:
        return {"op": self.op, "a": self.a, "b": self.b, "kind": self.kind}


@dataclass
class Segment:
    """A run of a pair's redline: equal text, or a change."""

    op: str  # equal | insert | delete | replace
    a: str
    b: str
    kind: str = ""  # for changes


@dataclass
class ClausePair:
    a_clause: str | None
    b_clause: str | None
    a_text: str
    b_text: str
    status: str  # same | changed | added | removed | moved
    similarity: float
    changes: list[Change] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    relation: str | None = None  # split | merged, when one clause became two or two became one
    a_label: str = ""  # the numbering as written on each side (第十条, 第十条之一, （一）)
    b_label: str = ""
    article: bool = False  # a pair of articles (第X条), compared whole with their items
    renumbered: bool = False  # an article whose number changed (第十条 → 第十二条), whatever its text did

    @property
    def substantive(self) -> list[Change]:
        return [c for c in self.changes if c.kind == "substantive"]

    @property
    def numbers(self) -> str:
        """Both numbers of a renumbered article (第十条 → 第十二条), else the one number."""
        if self.a_label and self.b_label and self.a_label != self.b_label:
            return f"{self.a_label} → {self.b_label}"
        return self.b_label or self.a_label

    def to_dict(self, *, show_variants: bool = True) -> dict[str, Any]:
        changes = self.changes if show_variants else self.substantive
        return {
            "a_clause": self.a_clause, "b_clause": self.b_clause, "a_text": self.a_text, "b_text": self.b_text,
            "status": self.status, "similarity": round(self.similarity, 3), "relation": self.relation,
            "a_label": self.a_label, "b_label": self.b_label, "article": self.article,
            "renumbered": self.renumbered, "changes": [c.to_dict() for c in changes],
        }


ARTICLE_COUNTS = ("unchanged", "renumbered", "changed", "added", "deleted")


@dataclass
class Comparison:
    a: Document
    b: Document
    section_a: str | None
    section_b: str | None
    pairs: list[ClausePair]
    by_article: bool = False  # the units were articles (two versions of a regulation)

    def summary(self) -> dict[str, dict[str, int]]:
        status: dict[str, int] = dict.fromkeys(("same", "changed", "moved", "added", "removed"), 0)
        kinds: dict[str, int] = dict.fromkeys(("substantive", "variant", "format"), 0)
        for p in self.pairs:
            status[p.status] += 1
            for c in p.changes:
                kinds[c.kind] += 1
        out = {"status": status, "kind": kinds}
        if self.by_article:
            out["articles"] = self.article_counts()
        return out

    def article_counts(self) -> dict[str, int]:
        """Articles: unchanged, renumbered (same text, new number), changed, added, deleted — each article
        pair counted once in the first five; moved, split and merged say how many of them were so."""
        out = dict.fromkeys((*ARTICLE_COUNTS, "moved", "split", "merged"), 0)
        for p in self.pairs:
            if not p.article:
                continue
            if p.a_clause is None:
                out["added"] += 1
            elif p.b_clause is None:
                out["deleted"] += 1
            elif p.relation or p.substantive:
                out["changed"] += 1
            elif p.renumbered:
                out["renumbered"] += 1
            else:
                out["unchanged"] += 1
            if p.relation:
                out[p.relation] += 1
            if p.status == "moved":
                out["moved"] += 1
        return out

    def summary_line(self) -> str:
        """N unchanged, N renumbered, N changed, N added, N deleted (articles; clauses when the documents
        have no articles)."""
        if self.by_article:
            counts = self.article_counts()
            parts = [f"{counts[k]} {k}" for k in ARTICLE_COUNTS]
            parts += [f"{counts[k]} {k}" for k in ("moved", "split", "merged") if counts[k]]
            return "articles: " + ", ".join(parts)
        st = self.summary()["status"]
        return "clauses: " + ", ".join(f"{st[k]} {k}" for k in ("same", "changed", "moved", "added", "removed"))

    def to_dict(self, *, changed_only: bool = False, show_variants: bool = False) -> dict[str, Any]:
        def side(d: Document, section: str | None) -> dict[str, Any]:
            return {"doc_id": d.id, "title": d.title, "doc_number": d.doc_number, "date": d.date,
                    "version": d.version, "section": section}

        pairs = [p for p in self.pairs if not (changed_only and p.status == "same")]
        return {"a": side(self.a, self.section_a), "b": side(self.b, self.section_b),
                "pairs": [p.to_dict(show_variants=show_variants) for p in pairs], "summary": self.summary()}


def _root(doc: Document, section: str | None) -> list[Clause]:
    if section is None:
        return doc.clauses
    root = doc.clause(section.strip("/"))
    if root is None:
        paths = ", ".join(c.path for c in doc.walk() if c.level <= 1)
        raise SectionNotFound(f"{doc.id} has no clause '{section}' (top-level clauses: {paths})")
    return [root]


def _units(doc: Document, section: str | None, *, by_article: bool = False) -> list[Clause]:
    """What is compared: every clause; or, by article, each article whole (its items inside it) and the
    clauses around the articles (preamble, chapter and section headings) on their own."""
    roots = _root(doc, section)
    if not by_article:
        return [c for r in roots for c in r.walk()]
    out: list[Clause] = []

    def visit(c: Clause) -> None:
        if is_article(c):
            out.append(_whole_article(c))
            return
        out.append(c)
        for ch in c.children:
            visit(ch)

    for r in roots:
        visit(r)
    return out


def _whole_article(c: Clause) -> Clause:
    """An article as one unit: its text and its items' text."""
    if not c.children:
        return c
    parts = reading_order(c)
    if all(len(x.text.split("\n")) == 1 for x, _ in parts):  # no clause of several paragraphs: norms as they are
        norms = [x.norm for x, _ in parts]
    else:
        # a paragraph's matching form, in the script its clause was normalised in
        trad = {id(x): norm(x.text) != x.norm for x, _ in parts}
        norms = [norm(p, traditional=trad[id(x)]) for x, p in parts]
    return Clause(path=c.path, label=c.label, heading=c.heading, text="\n".join(p for _, p in parts),
                  norm="\n".join(norms), level=c.level, annotations=c.annotations, start=c.start,
                  kind=c.kind or "article", number=c.number)


def _has_articles(doc: Document, section: str | None) -> bool:
    return any(is_article(c) for r in _root(doc, section) for c in r.walk())


def body(clause: Clause) -> str:
    """A clause's text without its numbering label."""
    return clause.text[len(clause.label):].lstrip() if clause.label else clause.text


def _key(clause: Clause) -> str:
    """What alignment compares: the normalised text without label and punctuation."""
    return _PUNCT_RE.sub("", clause.norm[len(clause.label):] if clause.label else clause.norm)


def _heading_key(clause: Clause) -> str:
    return _PUNCT_RE.sub("", norm(clause.heading, traditional=True)) if clause.heading else ""


def _gain(whole: str, part: str, joined: str) -> int:
    """How many more characters of `whole` the joined text covers than `part` alone (LCS lengths)."""
    return LCSseq.similarity(whole, joined) - LCSseq.similarity(whole, part)


def _completions(other: list[str], side: list[str], paired: dict[int, int],
                 kinds: tuple[list[bool], list[bool]] | None = None) -> list[tuple[int, int, float]]:
    """Unpaired clauses of one side that complete a neighbour's pair, as (side index, other index,
    similarity); they are recorded in `paired`.  With ``kinds`` (other's, side's: is an article), an
    article completes only an article's pair."""
    out = []
    for j in range(len(side)):
        for k in (j - 1, j + 1):
            i = paired.get(k) if 0 <= k < len(side) else None
            if j in paired or i is None or len(side[j]) < 8:
                continue
            if kinds is not None and not (kinds[1][j] == kinds[1][k] == kinds[0][i]):
                continue
            joined = side[k] + side[j] if k < j else side[j] + side[k]
            if _gain(other[i], side[k], joined) >= max(4, 0.4 * len(side[j])):
                out.append((j, i, float(fuzz.ratio(other[i], joined))))
                paired[j] = i
    return out


_Aligned = list[tuple[int | None, int | None, float, str | None]]


def align_clauses(a: list[Clause], b: list[Clause], *, ordered: bool = False) -> _Aligned:
    """Pairs (i, j, similarity 0–100, relation) by content; i or j None for added/removed.

    With ``ordered`` (the articles of two versions of a regulation, which keep their order but for the
    few that move), near-identical clauses are anchors and the clauses between two anchors are paired in
    order, however much each was rewritten, as long as they stay alike (:func:`_ordered_pairs`).

    Of pairings as good, the one chosen does not depend on which side is A: the sides are aligned in one
    order and mirrored for the other (a split one way is a merge the other), so swapping A and B swaps added
    and deleted and changes no other count."""
    ka, kb = [_key(c) for c in a], [_key(c) for c in b]
    if kb < ka:
        mirrored = _align(b, a, kb, ka, ordered)
        relation = {"split": "merged", "merged": "split", None: None}
        flipped = [(j, i, score, relation[rel]) for i, j, score, rel in mirrored]
        return (sorted((p for p in flipped if p[0] is not None and p[1] is not None and p[3] is None),
                       key=lambda p: (p[0], p[1]))
                + [p for p in flipped if p[3] == "split"] + [p for p in flipped if p[3] == "merged"]
                + sorted((p for p in flipped if p[1] is None), key=lambda p: p[0] or 0)
                + sorted((p for p in flipped if p[0] is None), key=lambda p: p[1] or 0))
    return _align(a, b, ka, kb, ordered)


def _align(a: list[Clause], b: list[Clause], ka: list[str], kb: list[str], ordered: bool) -> _Aligned:
    if not a or not b:
        return [(i, None, 0.0, None) for i in range(len(a))] + [(None, j, 0.0, None) for j in range(len(b))]
    scores = [[0.0] * len(b) for _ in a]
    candidates = []
    ha, hb = [_heading_key(c) for c in a], [_heading_key(c) for c in b]
    na, nb = len(a), len(b)
    # by article, an article pairs only with an article and a heading only with a heading
    art_a = [is_article(c) for c in a] if ordered else [False] * na
    art_b = [is_article(c) for c in b] if ordered else [False] * nb
    for i, key in enumerate(ka):
        for _, score, j in process.extract(key, kb, scorer=fuzz.ratio, limit=None, score_cutoff=0):
            if art_a[i] != art_b[j]:
                continue
            scores[i][j] = score
            # the same heading is strong evidence of the same clause, however much its body changed
            rank = score + (HEADING_BONUS if ha[i] and ha[i] == hb[j] else 0.0)
            if rank >= PAIR_THRESHOLD:
                # of equally good candidates (a repeated sentence), the one at the same place wins
                candidates.append((rank, -abs(i / na - j / nb), i, j))
    candidates.sort(reverse=True)
    used_a: dict[int, int] = {}
    used_b: dict[int, int] = {}
    if ordered:
        used_a = _ordered_pairs(ka, kb, scores, candidates, art_a, art_b)
        used_b = {j: i for i, j in used_a.items()}
    for _rank, _near, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a[i], used_b[j] = j, i
    # Rewritten clauses: a pair of clauses that are clearly each other's closest match, though below
    # the threshold (the same section of two years' reports, rewritten), is the same clause changed.
    for i in range(len(a)):
        if ordered or i in used_a or not ka[i]:
            continue
        free = [j for j in range(len(b)) if j not in used_b and kb[j]]
        if not free:
            break
        j = max(free, key=lambda j: scores[i][j])
        best = scores[i][j]
        row = sorted((scores[i][k] for k in free if k != j), reverse=True)
        col = sorted((scores[k][j] for k in range(len(a)) if k != i and k not in used_a), reverse=True)
        second = max(row[:1] + col[:1], default=0.0)
        if best >= REWRITE_MIN and best >= REWRITE_MARGIN * second:
            used_a[i], used_b[j] = j, i
    pairs: list[tuple[int | None, int | None, float, str | None]] = [
        (i, j, float(scores[i][j]), None) for i, j in sorted(used_a.items())]
    # split / merged: an unpaired clause that completes its neighbour's pair (the two together are
    # closer to the other side than the paired clause alone)
    extra: list[tuple[int | None, int | None, float, str | None]] = []
    kinds_ab = (art_a, art_b) if ordered else None
    kinds_ba = (art_b, art_a) if ordered else None
    extra += [(i, j, score, "split") for j, i, score in _completions(ka, kb, used_b, kinds_ab)]
    extra += [(i, j, score, "merged") for i, j, score in _completions(kb, ka, used_a, kinds_ba)]
    pairs.extend(extra)
    paired_a = {p[0] for p in pairs}
    paired_b = {p[1] for p in pairs}
    pairs.extend((i, None, 0.0, None) for i in range(len(a)) if i not in paired_a)
    pairs.extend((None, j, 0.0, None) for j in range(len(b)) if j not in paired_b)
    return pairs


def kept_similarity(x: str, y: str) -> float:
    """How alike two versions of an article are, 0–100: the Indel ratio, or, when one is much longer (an
    article that grew), how much of the shorter survives in the longer (discounted)."""
    ratio = fuzz.ratio(x, y)
    short = min(len(x), len(y))
    if short < CONTAINED_MIN_CHARS:
        return ratio
    return max(ratio, CONTAINED_WEIGHT * 100.0 * LCSseq.similarity(x, y) / short)


def _ordered_pairs(ka: list[str], kb: list[str], scores: list[list[float]],
                   candidates: list[tuple[float, float, int, int]], art_a: list[bool],
                   art_b: list[bool]) -> dict[int, int]:
    """Anchors (pairs at least MOVED_MIN alike, in document order), then between each two anchors the
    in-order pairing that keeps the most similarity (a weighted longest common subsequence over pairs at
    least ORDERED_MIN alike).  Anchors out of order are kept too (moved articles)."""
    strong: dict[int, int] = {}
    taken_b: set[int] = set()
    for rank, _near, i, j in candidates:
        if rank >= MOVED_MIN and i not in strong and j not in taken_b:
            strong[i] = j
            taken_b.add(j)
    anchors = sorted(_in_order(list(strong.items())))
    out = dict(strong)
    bounds = [(-1, -1), *anchors, (len(ka), len(kb))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:], strict=False):
        gi = [i for i in range(i0 + 1, i1) if i not in out and ka[i]]
        gj = [j for j in range(j0 + 1, j1) if j not in taken_b and kb[j]]
        if not gi or not gj:
            continue
        weight = [[0.0] * len(gj) for _ in gi]
        for x, i in enumerate(gi):
            for y, j in enumerate(gj):
                sim = kept_similarity(ka[i], kb[j]) if art_a[i] == art_b[j] else 0.0
                weight[x][y] = sim - ORDERED_MIN if sim >= ORDERED_MIN else 0.0
        # best[x][y]: the most weight pairing gi[:x] with gj[:y] in order
        best = [[0.0] * (len(gj) + 1) for _ in range(len(gi) + 1)]
        for x in range(1, len(gi) + 1):
            for y in range(1, len(gj) + 1):
                w = weight[x - 1][y - 1]
                best[x][y] = max(best[x - 1][y], best[x][y - 1], best[x - 1][y - 1] + w if w > 0 else 0.0)
        x, y = len(gi), len(gj)
        while x and y:
            w = weight[x - 1][y - 1]
            if w > 0 and best[x][y] == best[x - 1][y - 1] + w:
                out[gi[x - 1]] = gj[y - 1]
                taken_b.add(gj[y - 1])
                x, y = x - 1, y - 1
            elif best[x][y] == best[x - 1][y]:
                x -= 1
            else:
                y -= 1
    # one article left on each side between the same two pairs stands in the same place: rewritten,
    # when still somewhat alike (第三十三条 from 许可 to 备案), else one deleted and one added
    done = sorted(out.items())
    bounds = [(-1, -1), *[p for p in done if p in set(_in_order(done))], (len(ka), len(kb))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:], strict=False):
        gi = [i for i in range(i0 + 1, i1) if i not in out and ka[i]]
        gj = [j for j in range(j0 + 1, j1) if j not in taken_b and kb[j]]
        if len(gi) == 1 and len(gj) == 1 and art_a[gi[0]] == art_b[gj[0]] \
                and kept_similarity(ka[gi[0]], kb[gj[0]]) >= SLOT_MIN:
            out[gi[0]] = gj[0]
            taken_b.add(gj[0])
    return out


def _in_order(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs in the same order on both sides: those on every longest run of pairs in order on both sides
    (the rest moved).  Where runs as long disagree (two articles that swapped places), each pair of the
    disagreement counts as moved, whichever side is A."""
    seq = sorted(pairs)
    n = len(seq)
    if not n:
        return set()
    before = [1] * n  # the longest run in order ending with seq[x]
    after = [1] * n  # … and starting with it
    for x in range(n):
        for y in range(x):
            if seq[y][0] < seq[x][0] and seq[y][1] < seq[x][1]:
                before[x] = max(before[x], before[y] + 1)
    for x in range(n - 1, -1, -1):
        for y in range(x + 1, n):
            if seq[x][0] < seq[y][0] and seq[x][1] < seq[y][1]:
                after[x] = max(after[x], after[y] + 1)
    longest = max(before)
    on_some = [x for x in range(n) if before[x] + after[x] - 1 == longest]
    level = Counter(before[x] for x in on_some)
    return {seq[x] for x in on_some if level[before[x]] == 1}


def _tokens(nt: NormalisedText) -> list[tuple[str, int, int]]:
    from ..text.segment import tokenizer

    # HMM off: unknown words fall apart into characters, which a diff wants anyway, at half the cost
    return [(w, s, e) for w, s, e in tokenizer().tokenize(nt.text, HMM=False) if w]


def _orig(nt: NormalisedText, start: int, end: int) -> str:
    if start >= end:
        return ""
    s, e = nt.to_original(start, end)
    return nt.original[s:e]


def _literally_equal(na: NormalisedText, nb: NormalisedText, a0: int, a1: int, b0: int, b1: int) -> bool:
    """The two spans read the same as written (width, brackets and whitespace aside)."""
    return raw(_orig(na, a0, a1)) == raw(_orig(nb, b0, b1))


def _is_format(a: str, b: str) -> bool:
    return _PUNCT_RE.sub("", a) == _PUNCT_RE.sub("", b)


def diff_texts(a_text: str, b_text: str, *, a_traditional: bool, b_traditional: bool) -> list[Segment]:
    """Word-level redline of two clause texts, on their original wording.

    Between a simplified and a traditional text, a change whose traditional side is what OpenCC makes of the
    simplified side (s2t, s2tw or s2twp: 数据 → 資料, 着力 → 著力) is a ``variant``, never substantive
    (see :mod:`policysearch.text.variants`)."""
    na = normalise(a_text, traditional=a_traditional)
    nb = normalise(b_text, traditional=b_traditional)
    ta, tb = _tokens(na), _tokens(nb)
    raw_ops = _opcodes([t[0] for t in ta], [t[0] for t in tb])
    ops = _cleanup(raw_ops, ta, tb)
    oracle = _Renderings.for_texts(na, nb, ta, tb, a_traditional, b_traditional)
    segments: list[Segment] = []
    for op in ops:
        if oracle is not None and op[0] != "equal" and not oracle.variant(op):
            # a folded run (two edits around a short equal run) that is not one rendering as a whole may hold
            # renderings: then its parts are shown as they are
            inner = [r for r in raw_ops if op[1] <= r[1] and r[2] <= op[2] and op[3] <= r[3] and r[4] <= op[4]]
            if len(inner) > 1 and any(r[0] != "equal" and oracle.variant(r) for r in inner):
                for r in inner:
                    segments.extend(_op_segments(r, na, nb, ta, tb, oracle))
                continue
        segments.extend(_op_segments(op, na, nb, ta, tb, oracle))
    return segments


def _span(tokens: list[tuple[str, int, int]], i1: int, i2: int, text_len: int) -> tuple[int, int]:
    """The normalised-text span of tokens i1..i2 (an empty span at the position of i1 when i1 == i2)."""
    if i1 >= i2:
        pos = tokens[i1][1] if i1 < len(tokens) else text_len
        return pos, pos
    return tokens[i1][1], tokens[i2 - 1][2]


class _Renderings:
    """Tells, for a simplified text and a traditional text, which differences are OpenCC's rendering.

    A change is a rendering when converting the simplified side's words forwards (s2t, s2tw, s2twp) gives
    the traditional side's words.  The words are the change's own, then with one or two words of context
    either side (a conversion phrase may run past the change: 着装 → 著裝 differs only in 着/著), then the
    whole texts.  Two traditional texts are renderings of one another when one simplified reading of either
    renders both."""

    def __init__(self, na: NormalisedText, nb: NormalisedText, ta: list[tuple[str, int, int]],
                 tb: list[tuple[str, int, int]], kind: str):
        self.na, self.nb, self.ta, self.tb = na, nb, ta, tb
        self.kind = kind  # "st" (A simplified, B traditional) | "ts" | "tt"
        self._whole: bool | None = None

    @classmethod
    def for_texts(cls, na: NormalisedText, nb: NormalisedText, ta: list[tuple[str, int, int]],
                  tb: list[tuple[str, int, int]], a_traditional: bool, b_traditional: bool) -> _Renderings | None:
        if not variants.enabled() or (not a_traditional and not b_traditional):
            return None
        kind = "tt" if a_traditional and b_traditional else ("ts" if a_traditional else "st")
        return cls(na, nb, ta, tb, kind)

    def _same(self, a: str, b: str) -> bool:
        if self.kind == "st":
            return variants.same_wording(a, b) is not None
        if self.kind == "ts":
            return variants.same_wording(b, a) is not None
        return variants.same_source(a, b)

    def whole(self) -> bool:
        if self._whole is None:
            self._whole = self._same(self.na.original, self.nb.original)
        return self._whole

    def variant(self, op: list[Any]) -> bool:
        _, i1, i2, j1, j2 = op
        ta, tb = self.ta, self.tb
        for k in (0, 1, 2):
            left, right = min(k, i1, j1), min(k, len(ta) - i2, len(tb) - j2)
            if k and left < k and right < k:
                break
            a0, a1 = _span(ta, i1 - left, i2 + right, len(self.na.text))
            b0, b1 = _span(tb, j1 - left, j2 + right, len(self.nb.text))
            if (a0 < a1 or b0 < b1) and self._same(_orig(self.na, a0, a1), _orig(self.nb, b0, b1)):
                return True
        return self.whole()


def _op_segments(op: list[Any], na: NormalisedText, nb: NormalisedText, ta: list[tuple[str, int, int]],
                 tb: list[tuple[str, int, int]], oracle: _Renderings | None) -> list[Segment]:
    """The redline segments of one opcode."""
    tag, i1, i2, j1, j2 = op
    a0, a1 = _span(ta, i1, i2, len(na.text))
    b0, b1 = _span(tb, j1, j2, len(nb.text))
    if tag == "equal":
        return _equal_with_variants(na, nb, a0, a1, b0, b1)
    if _literally_equal(na, nb, a0, a1, b0, b1):  # the variant table read one side differently (对口支援)
        return [Segment("equal", _orig(na, a0, a1), _orig(nb, b0, b1))]
    if oracle is not None and not _is_format(na.text[a0:a1], nb.text[b0:b1]) and oracle.variant(op):
        return [Segment(tag, _orig(na, a0, a1), _orig(nb, b0, b1), "variant")]
    if tag == "replace" and i2 - i1 == 1 and j2 - j1 == 1:
        # one word for another: where they share a beginning or an end, words are too coarse and
        # the change is shown on the characters that differ (电子商务法规 → 电子商务政策)
        x, y = na.text[a0:a1], nb.text[b0:b1]
        pre = len(os.path.commonprefix([x, y]))
        suf = len(os.path.commonprefix([x[pre:][::-1], y[pre:][::-1]]))
        if pre or suf:
            out = []
            if pre:
                out.append(Segment("equal", _orig(na, a0, a0 + pre), _orig(nb, b0, b0 + pre)))
            a0, a1, b0, b1 = a0 + pre, a1 - suf, b0 + pre, b1 - suf
            inner = "replace" if a0 < a1 and b0 < b1 else ("delete" if a0 < a1 else "insert")
            out.append(_change(inner, na, nb, a0, a1, b0, b1))
            if suf:
                out.append(Segment("equal", _orig(na, a1, a1 + suf), _orig(nb, b1, b1 + suf)))
            return out
    return [_change(tag, na, nb, a0, a1, b0, b1)]


def _change(op: str, na: NormalisedText, nb: NormalisedText, a0: int, a1: int, b0: int, b1: int) -> Segment:
    kind = "format" if _is_format(na.text[a0:a1], nb.text[b0:b1]) else "substantive"
    return Segment(op, _orig(na, a0, a1), _orig(nb, b0, b1), kind)


_MIRROR = {"insert": "delete", "delete": "insert", "replace": "replace", "equal": "equal"}


def _opcodes(a: list[str], b: list[str]) -> list[list[Any]]:
    """equal/insert/delete/replace runs of two token lists (rapidfuzz's LCS alignment, in C++).  Of several
    alignments as long, the one chosen does not depend on which text is A: the pair is aligned in one order
    and mirrored for the other, so swapping sides swaps inserts and deletes and changes no count."""
    if b < a:
        return [[_MIRROR[tag], j1, j2, i1, i2] for tag, i1, i2, j1, j2 in _opcodes_in_order(b, a)]
    return _opcodes_in_order(a, b)


def _opcodes_in_order(a: list[str], b: list[str]) -> list[list[Any]]:
    vocab: dict[str, int] = {}
    ia = [vocab.setdefault(t, len(vocab)) for t in a]
    ib = [vocab.setdefault(t, len(vocab)) for t in b]
    out: list[list[Any]] = []
    for op in Indel.opcodes(ia, ib):
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if out and tag in ("insert", "delete") and out[-1][0] in ("insert", "delete", "replace") \
                and out[-1][2] == i1 and out[-1][4] == j1:
            out[-1] = ["replace", out[-1][1], i2, out[-1][3], j2]
        else:
            out.append([tag, i1, i2, j1, j2])
    return out


def _cleanup(ops: list[list[Any]], ta: list, tb: list) -> list[list[Any]]:
    """Fold a short equal run between two edits into one replace (互联网支付、跨境支付发展 → 支付技术创新应用
    reads as one change, not as three around a shared 支付).  One pass over the opcodes."""
    pa, pb = [0], [0]
    for t in ta:
        pa.append(pa[-1] + len(t[0]))
    for t in tb:
        pb.append(pb[-1] + len(t[0]))

    def size(op: list[Any]) -> int:
        return max(pa[op[2]] - pa[op[1]], pb[op[4]] - pb[op[3]])

    out: list[list[Any]] = []
    for op in ops:
        out.append(op)
        while (len(out) >= 3 and out[-1][0] != "equal" and out[-2][0] == "equal" and out[-3][0] != "equal"
               and size(out[-2]) <= 2 and size(out[-2]) <= size(out[-1]) and size(out[-2]) <= size(out[-3])):
            left, _, right = out[-3:]
            out[-3:] = [["replace", left[1], right[2], left[3], right[4]]]
    return out


def _equal_with_variants(na: NormalisedText, nb: NormalisedText, a0: int, a1: int, b0: int,
                         b1: int) -> list[Segment]:
    """An equal run of normalised text, with the spots where the variant table made it equal."""
    spots: list[tuple[int, int]] = []  # in normalised B coordinates (== A coordinates shifted)
    for nt, base in ((nb, b0), (na, a0)):
        end = b1 if nt is nb else a1
        for vs, ve, _, _ in nt.variant_spans:
            if base <= vs and ve <= end:
                spots.append((vs - base, ve - base))
    if not spots:
        return [Segment("equal", _orig(na, a0, a1), _orig(nb, b0, b1))]
    out: list[Segment] = []
    pos = 0
    for s, e in sorted(set(spots)):
        if s < pos:
            continue
        if s > pos:
            out.append(Segment("equal", _orig(na, a0 + pos, a0 + s), _orig(nb, b0 + pos, b0 + s)))
        kind = "" if _literally_equal(na, nb, a0 + s, a0 + e, b0 + s, b0 + e) else "variant"
        out.append(Segment("replace" if kind else "equal", _orig(na, a0 + s, a0 + e), _orig(nb, b0 + s, b0 + e),
                           kind))
        pos = e
    if pos < a1 - a0:
        out.append(Segment("equal", _orig(na, a0 + pos, a1), _orig(nb, b0 + pos, b1)))
    return out


def _pair(a: Clause | None, b: Clause | None, sim: float, relation: str | None, a_doc: Document,
          b_doc: Document) -> ClausePair:
    article = (a is not None and is_article(a)) or (b is not None and is_article(b))
    labels = (a.label if a else "", b.label if b else "")
    if a is None or b is None:
        c = a or b
        assert c is not None
        return ClausePair(a.path if a else None, b.path if b else None, a.text if a else "", b.text if b else "",
                          "removed" if a else "added", 0.0, a_label=labels[0], b_label=labels[1], article=article)
    segments = diff_texts(body(a), body(b), a_traditional=a_doc.traditional, b_traditional=b_doc.traditional)
    changes = [Change(s.op, s.a, s.b, s.kind) for s in segments if s.op != "equal"]
    renumbered = False
    if article and is_article(a) and is_article(b):
        # an article's number is where it stands, not what it says: a new number is a renumbering
        renumbered = article_number(a) != article_number(b)
    elif a.label != b.label:
        changes.insert(0, Change("replace", a.label, b.label, "format"))
    status = "changed" if any(c.kind == "substantive" for c in changes) else "same"
    return ClausePair(a.path, b.path, a.text, b.text, status, sim / 100, changes, segments, relation,
                      labels[0], labels[1], article, renumbered)


def compare(a_doc: Document, b_doc: Document, section_a: str | None = None,
            section_b: str | None = None, *, by_article: bool | None = None) -> Comparison:
    """Compare two documents (or a section of each) clause by clause; by article (each article whole,
    aligned by content, a new number a renumbering) when both have articles, unless told otherwise."""
    if by_article is None:
        by_article = _has_articles(a_doc, section_a) and _has_articles(b_doc, section_b)
    ua, ub = _units(a_doc, section_a, by_article=by_article), _units(b_doc, section_b, by_article=by_article)
    aligned = align_clauses(ua, ub, ordered=by_article)
    ordered = _in_order([(i, j) for i, j, _, rel in aligned if i is not None and j is not None and rel is None])
    pairs_with_pos: list[tuple[float, ClausePair]] = []
    last_b_for_a: dict[int, float] = {}
    for i, j, _sim, _rel in aligned:
        if i is not None and j is not None:
            last_b_for_a[i] = j
    for i, j, sim, rel in aligned:
        pair = _pair(ua[i] if i is not None else None, ub[j] if j is not None else None, sim, rel, a_doc, b_doc)
        if i is not None and j is not None and rel is None and (i, j) not in ordered and sim >= MOVED_MIN:
            pair.status = "moved"
        if j is not None:
            pos = float(j)
        else:  # a removed clause goes after the B position of the nearest paired clause before it
            assert i is not None
            before = [last_b_for_a[k] for k in range(i) if k in last_b_for_a]
            pos = (max(before) if before else -1) + 0.5
        pairs_with_pos.append((pos, pair))
    pairs_with_pos.sort(key=lambda x: x[0])
    return Comparison(a_doc, b_doc, section_a, section_b, [p for _, p in pairs_with_pos], by_article)
