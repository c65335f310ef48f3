"""Same wording in either script, with OpenCC's own converters as the oracle.

Traditional-script copies of mainland notices are made by converting the simplified text, very often
with OpenCC itself: ``s2t`` (characters and phrases), ``s2tw`` (plus Taiwan character standards: 着→著)
or ``s2twp`` (plus Taiwan phrasing: 数据→資料, 用户→使用者, 优化→最佳化).  So the installed converters
decide whether two spans are the same wording, and they decide it in one direction only:

    a simplified span S and a traditional span T are the same wording when converting S with one of
    :data:`CONFIGS` yields T.

Nothing is converted backwards blindly (tw2sp turns 指標 into 指针 and 建立 into 创建): a reverse converter
is used only to *propose* simplified readings of a traditional query, and a proposal is kept only when
converting it forwards gives the query back (:func:`simplified_readings`).

Everything here is derived at first use from the installed opencc package (its converters are built
once per process and their results cached in memory); the package's version is part of the index
fingerprint (``store/fingerprint.py``).  The curated table ``data/variants.tsv`` stays for what OpenCC
does not do and for its context rules (it is applied by ``normalise``).

Setting ``POLICYSEARCH_OPENCC_VARIANTS=0`` switches this equivalence off (for measuring what it buys:
``bench/bench_variants.py``).
"""

from __future__ import annotations

import os
from functools import lru_cache

import opencc

# How traditional-script copies are made, plainest first.
CONFIGS: tuple[str, ...] = ("s2t", "s2tw", "s2twp")
# Reverse converters that propose simplified readings of a traditional text (each checked forwards).
_PROPOSERS: tuple[str, ...] = ("tw2sp", "tw2s", "t2s")
ENV_SWITCH = "POLICYSEARCH_OPENCC_VARIANTS"
MAX_READINGS = 8  # simplified readings of one query kept at most (they multiply word by word)
_MAX_SPAN_WORDS = 3  # a Taiwan phrase covers at most this many words of the plain reading


def enabled() -> bool:
    """Whether the OpenCC equivalence is on (``POLICYSEARCH_OPENCC_VARIANTS`` is not 0/off/false)."""
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "off", "false", "no")


def opencc_version() -> str:
    """The version of the installed opencc package (what the derived equivalence depends on)."""
    return str(getattr(opencc, "__version__", "?"))


@lru_cache(maxsize=None)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@lru_cache(maxsize=65536)
def convert(text: str, config: str) -> str:
    """``text`` converted with one OpenCC configuration (cached)."""
    return _converter(config).convert(text)


@lru_cache(maxsize=65536)
def renderings(simplified: str) -> tuple[str, ...]:
    """The distinct traditional renderings of a simplified text, one per configuration in :data:`CONFIGS`
    (plainest first; the input itself is left out)."""
    out = dict.fromkeys(convert(simplified, c) for c in CONFIGS)
    out.pop(simplified, None)
    return tuple(out)


def _fold(text: str) -> str:
    from .normalise import raw

    return raw(text)


def same_wording(simplified: str, traditional: str) -> str | None:
    """The configuration that converts ``simplified`` into ``traditional`` (compared in their literal forms:
    width, brackets and whitespace do not count), or None when none does.  Direction matters: the first
    argument is the simplified side."""
    if not simplified and not traditional:
        return None
    target = _fold(traditional)
    for c in CONFIGS:
        if _fold(convert(simplified, c)) == target:
            return c
    return None


@lru_cache(maxsize=65536)
def _verified(traditional: str) -> tuple[str, ...]:
    """Simplified texts proposed by the reverse converters whose forward conversion is ``traditional``."""
    out: dict[str, None] = {}
    for p in _PROPOSERS:
        s = convert(traditional, p)
        if s not in out and any(convert(s, c) == traditional for c in CONFIGS):
            out[s] = None
    return tuple(out)


@lru_cache(maxsize=4096)
def simplified_readings(traditional: str) -> tuple[str, ...]:
    """Simplified wordings that OpenCC renders as ``traditional`` other than its plain reading (t2s).

    The plain reading is cut into words with jieba; every run of up to three words is looked up as a
    whole (so a Taiwan phrase that the plain reading splits, 許可權 → 许可|权, is still found), and a
    reading is kept only when converting it forwards with s2t, s2tw or s2twp gives the traditional text
    back.  資料安全 → 数据安全; 使用者 → 用户; 建立 → 创建 too (s2twp writes 创建 as 建立), which is why these
    readings are matched only as extra forms of a traditional-script query, never in place of its plain
    reading.
    """
    plain = convert(traditional, "t2s")
    if not traditional or len(plain) != len(traditional):
        return tuple(r for r in _verified(traditional) if r != plain)[:MAX_READINGS]
    from .segment import tokenizer

    bounds = [0]
    for w in tokenizer().cut(plain, HMM=False):
        bounds.append(bounds[-1] + len(w))
    n = len(bounds) - 1
    # readings[k]: the distinct ways to read the first k words (plain reading first)
    readings: list[list[str]] = [[""]] + [[] for _ in range(n)]
    for k in range(n):
        if not readings[k]:
            continue
        for m in range(k + 1, min(n, k + _MAX_SPAN_WORDS) + 1):
            piece = traditional[bounds[k]:bounds[m]]
            plain_piece = [plain[bounds[k]:bounds[m]]] if m - k == 1 else []
            options = list(dict.fromkeys([*plain_piece, *_verified(piece)]))
            for head in readings[k]:
                for opt in options:
                    s = head + opt
                    if s not in readings[m] and len(readings[m]) < 4 * MAX_READINGS:
                        readings[m].append(s)
    out = dict.fromkeys(r for r in [*_verified(traditional), *readings[n]] if r != plain)
    return tuple(out)[:MAX_READINGS]


def same_source(traditional_a: str, traditional_b: str) -> bool:
    """Whether two traditional texts render one simplified text (an s2t copy and an s2twp copy of one notice):
    some simplified reading of either — its plain reading or a verified one — renders both."""
    fa, fb = _fold(traditional_a), _fold(traditional_b)
    if fa == fb:
        return True
    for t in (traditional_a, traditional_b):
        for s in (convert(t, "t2s"), *_verified(t)):
            outs = {_fold(convert(s, c)) for c in CONFIGS}
            if fa in outs and fb in outs:
                return True
    return False
