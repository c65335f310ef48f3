"""Normalisation for matching, with a map back to the original text.

Two forms are derived from every original text:

* ``norm`` — the matching form: NFKC (full-width digits, letters and punctuation), lower case,
  OpenCC traditional→simplified, the curated policy-language variant table (for traditional-script
  documents and for every query), document-number brackets unified to 〔〕, dashes unified, and
  whitespace removed next to CJK text.  The same wording compares equal across scripts.
* ``raw`` — the literal form: the same minus script conversion and the variant table.  A substring
  of an original is (up to whitespace at its edges) a substring of the original's raw form, so a
  literal search on raw never misses what the user can see on the page.

Every form keeps, per character, the span of the original it came from, so a match found in
normalised text is highlighted on the original, in the user's own script.
"""

from __future__ import annotations

import bisect
import math
import operator
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import opencc

from . import data_file

_T2S = opencc.OpenCC("t2s")  # 5 ms; s2t takes 55 ms and only script_of needs it


@lru_cache(maxsize=1)
def _s2t() -> Any:
    return opencc.OpenCC("s2t")

# Characters after NFKC that count as "CJK" for the whitespace rule: ideographs, CJK punctuation,
# kana, and the punctuation NFKC leaves us with next to Chinese text.
_CJK_RE = re.compile(r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                     r"\uff00-\uffef\u201c\u201d\u2018\u2019\u3001\u3002,;:()!?\[\]〔〕《》]")
_SPACE_RUN_RE = re.compile(r"\s+")
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "〖": "〔", "〗": "〕", "［": "〔", "］": "〕",
                           "—": "-", "–": "-", "－": "-", "―": "-", "~": "-", "～": "-"})


def _is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch).lower()


@dataclass(frozen=True)
class VariantEntry:
    """One row of the variant table: how a traditional-script copy words it, and the mainland form."""

    variant: str  # as it reads after t2s (e.g. 资讯)
    mainland: str  # the mainland simplified wording (e.g. 信息)
    written: str  # as written in the traditional copy (e.g. 資訊), for review and tests
    note: str


@lru_cache(maxsize=1)
def variant_table() -> tuple[VariantEntry, ...]:
    """The curated variant table (``data/variants.tsv``)."""
    text = data_file("variants.tsv").read_text("utf-8")
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        written, mainland = cols[0].strip(), cols[1].strip()
        note = cols[2].strip() if len(cols) > 2 else ""
        entries.append(VariantEntry(_T2S.convert(written), mainland, written, note))
    return tuple(entries)


@lru_cache(maxsize=1)
def _variant_re() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {e.variant: e.mainland for e in variant_table()}
    keys = sorted(table, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys)), table


_EDGE_CONTEXT = 4  # characters of context either side of a variant-table match when checking its edges
# How much less likely (natural log of jieba's path probability) a few characters of context may become when the
# match is forced to be one word.  Measured: matches in real traditional copies cost at most 1.6; matches
# across words (药品质量 → 药|品质|量, 自行销售 → 自|行销|售, 软体动物) cost 5 to 17.
_EDGE_COST_MAX = 4.0


def _best_route(tk: Any, s: str) -> float:
    if not s:
        return 0.0
    route: dict[int, tuple[float, int]] = {}
    tk.calc(s, tk.get_DAG(s), route)
    return route[0][0]


def _at_word_edges(s: str, a: int, b: int) -> bool:
    """Whether s[a:b] reads as a word where it stands: a table entry stands for a word, and must not fire across
    the words of 药品质量 (药品|质量: 品質 → 质量) or 自行销售 (自行|销售: 行銷 → 营销).

    Decided with jieba's dictionary on a few characters of context: the best segmentation of the context is
    compared with the best one that keeps s[a:b] whole; the match is refused when keeping it whole costs more
    than :data:`_EDGE_COST_MAX`."""
    from .segment import fragment_tokenizer

    lo, hi = max(0, a - _EDGE_CONTEXT), min(len(s), b + _EDGE_CONTEXT)
    w, a, b = s[lo:hi], a - lo, b - lo
    tk = fragment_tokenizer(w)
    whole = math.log(tk.FREQ.get(w[a:b]) or 1) - math.log(tk.total)
    forced = _best_route(tk, w[:a]) + whole + _best_route(tk, w[b:])
    return forced - _best_route(tk, w) >= -_EDGE_COST_MAX


