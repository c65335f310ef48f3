"""Metadata of a notice from its own text: title, number, issuers, date, programme and batch, layout.

Everything a text states is read from the text; the corpus manifest only adds what it does not state.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..text.docnumber import DOC_NUMBER_RE, parse_doc_number
from ..text.lexicon import ABOUT_RE, ISSUER_NAME_RE, ISSUER_SUFFIX, TITLE_END_RE
from ..text.markers import cn_number, parse_marker
from ..text.normalise import norm, to_simplified

_FIELD_RE = re.compile(r"^【(?P<key>[^】]{2,8})】\s*(?P<value>.*)$")
_DATE_LINE_RE = re.compile(r"^\s*(?P<y>(?:19|20)\d{2}|[一二三〇零○Ｏ]{4})\s*年"
                           r"\s*(?P<m>[\d一二三四五六七八九十]{1,3})\s*月"
                           r"\s*(?P<d>[\d一二三四五六七八九十]{1,3})\s*日\s*$")
_ISO_RE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_ATTACH_RE = re.compile(r"^\s*附\s*件\s*(?P<n>\d*)\s*[:：]?\s*(?P<rest>.*)$")
_CLOSING_RE = re.compile(r"^\s*(特此通知|特此公告|此复|此覆|联系人|聯繫人|联系电话|聯繫電話|电话|電話"
                         r"|邮箱|郵箱|传真|傳真|附\s*件|[^，。]{0,20}联系人[:：])")
_PROGRAMME_RE = re.compile(
    r"第([一二三四五六七八九十\d]+)批(国家)?([\u4e00-\u9fff]{2,12}?示范(?:城市|基地|企业|县|区|园区))"
)
_PROGRAMME_ONLY_RE = re.compile(r"国家[\u4e00-\u9fff]{2,10}?示范(?:城市|基地|企业|县)")


@dataclass
class Layout:
    """Where the parts of a document's display text are."""

    paragraphs: list[tuple[int, str]]  # (offset, paragraph) of the whole document
    header: list[str] = field(default_factory=list)  # title block lines
    body: list[tuple[int, str]] = field(default_factory=list)
    closing: list[tuple[int, str]] = field(default_factory=list)  # 特此通知, contacts, 附件 list, signature
    signature_lines: list[str] = field(default_factory=list)  # issuer lines + date line
    fields: dict[str, str] = field(default_factory=dict)  # 【发布单位】… as written
    attachment_titles: list[str] = field(default_factory=list)
    attachment_number: int | None = None  # this text is 附件N itself
    embedded: list[tuple[int, str, list[str]]] = field(default_factory=list)  # (n, title, lines)


