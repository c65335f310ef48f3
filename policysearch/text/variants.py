"""Same wording in either script, with OpenCC's own converters as the oracle.

Traditional-script copies of mainland notices are made by converting the simplified text, very often
with OpenCC itself: ``s2t`` (characters and phrases), ``s2tw`` (plus Taiwan character standards: 着→著)
or ``s2twp`` (plus Taiwan phrasing: 数据→資料, 用户→使用者, 优化→最佳化), and the Hong Kong ones ``s2hk`` and
``s2hkp`` (搜索→搜尋).  So the installed converters
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
from collections.abc import Iterator
from functools import lru_cache

import opencc

# How traditional-script copies are made, plainest first: Taiwan's standards and phrasing, then Hong Kong's
# (s2hkp: 搜索 → 搜尋, 操作系统 → 作業系統).
CONFIGS: tuple[str, ...] = ("s2t", "s2tw", "s2twp", "s2hk", "s2hkp")
# Reverse converters that propose simplified readings of a traditional text (each checked forwards).
_PROPOSERS: tuple[str, ...] = ("tw2sp", "hk2sp", "tw2s", "hk2s", "t2s")
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
    if config == "t2s":  # the one normalise has built already
        from .normalise import _T2S

        return _T2S
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


def _opencc_paths() -> tuple[str, str]:
    """The installed package's dictionary tool and dictionary directory."""
    base = os.path.join(os.path.dirname(os.path.abspath(opencc.__file__)), "clib")
    return os.path.join(base, "bin", "opencc_dict"), os.path.join(base, "share", "opencc")


def _dictionary_lines(names: list[str]) -> dict[str, list[str]] | None:
    """Dictionaries of the installed package as text lines, by file name (None without its dictionary tool).

    The package ships its dictionaries compiled (.ocd2) with the tool that turns them back into text."""
    import subprocess
    import tempfile

    tool, share = _opencc_paths()
    out: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            text = os.path.join(tmp, f"{name}.txt")
            try:
                subprocess.run([tool, "-i", os.path.join(share, name), "-o", text, "-f", "ocd2", "-t", "text"],
                               check=True, capture_output=True, timeout=60)
                with open(text, encoding="utf-8") as fh:
                    out[name] = fh.read().splitlines()
            except (OSError, subprocess.SubprocessError):
                return None
    return out


