"""Numbering markers of clauses (一、 （一） 1、 （1） ① 第一章 第一条 …) and Chinese numerals."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN = "一二三四五六七八九十百零〇两兩"
MARKER_RE = re.compile(
    rf"^\s*(?:"
    rf"(?P<part>第[{_CN}\d]+[编編])|(?P<chapter>第[{_CN}\d]+章)|(?P<section>第[{_CN}\d]+[节節])"
    rf"|(?P<article>第[{_CN}\d]+[条條](?:之[{_CN}]+)?)"
    rf"|(?P<cn>[{_CN}]+)\s*(?:、|[.．](?!\d))"
    rf"|[（(]\s*(?P<paren_cn>[{_CN}]+)\s*[)）]|(?P<enclosed_cn>[\u3220-\u3229])"
    rf"|(?P<num>\d{{1,3}})\s*(?:[、．]|\.(?!\d))"
    rf"|[（(]\s*(?P<paren_num>\d{{1,3}})\s*[)）]|(?P<enclosed_num>[\u2474-\u2487])"
    rf"|(?P<circled>[\u2460-\u2473])"
    rf")"
)

# Kinds of the structure of rules and regulations (编 > 章 > 节 > 条), outermost first.
STRUCTURAL = ("part", "chapter", "section", "article")
# Kinds whose numbering runs on across their parents (第X条 is numbered through the whole regulation);
# every other kind (一、 （一） 1. …, and 节 under each 章) restarts at 1 under a new parent.
RUNS_ON = frozenset({"article"})
# A structural heading (第一章 总则) is short and is not a sentence.
_HEADING_RE = re.compile(r"^[^。；;，,：:]{0,40}$")

_TRADITIONAL_UNITS = str.maketrans("編節條兩", "编节条两")  # keys (clause paths) are the same in either script
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def cn_number(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 12 → 12."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "两": 2, "兩": 2})
    total, current = 0, 0
    for ch in s:
        if ch in digits:
            current = digits[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


@dataclass
class Marker:
    kind: str  # chapter, cn, paren_cn, num, paren_num, circled, …
    number: int
    label: str  # as written
    key: str  # path component


def runs_on(kind: str) -> bool:
    """Whether a marker kind is numbered continuously across its parents (第X条) rather than restarting."""
    return kind in RUNS_ON


def is_structural_heading(paragraph: str) -> bool:
    """第一章 总则 / 第二节 一般规定: a short heading line, not a sentence that starts with 第X章."""
    return bool(_HEADING_RE.match(paragraph.strip()))


def parse_marker(paragraph: str) -> Marker | None:
    head = paragraph[:16].translate(_FULLWIDTH)
    m = MARKER_RE.match(head)
    if not m:
        return None
    kind = m.lastgroup or ""
    value = m.group(kind)
    if kind == "enclosed_cn":
        kind, number = "paren_cn", ord(value) - 0x3220 + 1
    elif kind == "enclosed_num":
        kind, number = "paren_num", ord(value) - 0x2474 + 1
    elif kind == "circled":
        number = ord(value) - 0x2460 + 1
    elif kind == "article":
        simple = value.translate(_TRADITIONAL_UNITS)
        number = cn_number(simple[1:simple.index("条")]) or 0
    elif kind in ("part", "chapter", "section"):
        number = cn_number(value[1:-1]) or 0
    else:
        number = cn_number(value) or 0
    # the label as written in the original (NFKC keeps the length for these characters)
    label = paragraph[: len(m.group(0))].strip()
    key = {
        "cn": _cn_key(number), "paren_cn": f"({_cn_key(number)})", "num": str(number),
        "paren_num": f"({number})", "circled": chr(0x2460 + number - 1) if number else value,
    }.get(kind, value.translate(_TRADITIONAL_UNITS))
    return Marker(kind, number, label, key)


def _cn_key(n: int) -> str:
    units = "零一二三四五六七八九"
    if n < 10:
        return units[n]
    if n < 20:
        return "十" + (units[n - 10] if n % 10 else "")
    if n < 100:
        return units[n // 10] + "十" + (units[n % 10] if n % 10 else "")
    return str(n)
