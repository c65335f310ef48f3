"""Extracting citations from a clause's text: 《title》（number）, 《title》 alone, and bare document numbers,
with the article they point at (pinpoints).

A pinpoint is 第十条, 第十条之一, 第十条第二款, 第三十五条第一款第（二）项 after a cited title (《物权法》第十条),
after 本条例 / 本办法 / 本规定 / 本细则 / 本法 (the citing document itself), after a law's short name
without brackets (专利法第二十条: laws define such names with 以下简称), alone (第三十五条: in a regulation
the article of the same document), as 前款 / 本条第二款 (the citing article), or continuing a list
(《X》第十条、第十二条).  :func:`extract` returns document citations as always, with the pinpoint that
follows a title; ``pinpoints=True`` also returns the references inside the same document and each
article of a list.

Extraction runs at ingest (the store keeps every citation row); resolving citations to documents and
formatting them is the cite stage's work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..model import Citation
from ..text.docnumber import find_doc_numbers
from ..text.lexicon import DOC_KIND_RE, ISSUER_SUFFIX
from ..text.markers import cn_number
from ..text.titles import title_key

if TYPE_CHECKING:
    from ..model import Clause, Document

_TITLE_RE = re.compile(r"《(?P<title>[^《》\n]{2,120})》")
_AFTER_RE = re.compile(r"^\s*[（(]\s*(?P<inner>[^（()）]{4,40})\s*[)）]")
_PREFIX_CUT_RE = re.compile(r".*(?:[，。；：,;:（()）“”\"》\n]|按照|根据|根據|依据|依據|落实|落實|贯彻|貫徹|为|為|对|對"
                            r"|在|以|和|与|與|及|是|的)", re.DOTALL)
_ISSUER_END_RE = re.compile(ISSUER_SUFFIX + "$")
_SEVERAL_ISSUERS_RE = re.compile(r"等[一二三四五六七八九十\d]+个?部(委|门)$")


# A name the citing document gives a work it cites, right after the citation: 《…暂行规定》（以下简称《暂行规定》）,
# 《…》（沪府发〔2011〕3号，以下简称“暂行办法”）, 《中华人民共和国证券法》（以下简称证券法）.
_NAMING = r"(?:以下简称|以下簡稱|以下称|以下稱|下称|下稱|简称|簡稱)\s*"
_ALIAS_RE = re.compile(r"\s*[（(][^（()）《》]{0,30}?" + _NAMING +
                       r"(?:《(?P<a>[^《》\n]{1,30})》|[“\"「](?P<b>[^”\"」\n]{1,30})[”\"」]|(?P<c>[\u4e00-\u9fff]{2,20})[）),，])")
_NAMING_END_RE = re.compile(_NAMING + "$")


def document_citations(doc: Document, *, pinpoints: bool = False) -> Iterator[tuple[Clause, Citation]]:
    """Every citation of a document with the clause it stands in (see :func:`extract`), with the names the
    document itself gives the works it cites: after 《国务院关于职工工作时间的规定》（以下简称《规定》）, a later
    《规定》第三条 cites that title (as written stays as written).  The name in the definition is no citation."""
    return _named(((c, c.text, c.path) for c in doc.walk()), doc.id, pinpoints)


def text_citations(text: str, *, pinpoints: bool = False) -> list[Citation]:
    """The citations of a plain text (a draft), with the names it gives the works it cites."""
    return [x for _, x in _named([(None, text, "")], "", pinpoints)]


def _named(pieces: Iterable[tuple[Any, str, str]], doc_id: str, pinpoints: bool) -> Iterator[tuple[Any, Citation]]:
    aliases: dict[str, Citation] = {}
    for piece, text, path in pieces:
        for x in extract(text, doc_id, path, pinpoints=pinpoints):
            if x.title and x.scope == "document" and _NAMING_END_RE.search(text[max(0, x.start - 8):x.start]):
                continue  # the name a definition gives, not a citation
            named = aliases.get(title_key(x.title)) if x.title else None
            if named is None and x.scope == "short" and x.title:  # 依暂行办法第五条: the name ends the words
                key = title_key(x.title)
                named = next((aliases[k] for k in sorted(aliases, key=len, reverse=True) if key.endswith(k)), None)
            if named is not None:
                x.title, x.doc_number, x.issuers_prefix = named.title, named.doc_number, named.issuers_prefix
                x.scope = "document" if x.scope == "short" else x.scope
            yield piece, x
            if x.title and named is None and x.scope == "document" and "》" in x.as_written:
                m = _ALIAS_RE.match(text, x.start + x.as_written.index("》") + 1)
                name = next((g for g in m.groups() if g), None) if m else None
                if name and title_key(name) and title_key(name) != x.title_key:
                    aliases[title_key(name)] = x


def _issuer_prefix(text: str, start: int) -> str | None:
    before = text[max(0, start - 40):start]
    m = _PREFIX_CUT_RE.match(before)
    cand = before[m.end():] if m else before
    cand = cand.strip()
    if len(cand) >= 2 and (_ISSUER_END_RE.search(cand) or _SEVERAL_ISSUERS_RE.search(cand)):
        # accept lists such as 国家发展改革委、商务部等十三部委
        return cand
    return None


_N = r"[一二三四五六七八九十百千零〇两兩\d]+"  # traditional 兩 too: pinpoints are read in either script
_PIN_RE = re.compile(
    rf"第\s*(?P<art>{_N})\s*[条條](?:\s*之\s*(?P<sub>{_N}))?"
    rf"(?:\s*第\s*(?P<para>{_N})\s*款)?"
    rf"(?:\s*第\s*[（(]?\s*(?P<item>{_N})\s*[)）]?\s*[项項])?")
_REL_RE = re.compile(
    rf"(?P<prev>前款|前[两兩]款|前三款|前[条條]|上款)"
    rf"|本[条條](?:\s*第\s*(?P<para>{_N})\s*款)?(?:\s*第\s*[（(]?\s*(?P<item>{_N})\s*[)）]?\s*[项項])?|本款")
_SELF_RE = re.compile(r"本(?:实施|實施)?(?:条例|條例|办法|辦法|规定|規定|细则|細則|法|规则|規則|决定|決定|准则|準則"
                      r"|章程|意见|意見|方案)(?:附录|附錄)?\s*$")
_LIST_RE = re.compile(r"^\s*(?:、|，|和|及|或者|或|以及|至|到)\s*$")
_SHORT_RE = re.compile(r"([\u4e00-\u9fff]{2,20}?(?:法|条例|條例|细则|細則|办法|辦法|规定|規定|规则|規則))\s*$")
_SHORT_CUT_RE = re.compile(r".*(?:[，。；：,;:（()）“”\"》、\s]|依照|按照|根据|根據|依据|依據|违反|違反|适用|適用"
                           r"|参照|參照|执行|執行|对|對|在|和|与|與|及|或者|由|的|是|为|為|除)", re.DOTALL)
_LABEL_START_RE = re.compile(rf"^\s*第\s*{_N}\s*[条條](?:之{_N})?[\s\u3000]")


def _number(s: str | None) -> int | None:
    return cn_number(s) if s else None


def _pin_fields(m: re.Match[str]) -> dict[str, Any]:
    return {"article": _number(m.group("art")), "article_sub": _number(m.group("sub")) or 0,
            "paragraph": _number(m.group("para")), "item": _number(m.group("item")), "pinpoint": m.group(0)}


def _short_name(before: str) -> str | None:
    """A law named without brackets just before a pinpoint: 依照专利法第二十条 → 专利法."""
    m = _SHORT_RE.search(before[-24:])
    if not m:
        return None
    cand = m.group(1)
    cut = _SHORT_CUT_RE.match(cand)
    if cut:
        cand = cand[cut.end():]
    if len(cand) < 3 or cand.startswith("本") or not _SHORT_RE.fullmatch(cand):
        return None
    return cand


def extract(text: str, doc_id: str = "", clause: str = "", *, pinpoints: bool = False) -> list[Citation]:
    """Every citation in a clause text: 《title》（number）, 《title》, and bare numbers, each with the
    pinpoint that follows it (《物权法》第十条第二款).  With ``pinpoints``, also references inside the same
    document (本条例第十条, 第三十五条第一款第（二）项, 前款, 本条第二款), laws named without brackets
    (专利法第二十条), and every further article of a list (《X》第十条、第十二条)."""
    out: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for m in _TITLE_RE.finditer(text):
        title = m.group("title").strip()
        end = m.end()
        number = None
        after = _AFTER_RE.match(text[end:])
        if after:
            found = find_doc_numbers(after.group("inner"))
            if found:
                number = found[0][2]
                end += after.end()
        prefix_text = None
        start = m.start()
        # a title may itself start with its issuer (《国务院关于…》); a prefix outside the 《》 is kept too
        pre = _issuer_prefix(text, m.start())
        if pre:
            prefix_text = pre
            start = m.start() - len(pre)
        if not number and not DOC_KIND_RE.search(title):
            continue  # a book, newspaper or slogan in 《》, not a document
        cite = Citation(doc_id, clause, text[start:end], title, number, prefix_text, start)
        pin = _PIN_RE.match(text, end)
        if pin:
            cite.__dict__.update(_pin_fields(pin))
            cite.as_written = text[start:pin.end()]
            end = pin.end()
        out.append(cite)
        taken.append((m.start(), end))
    for s, e, number in find_doc_numbers(text):
        if any(a <= s < b for a, b in taken):
            continue
        out.append(Citation(doc_id, clause, text[s:e], None, number, None, s))
        taken.append((s, e))
    if pinpoints:
        out.extend(_pinpoints(text, doc_id, clause, out, taken))
    out.sort(key=lambda c: c.start)
    return out


def _pinpoints(text: str, doc_id: str, clause: str, found: list[Citation],
               taken: list[tuple[int, int]]) -> list[Citation]:
    """The pinpoints not right after a cited title: lists, 本条例…, short names, bare and relative ones."""
    out: list[Citation] = []
    ends = {c.start + len(c.as_written): c for c in found if c.article is not None}
    label = _LABEL_START_RE.match(text)
    skip_to = label.end() if label else 0  # the citing article's own number
    for m in _PIN_RE.finditer(text):
        s = m.start()
        if s < skip_to or any(a <= s < b for a, b in taken) or not m.group("art"):
            continue
        fields = _pin_fields(m)
        before = text[:s]
        # a list: 《X》第十条、第十二条 / 本条例第十条和第十二条 continue the citation before
        prev = next((c for end, c in sorted(ends.items(), reverse=True)
                     if end <= s and _LIST_RE.match(text[end:s])), None)
        if prev is not None:
            cite = Citation(doc_id, clause, m.group(0), prev.title, prev.doc_number, None, s, scope=prev.scope)
        elif (own := _SELF_RE.search(before)) is not None:
            cite = Citation(doc_id, clause, text[own.start():m.end()], None, None, None, own.start(), scope="self")
        elif (name := _short_name(before)) is not None:
            cite = Citation(doc_id, clause, text[s - len(name):m.end()], name, None, None, s - len(name),
                            scope="short")
        else:
            cite = Citation(doc_id, clause, m.group(0), None, None, None, s, scope="self")
        cite.__dict__.update(fields)
        out.append(cite)
        ends[m.end()] = cite
        taken.append((cite.start, m.end()))
    for m in _REL_RE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        cite = Citation(doc_id, clause, m.group(0), None, None, None, m.start(), scope="relative",
                        pinpoint=m.group(0))
        if m.group("prev"):
            back = {"前款": 1, "上款": 1, "前两款": 2, "前兩款": 2, "前三款": 3}
            cite.paragraph = -back.get(m.group("prev"), 0) or None
            if m.group("prev") in ("前条", "前條"):
                cite.paragraph, cite.article_sub = None, -1  # the article before the citing one
        else:
            cite.paragraph = _number(m.group("para"))
            cite.item = _number(m.group("item"))
            if m.group(0) == "本款":
                cite.paragraph = 0  # the citing paragraph itself
        out.append(cite)
    return out
