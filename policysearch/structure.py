"""Splitting a notice into its clause tree by numbering marker type (not by Markdown level)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import PREAMBLE, SIGNATURE, Clause
from .normalise import norm, to_simplified

_CN = "一二三四五六七八九十百零〇两"
MARKER_RE = re.compile(
    rf"^\s*(?:"
    rf"(?P<chapter>第[{_CN}\d]+章)|(?P<section>第[{_CN}\d]+节)|(?P<article>第[{_CN}\d]+条)"
    rf"|(?P<cn>[{_CN}]+)\s*(?:、|[.．](?!\d))"
    rf"|[（(]\s*(?P<paren_cn>[{_CN}]+)\s*[)）]|(?P<enclosed_cn>[\u3220-\u3229])"
    rf"|(?P<num>\d{{1,3}})\s*(?:[、．]|\.(?!\d))"
    rf"|[（(]\s*(?P<paren_num>\d{{1,3}})\s*[)）]|(?P<enclosed_num>[\u2474-\u2487])"
    rf"|(?P<circled>[\u2460-\u2473])"
    rf")"
)
_ANNOTATION_RE = re.compile(r"[（(]\s*(牵头单位|牽頭單位|责任单位|責任單位|配合单位|配合單位|主办单位)\s*[：:]"
                            r"\s*([^）)]+)[）)]")


_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def cn_number(s: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 12 → 12."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    digits.update({"〇": 0, "两": 2})
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


def parse_marker(paragraph: str) -> Marker | None:
    head = paragraph[:12].translate(_FULLWIDTH)
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
    elif kind in ("chapter", "section", "article"):
        number = cn_number(value[1:-1]) or 0
    else:
        number = cn_number(value) or 0
    # the label as written in the original (NFKC keeps the length for these characters)
    label = paragraph[: len(m.group(0))].strip()
    key = {
        "cn": _cn_key(number), "paren_cn": f"({_cn_key(number)})", "num": str(number),
        "paren_num": f"({number})", "circled": chr(0x2460 + number - 1) if number else value,
    }.get(kind, value)
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


def heading_of(body: str) -> str:
    """The clause's heading: a short first line, or a short first sentence."""
    first = body.split("\n", 1)[0].strip()
    if not first:
        return ""
    if len(first) <= 40 and not re.search(r"[。；;，,：:]", first.rstrip("。")):
        return first.rstrip("。")
    m = re.match(r"([^。；;，,：:]{2,30})[。:：]", first)
    return m.group(1) if m else ""


def annotations_of(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in _ANNOTATION_RE.finditer(text):
        key = to_simplified(m.group(1))
        out.setdefault(key, []).extend(x.strip() for x in re.split(r"[、,，;；]", m.group(2)) if x.strip())
    return out


@dataclass
class _Open:
    marker: Marker
    clause: Clause


def build_tree(paragraphs: list[tuple[int, str]], *, traditional: bool,
               signature: list[tuple[int, str]] | None = None) -> list[Clause]:
    """Clause tree from (offset, paragraph) pairs; the preamble and signature become clauses too."""
    top: list[Clause] = []
    stack: list[_Open] = []
    preamble: list[tuple[int, str]] = []
    current: Clause | None = None
    current_parts: dict[int, list[str]] = {}

    def new_clause(m: Marker, offset: int, para: str, parent: Clause | None) -> Clause:
        path = f"{parent.path}/{m.key}" if parent else m.key
        c = Clause(path=path, label=m.label, heading="", text="", norm="", level=len(stack) + 1,
                   start=offset)
        current_parts[id(c)] = [para]
        (parent.children if parent else top).append(c)
        return c

    for offset, para in paragraphs:
        m = parse_marker(para)
        accepted = False
        if m is not None:
            kinds = [o.marker.kind for o in stack]
            if m.kind in kinds:
                k = kinds.index(m.kind)
                prev = stack[k].marker.number
                if prev < m.number <= prev + 2:
                    del stack[k:]
                    accepted = True
            elif m.number == 1 or (not stack and m.kind == "cn" and m.number <= 2):
                accepted = True
        if m is not None and accepted:
            parent = stack[-1].clause if stack else None
            current = new_clause(m, offset, para, parent)
            stack.append(_Open(m, current))
        elif current is None:
            preamble.append((offset, para))
        else:
            current_parts[id(current)].append(para)

    def finish(c: Clause) -> None:
        c.text = "\n".join(current_parts.get(id(c), []))
        body = c.text[len(c.label):].lstrip(" \u3000")
        c.heading = heading_of(body)
        c.norm = norm(c.text, traditional=traditional)
        c.annotations = annotations_of(c.text)
        for ch in c.children:
            finish(ch)

    for c in top:
        finish(c)
    out: list[Clause] = []
    if preamble:
        text = "\n".join(p for _, p in preamble)
        out.append(Clause(PREAMBLE, "", "", text, norm(text, traditional=traditional), 0,
                          annotations_of(text), preamble[0][0]))
    out.extend(top)
    if signature:
        text = "\n".join(p for _, p in signature)
        out.append(Clause(SIGNATURE, "", "", text, norm(text, traditional=traditional), 0, {},
                          signature[0][0]))
    return out