def paragraphs_of(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def _simplify_key(key: str) -> str:
    return to_simplified(key).replace(" ", "")


def iso_date(text: str) -> str | None:
    t = unicodedata.normalize("NFKC", text)
    m = _ISO_RE.search(t)
    if m:
        y, mo, d = (int(x) for x in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    m = _DATE_LINE_RE.match(t)
    if m:
        y = m.group("y")
        if not y.isdigit():
            y = "".join(str("〇一二三四五六七八九".find(c)) if c in "〇一二三四五六七八九" else "0" for c in y)
        mo, d = cn_number(m.group("m")), cn_number(m.group("d"))
        if mo and d:
            return f"{int(y):04d}-{mo:02d}-{d:02d}"
    return None


def _attachment_list(lines: list[str], i: int) -> tuple[list[str], int]:
    """Titles of an attachment list starting at line i (附件：1、A 2、B …); returns (titles, next i)."""
    m = _ATTACH_RE.match(lines[i])
    assert m is not None
    titles: list[str] = []
    rest = m.group("rest").strip()
    parts = [p for p in re.split(r"\s*\d{1,2}\s*[、.．]\s*", rest) if p.strip()] if rest else []
    titles.extend(p.strip() for p in parts)
    j = i + 1
    while j < len(lines) and re.match(r"^\s*\d{1,2}\s*[、.．]\s*\S", lines[j]) and len(lines[j]) < 60:
        titles.append(re.sub(r"^\s*\d{1,2}\s*[、.．]\s*", "", lines[j]).strip())
        j += 1
    return titles, j


def analyse_layout(text: str) -> Layout:
    """Find the header, body, closing, signature and embedded attachments of a display text."""
    paras = paragraphs_of(text)
    lay = Layout(paras)
    lines = [p for _, p in paras]
    if not lines:
        return lay
    # A stand-alone attachment: "附件 1" then its title.
    m = _ATTACH_RE.match(lines[0])
    start = 0
    if m and not m.group("rest").strip() and len(lines) > 1:
        lay.attachment_number = int(m.group("n") or 1)
        lay.header = [lines[1]]
        start = 2
    # Embedded attachments: a 附件 heading after the attachment list (or after the signature date).
    list_seen = False
    end = len(lines)
    embedded_starts: list[int] = []
    for i, ln in enumerate(lines[start:], start):
        am = _ATTACH_RE.match(ln)
        if not am or len(ln) > 80:
            continue
        if not list_seen:
            list_seen = True
            titles, _ = _attachment_list(lines, i)
            lay.attachment_titles = titles
            continue
        embedded_starts.append(i)
    if embedded_starts:
        end = embedded_starts[0]
        bounds = embedded_starts + [len(lines)]
        for k, s in enumerate(embedded_starts):
            am = _ATTACH_RE.match(lines[s])
            assert am is not None
            n = int(am.group("n") or k + 1)
            title = am.group("rest").strip()
            body_start = s + 1
            if not title and s + 1 < bounds[k + 1]:
                title, body_start = lines[s + 1].strip(), s + 2
            lay.embedded.append((n, title, lines[body_start:bounds[k + 1]]))
    main = paras[start:end]
    # Header: fields, title lines and the document number before the first body paragraph.
    i = 0
    while i < len(main) and i < 8:
        ln = main[i][1].strip()
        fm = _FIELD_RE.match(ln)
        if fm:
            lay.fields[_simplify_key(fm.group("key"))] = fm.group("value").strip()
        elif parse_marker(ln) or (len(ln) > 60 and not TITLE_END_RE.search(ln)) or ln.endswith(("：", ":")):
            break
        elif lay.attachment_number is None or i > 0:
            lay.header.append(ln)
        i += 1
    # Signature: the last date line of the main text and the short name lines just above it.
    sig_end = None
    for k in range(len(main) - 1, max(-1, len(main) - 25), -1):
        if _DATE_LINE_RE.match(main[k][1]):
            sig_end = k
            break
    closing_start = len(main)
    if sig_end is not None:
        k = sig_end
        while k - 1 >= 0 and _is_name_line(main[k - 1][1]):
            k -= 1
        lay.signature_lines = [p for _, p in main[k:sig_end + 1]]
        closing_start = k
        main_tail = main[sig_end + 1:]
    else:
        main_tail = []
    # Closing lines (特此通知, contacts, the attachment list) just above the signature.
    k = closing_start
    while k - 1 >= 0 and (_CLOSING_RE.match(main[k - 1][1]) or _in_attachment_list(main, k - 1)):
        k -= 1
    lay.body = main[:k]
    lay.closing = main[k:] + main_tail
    return lay


def _in_attachment_list(main: list[tuple[int, str]], k: int) -> bool:
    """Line k is an item of the 附件 list (2、经济总量百强城市 under 附件：1、…)."""
    if not re.match(r"^\s*\d{1,2}\s*[、.．]\s*\S", main[k][1]) or len(main[k][1]) >= 60:
        return False
    j = k - 1
    while j >= 0 and re.match(r"^\s*\d{1,2}\s*[、.．]\s*\S", main[j][1]):
        j -= 1
    return j >= 0 and bool(_ATTACH_RE.match(main[j][1]))


def _is_name_line(line: str) -> bool:
    s = re.sub(r"[ \u3000]", "", line)
    return 2 <= len(s) <= 24 and not re.search(r"[，。；：,.;:!?、]", s) and bool(
        re.search(ISSUER_SUFFIX + r"$", s) or re.fullmatch(r"[\u4e00-\u9fff]{2,12}", s))


def clean_name(name: str) -> str:
    name = re.sub(r"[ \u3000]", "", name.strip())
    return re.sub(r"^中华人民共和国|^中華人民共和國", "", name) or name


def _strip_issuer_prefix(title: str) -> tuple[str, list[str]]:
    m = ABOUT_RE.search(title)
    if not m or m.start() == 0:
        return title, []
    prefix = title[: m.start()]
    names = [n for n in re.split(r"[\s、，,]+", prefix) if n]
    if names and all(re.search(ISSUER_SUFFIX + r"$", n) for n in names):
        return title[m.start():], [clean_name(n) for n in names]
    return title, []


def find_title(lay: Layout, fields: dict[str, str]) -> tuple[str, list[str]]:
    """(title, issuers named in a prefix or red-head) of a document."""
    candidates = [h for h in lay.header if not DOC_NUMBER_RE.fullmatch(unicodedata.normalize("NFKC", h).strip())]
    redhead: list[str] = []
    title = ""
    for h in candidates:
        flat = re.sub(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])", "", h.strip())
        if ISSUER_NAME_RE.match(flat) and not ABOUT_RE.search(flat):
            redhead.append(clean_name(flat))
            continue
        if ABOUT_RE.search(flat) or TITLE_END_RE.search(flat) or not title:
            title = flat
            if ABOUT_RE.search(flat) or TITLE_END_RE.search(flat):
                break
    if not title and "title" in fields:
        title = fields["title"]
    title, prefix_issuers = _strip_issuer_prefix(title)
    return title, redhead or prefix_issuers


def find_doc_number(lay: Layout, fields: dict[str, str]) -> str | None:
    for key in ("发布文号", "文号", "发文字号", "doc_number"):
        if key in fields:
            n = parse_doc_number(fields[key])
            if n:
                return n
    for h in lay.header:
        t = unicodedata.normalize("NFKC", h).strip()
        if DOC_NUMBER_RE.match(t) and not re.search(r"《", t):
            return parse_doc_number(t)
    return None


def find_issuers(lay: Layout, fields: dict[str, str], title_issuers: list[str]) -> list[str]:
    for key in ("发布单位", "发文机关", "发文单位", "发布机构"):
        if fields.get(key):
            return [clean_name(n) for n in re.split(r"[\s、，,]+", fields[key]) if n]
    names = [clean_name(ln) for ln in lay.signature_lines if not _DATE_LINE_RE.match(ln)]
    names = [n for n in names if n]
    if names:
        return names
    return title_issuers


def find_date(lay: Layout, fields: dict[str, str]) -> str | None:
    for key in ("发布日期", "成文日期", "印发日期", "date"):
        if fields.get(key):
            d = iso_date(fields[key])
            if d:
                return d
    if lay.signature_lines:
        return iso_date(lay.signature_lines[-1])
    return None


def find_programme(title: str, body_norm: str) -> tuple[str | None, int | None]:
    """Programme and batch: 第二批国家电子商务示范城市 → (国家电子商务示范城市, 2)."""
    for text in (norm(title), body_norm):
        m = _PROGRAMME_RE.search(text)
        if m:
            name = m.group(3)
            programme = "国家" + name if (m.group(2) or "国家" + name in body_norm) else name
            return programme, cn_number(m.group(1))
    found = _PROGRAMME_ONLY_RE.findall(body_norm)
    if found:
        best = max(set(found), key=found.count)
        if found.count(best) >= 2 or best in norm(title):
            return best, None
    return None, None