def _config_dictionaries(config: str) -> set[str]:
    """The dictionary files a configuration of the installed package reads."""
    import json

    def files(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "file" and isinstance(value, str):
                    yield value
                else:
                    yield from files(value)
        elif isinstance(node, list):
            for value in node:
                yield from files(value)

    _, share = _opencc_paths()
    try:
        with open(os.path.join(share, f"{config}.json"), encoding="utf-8") as fh:
            return set(files(json.load(fh)))
    except (OSError, ValueError):
        return set()


def _read_taiwan_phrases() -> dict[str, list[str]]:
    """TWPhrases of the installed package, inverted: Taiwan phrasing → the plain readings of what it renders
    (kept in the cache directory under the package's version)."""

    def compute() -> dict[str, list[str]] | None:
        lines = _dictionary_lines(["TWPhrases.ocd2"])
        if lines is None:
            return None  # an opencc build without the tool: the reverse converters still propose readings
        inverse: dict[str, list[str]] = {}
        for line in lines["TWPhrases.ocd2"]:
            key, _, values = line.partition("\t")
            for v in values.split():
                readings = inverse.setdefault(v, [])
                plain = convert(key, "t2s")
                if plain not in readings:
                    readings.append(plain)
        return inverse

    from . import cached_json

    return dict(cached_json(f"opencc-{opencc_version()}-twphrases-inverse.json", compute) or {})


def _normalising_stamp() -> str:
    """What the matching form of a text depends on besides OpenCC: this module, ``normalise``, their data."""
    import zlib

    from . import data_file

    here = os.path.dirname(os.path.abspath(__file__))
    crc = 0
    for path in (os.path.join(here, "normalise.py"), os.path.join(here, "variants.py"), data_file("variants.tsv"),
                 data_file("userdict.txt")):
        try:
            with open(path, "rb") as fh:
                crc = zlib.crc32(fh.read(), crc)
        except OSError:
            pass
    return f"{crc:08x}"


def _find_triggers() -> list[str] | None:
    """Every key of the dictionaries the configurations (and t2s) read, in simplified form, whose rendering by one
    of :data:`CONFIGS` reads differently in matching form.  2.5 s, once per OpenCC version."""
    from .normalise import norm

    names = sorted(set().union(*(_config_dictionaries(c) for c in (*CONFIGS, "t2s"))))
    lines = _dictionary_lines(names)
    if not names or lines is None:
        return None
    t2s = _converter("t2s")
    candidates: set[str] = set()
    for dictionary in lines.values():
        for line in dictionary:
            key = line.partition("\t")[0]
            if key:  # as written, and read as simplified phrase by phrase and character by character
                candidates.update((key, t2s.convert(key), "".join(t2s.convert(ch) for ch in key)))
    converters = [_converter(c) for c in CONFIGS]
    found = []
    for x in candidates:
        renderings = {c.convert(x) for c in converters} - {x}
        if not renderings:
            continue
        plain = {norm(x), norm(x, traditional=True)}  # a query's matching form has the variant table applied
        # OpenCC's t2s and the variant table look at the text around a match: checked as phrases, as characters
        if len(plain) > 1 or any(norm(y, traditional=True) not in plain or t2s.convert(y) != x
               or "".join(t2s.convert(ch) for ch in y) != x for y in renderings):
            found.append(x)
    return sorted(found)


@lru_cache(maxsize=1)
def _triggers() -> tuple[frozenset[str], int] | None:
    from . import cached_json

    found = cached_json(f"opencc-{opencc_version()}-triggers-{_normalising_stamp()}.json", _find_triggers)
    if not isinstance(found, list) or not found:
        return None
    return frozenset(found), max(map(len, found))


def prepare() -> None:
    """Find the texts whose traditional renderings differ (:func:`may_render_differently`) now, not at the first
    search: an ingest that indexed traditional-script documents calls it."""
    _triggers()


def may_render_differently(simplified: str) -> bool:
    """Whether a traditional copy made with one of :data:`CONFIGS` may word ``simplified`` differently in matching
    form (数据 → 資料 → 资料; 着力 → 著力), so that its :func:`renderings` are worth making.

    Making them loads five OpenCC converters, 85–130 ms of a search process.  But a rendering can read
    differently only where the text holds a key of the converters' dictionaries whose own rendering does: those
    keys are found once (:func:`_find_triggers`; 3,800 of 55,000 with opencc 1.4) and a text is looked up for
    them.  Measured on 250,000 passages of the laws and the bench corpus: every passage whose renderings differ
    holds one (no false negative); 3% of passages hold one although they do not."""
    found = _triggers()
    if found is None:
        return True  # no dictionaries to read: always render
    keys, longest = found
    n = len(simplified)
    return any(simplified[i:j] in keys for i in range(n) for j in range(i + 1, min(n, i + longest) + 1))


@lru_cache(maxsize=1)
def taiwan_phrase_sources() -> dict[str, tuple[str, ...]]:
    """Taiwan phrasing → the simplified wordings OpenCC's TWPhrases renders as it (資料 → 数据; 儲存 → 存储), from
    the installed package (see :func:`_read_taiwan_phrases`)."""
    return {k: tuple(v) for k, v in _read_taiwan_phrases().items()}


@lru_cache(maxsize=65536)
def _verified(traditional: str) -> tuple[str, ...]:
    """Simplified texts, proposed by the reverse converters and by the inverted TWPhrases, whose forward
    conversion is ``traditional``."""
    out: dict[str, None] = {}
    proposals = [convert(traditional, p) for p in _PROPOSERS]
    proposals += taiwan_phrase_sources().get(traditional, ())
    for s in proposals:
        if s not in out and any(convert(s, c) == traditional for c in CONFIGS):
            out[s] = None
    return tuple(out)


@lru_cache(maxsize=4096)
def simplified_readings(traditional: str) -> tuple[str, ...]:
    """Simplified wordings that OpenCC renders as ``traditional`` other than its plain reading (t2s).

    The plain reading is cut into words with jieba; every run of up to three words is looked up as a
    whole (so a Taiwan phrase that the plain reading splits, 許可權 → 许可|权, is still found), and a
    reading of a run is kept only when converting it forwards with s2t, s2tw or s2twp gives that run of
    the traditional text back.  Runs are checked one by one, so one reading may mix configurations
    (使用者權限 → 用户权限: 用户 → 使用者 by s2twp, 权限 → 權限 by s2t), as people writing Taiwan phrasing do.

    資料安全 → 数据安全; 使用者 → 用户; but also 指標 → 指针 and 建立 → 创建 (s2twp writes 指针 as 指標 and 创建 as
    建立): which is why these readings are matched only as extra forms of a traditional-script query, never in
    place of its plain reading.
    """
    plain = convert(traditional, "t2s")
    if not traditional or len(plain) != len(traditional):
        return tuple(r for r in _verified(traditional) if r != plain)[:MAX_READINGS]
    from .segment import fragment_tokenizer

    bounds = [0]
    for w in fragment_tokenizer(plain).cut(plain, HMM=False):
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
    # the readings that replace most of the plain reading first (a Taiwan-phrased query is phrased throughout)
    found = sorted(dict.fromkeys(r for r in [*_verified(traditional), *readings[n]] if r != plain),
                   key=lambda r: -_differs(r, plain))
    return tuple(found[:MAX_READINGS])


def _differs(a: str, b: str) -> int:
    from rapidfuzz.distance import Indel

    return Indel.distance(a, b)


def has_traditional(text: str) -> bool:
    """Whether the text has characters that plain t2s changes (a query typed in traditional script)."""
    return convert(text, "t2s") != text


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


@lru_cache(maxsize=1)
def simplified_only() -> frozenset[str]:
    """Characters that traditional script never writes: those OpenCC's STCharacters renders only as other
    characters (税 → 稅; not 台, whose renderings 臺 檯 颱 include 台 itself).  Empty without the package's
    dictionary tool.  Kept in the cache directory under the package's version."""

    def compute() -> list[str] | None:
        lines = _dictionary_lines(["STCharacters.ocd2"])
        if lines is None:
            return None
        out = []
        for line in lines["STCharacters.ocd2"]:
            key, _, values = line.partition("\t")
            if len(key) == 1 and values and key not in values.split():
                out.append(key)
        return sorted(out)

    from . import cached_json

    return frozenset(cached_json(f"opencc-{opencc_version()}-simplified-only.json", compute) or ())


def in_traditional_script(text: str) -> str:
    """A text printed in traditional script but read with some characters in their simplified form (an OCR model
    that knows the simplified form better), those characters in traditional script: OpenCC's s2t, phrase by phrase,
    taken only where the text has a character traditional script never writes.  The text as it is when the
    conversion would change its length."""
    only = simplified_only()
    if not any(ch in only for ch in text):
        return text
    rendered = convert(text, "s2t")
    if len(rendered) != len(text):
        return text
    return "".join(r if ch in only else ch for ch, r in zip(text, rendered, strict=True))
