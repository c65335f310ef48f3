"""One lexicon of the words that shape a notice, in both scripts: document kinds, issuer suffixes, 关于.

Every stage that recognises a title, an issuer or a cited document uses these, so that the readers,
the layout, the metadata and the citation extractor agree.  The traditional forms are derived from the
simplified ones with OpenCC (s2t and s2tw), not typed twice.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

# Kinds of official document (GB/T 9704 公文种类) and of rules and regulations, as a title ends.
DOC_KINDS_SIMPLIFIED = (
    "通知", "意见", "方案", "办法", "规定", "决定", "通告", "公告", "要点", "报告", "规划", "决议", "细则",
    "纲要", "批复", "复函", "函", "条例", "规则", "规程", "命令", "令", "公报", "议案", "请示", "纪要", "通报",
    "指引", "指南", "计划", "章程", "答复", "通令", "标准", "目录", "清单", "名单", "实施方案",
)
# Endings of an issuing body's name (国务院办公厅, 商务部, 国家发展改革委, 成都市人民政府 …).
ISSUER_SUFFIXES_SIMPLIFIED = (
    "部", "委", "委员会", "厅", "办公厅", "局", "署", "行", "院", "办", "政府", "会", "总局", "室", "中心",
    "办公室", "部门", "部委", "常委会", "法院", "检察院", "银行", "联合会", "协会", "人民政府", "联席会议", "领导小组",
)
ABOUT_SIMPLIFIED = ("关于",)


_ALL_WORDS = (*DOC_KINDS_SIMPLIFIED, *ISSUER_SUFFIXES_SIMPLIFIED, *ABOUT_SIMPLIFIED)


@lru_cache(maxsize=1)
def _traditional_forms() -> dict[str, list[str]]:
    """Each word's traditional forms (s2t and s2tw).  Loading the two converters is 80 ms, most of a search
    process's start-up, for these hundred words: the forms are kept in the cache directory, keyed by OpenCC's
    version and the words, and computed again only when either changes."""
    import zlib

    from . import cached_json

    def compute() -> dict[str, list[str]]:
        converters = (opencc.OpenCC("s2t"), opencc.OpenCC("s2tw"))
        return {w: sorted({c.convert(w) for c in converters} - {w}) for w in _ALL_WORDS}

    words = f"{getattr(opencc, '__version__', '?')}|{'|'.join(_ALL_WORDS)}"
    key = f"{zlib.crc32(words.encode()):08x}"  # the file also holds the words: checked
    return dict(cached_json(f"lexicon-{key}.json", compute,
                            lambda forms: isinstance(forms, dict) and set(forms) == set(_ALL_WORDS)))


def both_scripts(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words with their traditional forms (s2t and s2tw), longest first, without repeats."""
    forms = _traditional_forms()
    out = set(words)
    for w in words:
        out.update(forms.get(w) or ())
    return tuple(sorted(out, key=lambda w: (-len(w), w)))


DOC_KINDS = both_scripts(DOC_KINDS_SIMPLIFIED)
ISSUER_SUFFIXES = both_scripts(ISSUER_SUFFIXES_SIMPLIFIED)
ABOUT = both_scripts(ABOUT_SIMPLIFIED)


def alternation(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


ABOUT_RE = re.compile(alternation(ABOUT))
ISSUER_SUFFIX = alternation(ISSUER_SUFFIXES)
# an issuer's name alone on a line (a red-head or a signature): 2–20 CJK characters ending in a suffix
ISSUER_NAME_RE = re.compile(rf"^[\u4e00-\u9fff]{{2,20}}{ISSUER_SUFFIX}$")
# a title ends with its kind, optionally followed by a parenthesised note: …的通知（试行）
TITLE_END_RE = re.compile(rf"{alternation(DOC_KINDS)}(\s*[(（][^)）]*[)）])?$")
# a cited title names a document (not a book or newspaper) when it says 关于, has a kind, or is a law (…法)
DOC_KIND_RE = re.compile(rf"{alternation(ABOUT + DOC_KINDS)}|法$")


def clean_name(name: str) -> str:
    """An issuing body's name without spaces and without 中华人民共和国 before it."""
    name = re.sub(r"[ \u3000]", "", name.strip())
    return re.sub(r"^中华人民共和国|^中華人民共和國", "", name) or name
