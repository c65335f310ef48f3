"""Splitting a notice into its clause tree by numbering marker type (not by Markdown level)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import PREAMBLE, SIGNATURE, Clause
from ..text.markers import STRUCTURAL, Marker, cn_number, is_structural_heading, parse_marker, runs_on
from ..text.normalise import norm, to_simplified

_ANNOTATION_RE = re.compile(r"[（(]\s*(牵头单位|牽頭單位|责任单位|責任單位|配合单位|配合單位|主办单位)\s*[：:]"
                            r"\s*([^）)]+)[）)]")


# Headings that run on in the paragraph before them, where a database export or a text layer lost the line
# breaks: an article after the end of a sentence, before a space (……制定本规则。 第二条 凡辖有……); a chapter or
# section heading closing a paragraph (……负责。第三章鉴定、加固和维护).
_RUN_ON_ARTICLE_RE = re.compile(r"(?<=[。；！？”」』])[ \u3000]*"
                                r"(第([零〇一二三四五六七八九十百千两兩\d]+)[条條])[ \u3000]")
_RUN_ON_HEADING_RE = re.compile(r"(?<=[。；！？”」』])[ \u3000]*"
                                r"(第([零〇一二三四五六七八九十百千两兩\d]+)([章节節])[ \u3000]*"
                                r"[^。；;，,：:！？\n]{0,30})$")


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


_RANK = {k: i for i, k in enumerate(STRUCTURAL)}


class _Numbering:
    """Which markers continue the numbering they belong to.

    第X条 runs on through the whole text (第八条 follows 第七条 across 第二章); 章 and 节 count up and restart
    under a new 编 / 章; 一、 （一） 1. restart under every new parent (checked against the open stack).
    """

    def __init__(self) -> None:
        self.last: dict[str, int] = {}

    def accept_structural(self, m: Marker, para: str) -> bool:
        if m.kind != "article" and not is_structural_heading(para):
            return False
        last = self.last.get(m.kind)
        if m.kind == "article":
            ok = last is None or m.number > last or (m.number == last and "之" in m.label) or m.number == 1
        else:
            ok = last is None or last < m.number <= last + 2 or m.number == 1
        if ok:
            self.last[m.kind] = m.number
            for inner in STRUCTURAL[_RANK[m.kind] + 1:]:
                if not runs_on(inner):
                    self.last.pop(inner, None)
        return ok


def _run_on_headings(offset: int, para: str, numbering: _Numbering) -> Iterator[tuple[int, str]]:
    """A paragraph cut where the next article starts inside it, or the next chapter or section closes it
    (``_RUN_ON_ARTICLE_RE``, ``_RUN_ON_HEADING_RE``), as (offset, text) pieces.  Only the very next number is
    taken (第二条 in 第一条's paragraph, or after the article last read; 第三章 after 第二章), so a reference to
    another article (依照第二十条 ……) never cuts.  Lazy: each piece is asked for after the one before it was read,
    when ``numbering`` knows the article and chapter it belongs to."""
    while True:
        own = parse_marker(para)
        last = own.number if own is not None and own.kind == "article" else numbering.last.get("article")
        cut = None
        if last is not None:
            cut = next((x.start(1) for x in _RUN_ON_ARTICLE_RE.finditer(para) if cn_number(x.group(2)) == last + 1),
                       None)
        if cut is None and (x := _RUN_ON_HEADING_RE.search(para)) is not None and x.start(1) > 0:
            kind = "chapter" if x.group(3) == "章" else "section"
            before = numbering.last.get(kind)
            if before is not None and cn_number(x.group(2)) == before + 1:
                cut = x.start(1)
        if cut is None:
            yield offset, para
            return
        yield offset, para[:cut].rstrip(" \u3000")
        offset, para = offset + cut, para[cut:]


def build_tree(paragraphs: list[tuple[int, str]], *, traditional: bool,
               signature: list[tuple[int, str]] | None = None) -> list[Clause]:
    """Clause tree from (offset, paragraph) pairs; the preamble and signature become clauses too.

    Structural markers (编 章 节 条) nest by rank; an article is always a clause under its chapter/section and
    its unnumbered paragraphs (款) stay in the article even after its items.  Other markers nest by the order
    in which their kinds open, each kind restarting at 1 under a new parent.
    """
    top: list[Clause] = []
    stack: list[_Open] = []
    preamble: list[tuple[int, str]] = []
    current: Clause | None = None
    current_parts: dict[int, list[str]] = {}
    numbering = _Numbering()

    def new_clause(m: Marker, offset: int, para: str, parent: Clause | None) -> Clause:
        path = f"{parent.path}/{m.key}" if parent else m.key
        c = Clause(path=path, label=m.label, heading="", text="", norm="", level=len(stack) + 1,
                   start=offset, kind=m.kind, number=m.number)
        current_parts[id(c)] = [para]
        (parent.children if parent else top).append(c)
        return c

    def innermost_structural() -> int | None:
        for k in range(len(stack) - 1, -1, -1):
            if stack[k].marker.kind in _RANK:
                return k
        return None

    for offset, para in (piece for whole in paragraphs for piece in _run_on_headings(*whole, numbering)):
        m = parse_marker(para)
        accepted = False
        if m is not None and m.kind in _RANK:
            if numbering.accept_structural(m, para):
                while stack and not (stack[-1].marker.kind in _RANK
                                     and _RANK[stack[-1].marker.kind] < _RANK[m.kind]):
                    stack.pop()
                accepted = True
        elif m is not None:
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
            inner = innermost_structural()
            if inner is not None and stack[inner].marker.kind == "article" and inner < len(stack) - 1:
                # a paragraph (款) after the article's items belongs to the article again
                del stack[inner + 1:]
                current = stack[inner].clause
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