@dataclass
class NormalisedText:
    """A derived text with, per character, the original span it came from."""

    original: str
    text: str
    starts: list[int]
    ends: list[int]
    # (norm_start, norm_end, orig_start, orig_end) of each variant-table replacement
    variant_spans: list[tuple[int, int, int, int]] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text to the span of the original it covers."""
        if not self.text:
            return (0, 0)
        start = max(0, min(start, len(self.text) - 1))
        end = max(start + 1, min(end, len(self.text)))
        return self.starts[start], self.ends[end - 1]


class _Builder:
    """Applies the steps in turn, composing the per-character map only when a step changes lengths."""

    def __init__(self, original: str, with_map: bool):
        self.s = original
        self.with_map = with_map
        n = len(original)
        self.starts: list[int] | None = list(range(n)) if with_map else None
        self.ends: list[int] | None = list(range(1, n + 1)) if with_map else None
        self.variant_spans: list[tuple[int, int, int, int]] = []

    def replace_segments(self, pieces: list[tuple[int, int, str]]) -> None:
        """Replace non-overlapping, sorted spans (start, end, new text) of the current string."""
        if not pieces:
            return
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for a, b, new in pieces:
            out.append(self.s[pos:a])
            if self.with_map:
                assert self.starts is not None and self.ends is not None
                starts.extend(self.starts[pos:a])
                ends.extend(self.ends[pos:a])
                if new:
                    o_start = self.starts[a] if a < b else (self.starts[a] if a < len(self.s) else
                                                             (self.ends[a - 1] if a else 0))
                    o_end = self.ends[b - 1] if a < b else o_start
                    if len(new) == b - a:  # same length: keep per-character precision
                        starts.extend(self.starts[a:b])
                        ends.extend(self.ends[a:b])
                    else:
                        starts.extend([o_start] * len(new))
                        ends.extend([o_end] * len(new))
            out.append(new)
            pos = b
        out.append(self.s[pos:])
        if self.with_map:
            assert self.starts is not None and self.ends is not None
            starts.extend(self.starts[pos:])
            ends.extend(self.ends[pos:])
            self.starts, self.ends = starts, ends
        self.s = "".join(out)

    def fold(self) -> None:
        """NFKC + lower case, character by character (the map stays exact)."""
        table = {}
        grow = False
        for ch in set(self.s):
            f = _fold_char(ch)
            if f != ch:
                table[ord(ch)] = f
                grow = grow or len(f) != 1
        if not table:
            return
        if not grow:
            self.s = self.s.translate(table)
            return
        pieces = [(i, i + 1, table[ord(ch)]) for i, ch in enumerate(self.s) if ord(ch) in table]
        self.replace_segments(pieces)

    def to_simplified(self) -> None:
        converted = _T2S.convert(self.s)
        if len(converted) == len(self.s):
            self.s = converted
            return
        # A phrase conversion changed lengths somewhere: convert line by line, char by char where needed.
        pieces = []
        for m in re.finditer(r"[^\n]+", self.s):
            line = m.group()
            conv = _T2S.convert(line)
            if len(conv) != len(line):
                conv = "".join(_T2S.convert(ch) or ch for ch in line)
            if len(conv) != len(line):
                pieces.append((m.start(), m.end(), conv))
            elif conv != line:
                pieces.append((m.start(), m.end(), conv))
        self.replace_segments(pieces)

    def apply_variants(self) -> None:
        rx, table = _variant_re()
        if not table:
            return
        pieces = [(m.start(), m.end(), table[m.group()]) for m in rx.finditer(self.s)
                  if _at_word_edges(self.s, m.start(), m.end())]
        if self.with_map and self.starts is not None and self.ends is not None:
            # remembered by original span: later steps (whitespace) still move the normalised positions
            self.variant_spans.extend((0, 0, self.starts[a], self.ends[b - 1]) for a, b, _ in pieces)
        self.replace_segments(pieces)

    def unify_marks(self) -> None:
        self.s = self.s.translate(_BRACKETS)

    def squeeze_space(self) -> None:
        s = self.s
        pieces = []
        for m in _SPACE_RUN_RE.finditer(s):
            a, b = m.span()
            before = s[a - 1] if a > 0 else ""
            after = s[b] if b < len(s) else ""
            if not before or not after or _is_cjk(before) or _is_cjk(after):
                pieces.append((a, b, ""))
            elif b - a > 1 or s[a] != " ":
                pieces.append((a, b, " "))
        self.replace_segments(pieces)

    def result(self) -> NormalisedText:
        spans = []
        if self.variant_spans and self.starts is not None:
            for _, _, o0, o1 in self.variant_spans:
                n0 = bisect.bisect_left(self.starts, o0)
                n1 = bisect.bisect_left(self.starts, o1, n0)
                if n0 < n1:
                    spans.append((n0, n1, o0, o1))
        return NormalisedText("", self.s, self.starts or [], self.ends or [], spans)


def _run(original: str, *, simplify: bool, variants: bool, with_map: bool) -> _Builder:
    b = _Builder(original, with_map)
    b.fold()
    if simplify:
        b.to_simplified()
        if variants:
            b.apply_variants()
    b.unify_marks()
    b.squeeze_space()
    return b


def normalise(original: str, *, traditional: bool = False, with_map: bool = True) -> NormalisedText:
    """The matching form of a document text; the variant table applies to traditional-script texts."""
    b = _run(original, simplify=True, variants=traditional, with_map=with_map)
    r = b.result()
    r.original = original
    return r


def normalise_raw(original: str, *, with_map: bool = True) -> NormalisedText:
    """The literal form: folding, brackets and whitespace only; the script is kept."""
    r = _run(original, simplify=False, variants=False, with_map=with_map).result()
    r.original = original
    return r


def norm(text: str, *, traditional: bool = False) -> str:
    """The matching form without the offset map (fast path for indexing)."""
    return _run(text, simplify=True, variants=traditional, with_map=False).s


def raw(text: str) -> str:
    """The literal form without the offset map."""
    return _run(text, simplify=False, variants=False, with_map=False).s


@dataclass(frozen=True)
class QueryForms:
    """The forms a query string is matched in.

    ``norm`` is compared with every clause's matching form and ``raw`` with every clause's literal form.
    The extra forms widen the match across scripts and regional phrasing without converting anything
    backwards blindly: ``for_traditional`` (matching forms) is compared only with traditional-script
    documents, ``for_all`` (matching forms) with every document.
    """

    norm: str
    raw: str
    traditional_sources: tuple[str, ...] = ()  # what ``for_traditional`` is rendered from, on first use
    for_all: tuple[str, ...] = ()

    @cached_property
    def for_traditional(self) -> tuple[str, ...]:
        """The query as OpenCC's traditional copies word it (s2t, s2tw, s2twp), in matching form.  Computed when
        asked, and only for a query whose renderings can differ (:func:`variants.may_render_differently`): loading
        those converters is 85–130 ms of a search process, and a corpus without traditional-script documents never
        asks."""
        from . import variants

        sources = [src for src in self.traditional_sources if variants.may_render_differently(src)]
        return tuple(dict.fromkeys(
            f for src in sources for t in variants.renderings(src)
            if (f := norm(t, traditional=True)) and f != self.norm and f not in self.for_all))

    def matching(self, *, traditional: bool) -> tuple[str, ...]:
        """The matching forms that apply to a document of this script (norm first, no repeats)."""
        forms = (self.norm, *self.for_all, *(self.for_traditional if traditional else ()))
        return tuple(dict.fromkeys(f for f in forms if f))


def query_forms(query: str) -> QueryForms:
    """The forms of a query string.

    * ``norm`` — the variant table is applied to every query, whatever its script: 资讯 and 資訊 both mean 信息
      in a traditional copy of a mainland notice, and the literal form still finds a text that says 资讯.
    * ``for_traditional`` — how a traditional copy made with OpenCC (s2t, s2tw, s2twp) words the query, in
      matching form: 数据安全 → 资料安全 (資料安全), 用户 → 使用者, 着力 → 著力.  Compared with traditional-script
      documents only: 资料 is good mainland wording for something else, so simplified documents gain no hits.
    * ``for_all`` — for a traditional-script query, the simplified wordings that OpenCC renders as the query
      (checked forwards, :func:`variants.simplified_readings`): 資料安全 → 数据安全, 使用者權限 → 用户权限.  They
      find mainland notices (and traditional copies in mainland phrasing) that say what a Taiwan-phrased query
      says.  A simplified query has none, so it never gains hits in simplified documents.
    """
    from . import variants

    n = _run(query, simplify=True, variants=True, with_map=False).s
    r = raw(query)
    if not variants.enabled() or not query.strip():
        return QueryForms(n, r)
    text = query.strip()
    readings: tuple[str, ...] = ()
    sources = [text]
    if variants.has_traditional(text):
        readings = variants.simplified_readings(text)
        sources += [to_simplified(text), *readings]
    for_all = tuple(dict.fromkeys(f for f in (norm(s) for s in readings) if f and f != n))
    return QueryForms(n, r, tuple(sources), for_all)


def script_of(text: str) -> str:
    """'traditional' or 'simplified', by which conversion changes more characters."""
    sample = text[:5000]  # a few thousand characters decide it (the whole text cost a fifth of reading it)
    t2s = _T2S.convert(sample)
    s2t = _s2t().convert(sample)
    n_trad = sum(map(operator.ne, sample, t2s))
    n_simp = sum(map(operator.ne, sample, s2t))
    return "traditional" if n_trad > n_simp else "simplified"


def to_simplified(text: str) -> str:
    """Plain OpenCC t2s, for display-independent keys (titles, issuer names)."""
    return _T2S.convert(text)
