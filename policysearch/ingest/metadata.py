"""Metadata of a notice, each field from the most reliable source the document offers.

Order of sources (``Document.metadata_source`` records the one used, per field):

1. ``table``      – the information table of a policy-library page (索引号, 主题分类, 发文机关, 成文日期, 标题,
                    发文字号, 发布日期), read by the web reader;
   ``header``     – structured header fields in the text: 【发布单位】【发布文号】【发布日期】, a
                    database export's 【发布部门】【发文字号】【发布日期】【实施日期】【时效性】
                    【法宝引证码】 and 原文链接, and a page's <meta> tags;
   ``info-block`` – the information block of a law or regulation (公布/发布/通过/修订/修正/施行 lines);
2. ``layout``     – the official-document layout (GB/T 9704): 发文机关标志, 发文字号, the title block, the
                    signature and 成文日期, the 版记;
3. ``filename`` / ``jsonl`` – what the file name or a .jsonl row says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Amendment
from ..text.dates import find_dates, is_date_line
from ..text.dates import iso_date as _iso_date
from ..text.docnumber import ORDER_AFTER_RE, ORDER_RE, order_issuer, parse_doc_number, parse_order
from ..text.lexicon import ABOUT_RE, ISSUER_SUFFIX, TITLE_END_RE, clean_name
from ..text.markers import cn_number
from ..text.normalise import norm, to_simplified
from .layout import SEAL_RE, Layout, analyse_layout, flat, paragraphs_of  # noqa: F401 - re-exported

_PROGRAMME_RE = re.compile(
    r"第([一二三四五六七八九十\d]+)批(国家)?([\u4e00-\u9fff]{2,12}?示范(?:城市|基地|企业|县|区|园区))"
)
_PROGRAMME_ONLY_RE = re.compile(r"国家[\u4e00-\u9fff]{2,10}?示范(?:城市|基地|企业|县)")
_ACTIONS = ("公布", "发布", "通过", "修订", "修正", "施行", "批准", "废止", "实施", "生效", "印发")
_ACTION_RE = re.compile("|".join(_ACTIONS))
_FILENAME_DATE_RE = re.compile(r"[(（]((?:19|20)\d{2}-\d{2}-\d{2})[)）]$")

# structured field names (simplified, spaces removed) → Document field
_KEYS = {
    "title": ("标题", "题名", "文件名称", "名称", "title"),
    "issuers": ("发文机关", "发布部门", "发布单位", "发文单位", "发布机构", "发布机关", "制定机关", "颁布部门",
                "issuers", "issuer"),
    "doc_number": ("发文字号", "发布文号", "文号", "发文号", "文件编号", "doc_number"),
    "written": ("成文日期", "签发日期", "写作日期", "written"),
    "published": ("发布日期", "公布日期", "发文日期", "颁布日期", "印发日期", "published", "date"),
    "effective": ("实施日期", "施行日期", "生效日期", "effective"),
    "url": ("原文链接", "原文地址", "来源链接", "url"),
}
_TITLE_NUMBER_RE = re.compile(r"[（(]\s*([^（()）]{4,30}?[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号)\s*[)）]\s*$")
_BODY_NAME_RE = re.compile(ISSUER_SUFFIX + r"$")
_MEETING_RE = re.compile(r"(?P<place>(?![年月日])[\u4e00-\u9fff]{0,12}?)(?:第[一二三四五六七八九十百]+届)?"
                         r"(?P<body>全国人民代表大会常务委员会|人民代表大会常务委员会|人民代表大会|人民政府|国务院)"
                         r"第[一二三四五六七八九十百零〇\d]+次(?:全体|常务)?会议")
_EXTRA_SKIP = {k for keys in _KEYS.values() for k in keys} | {"year", "来源机构"}


def iso_date(text: str) -> str | None:
    """The first date in text as ISO (2019年1月16日, 2016-5-20, 二○一二年一月九日)."""
    return _iso_date(text)


def split_names(value: str) -> list[str]:
    return [clean_name(n) for n in re.split(r"[\s\u3000、，,；;]+", value) if n.strip()]


_PLACE_RE = re.compile(r"^[\u4e00-\u9fff]{2,7}?(?:省|自治区|市|自治州|县|区)")


def split_joined(names: list[str]) -> list[str]:
    """Two bodies written as one name (海南省住房和城乡建设厅海南省住房公积金管理局, a joint signature set on one line):
    split where a body's name ends and the same place's next body begins."""
    out: list[str] = []
    for name in names:
        place = _PLACE_RE.match(name)
        if place is None:
            out.append(name)
            continue
        p = place.group(0)
        cuts = [k for k in range(len(p) + 2, len(name) - len(p) + 1)
                if name.startswith(p, k) and re.search(ISSUER_SUFFIX + "$", name[:k])]
        start = 0
        for k in cuts:
            out.append(name[start:k])
            start = k
        out.append(name[start:])
    return out


def short_title(title: str) -> str:
    """The title from 关于 on (how a citation without the issuer reads), or the title itself."""
    m = ABOUT_RE.search(title)
    return title[m.start():] if m and m.start() > 0 else title


def title_issuers(title: str) -> list[str]:
    """Issuers named before 关于 in a title (国务院办公厅关于… → 国务院办公厅; joint issuers split)."""
    m = ABOUT_RE.search(title)
    if not m or m.start() == 0:
        return []
    prefix = re.split(r"转发|批转|印发|轉發|批轉", title[:m.start()])[0]
    names = [n for n in re.split(r"[\s\u3000、，,]+", prefix) if n]
    if names and all(re.search(ISSUER_SUFFIX + r"$", n) for n in names):
        return [clean_name(n) for n in names]
    return []


@dataclass
class InfoBlock:
    """What a law's information block states."""

    amendments: list[Amendment] = field(default_factory=list)
    doc_number: str | None = None
    date: str | None = None
    effective: str | None = None
    issuers: list[str] = field(default_factory=list)


def parse_info_block(lines: list[str]) -> InfoBlock:
    """公布/发布/通过/修订/修正/施行 lines: the history, the order that issued the text in hand (the latest
    公布/发布/修订 by an order, e.g. 中华人民共和国国务院令第656号) and its date, and the 施行 date."""
    info = InfoBlock()
    last_issue: Amendment | None = None
    issuing_line = ""
    for ln in lines:
        dates = find_dates(ln)
        if not dates or dates[0][0] > 2:
            continue
        date = dates[0][2]
        rest = ln[dates[0][1]:].strip(" \u3000）)")
        actions = _ACTION_RE.findall(rest)
        action = actions[-1] if actions else ""
        if rest.endswith(("之日施行", "之日起施行")):
            action = "施行"
        order = parse_order(rest)
        a = Amendment(date=date, action=action, text=ln.strip(" \u3000"), order=order)
        info.amendments.append(a)
        if action == "施行":
            info.effective = date if "之日" not in rest else (last_issue.date if last_issue else date)
        elif action in ("公布", "发布") or (action == "修订" and order):
            if order or last_issue is None or not last_issue.order:
                last_issue, issuing_line = a, rest
    if last_issue is not None:
        info.doc_number = last_issue.order
        info.date = last_issue.date
        m = ORDER_RE.search(issuing_line) or ORDER_AFTER_RE.search(issuing_line)
        if m:
            info.issuers = split_names(order_issuer(to_simplified(m.group("issuer"))))
        else:
            by = _ACTION_RE.split(issuing_line)[0]
            info.issuers = split_names(by) if by and len(by) <= 60 else []
    if not info.issuers:  # a local regulation adopted at a legislature's meeting (北京市第十五届人民代表大会常务委员会
        for a in reversed(info.amendments):  # 第二十次会议通过): that body, without its term
            m = _MEETING_RE.search(to_simplified(a.text))
            if m:
                info.issuers = [clean_name(m.group("place") + m.group("body"))]
                break
    # an issuer split over lines (交通部 / 水产部发布): a dateless line before the 发布 line
    return info


@dataclass
class Metadata:
    """The fields of a document and where each was read."""

    values: dict[str, object] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def put(self, key: str, value: object, source: str) -> None:
        if key not in self.values and value not in (None, "", [], {}):
            self.values[key] = value
            self.sources[key] = source

    def get(self, key: str, default: object = None) -> object:
        return self.values.get(key, default)


def _signers(line: str) -> list[str]:
    """The bodies of one signature line: a joint signature set on one line (自然资源部      中国银行保险监督管理
    委员会) is split at its wide gaps when every part is a body's name; else the line is one name."""
    line = SEAL_RE.sub("", line)
    parts = [x for x in re.split(r"[ \u3000]{2,}|\u3000", line.strip()) if x]
    if len(parts) > 1 and all(_BODY_NAME_RE.search(clean_name(x)) for x in parts):
        return parts
    return [line]


def _field(fields: dict[str, str], name: str) -> str | None:
    for key in _KEYS[name]:
        if fields.get(key):
            return fields[key]
    return None


def _structured(md: Metadata, fields: dict[str, str], source: str) -> None:
    title = _field(fields, "title")
    if title:
        md.put("title", title.strip(), source)
    issuers = _field(fields, "issuers")
    if issuers:
        names = split_names(issuers)
        if source == "table":  # a site's 发布机构 may be a category (部委联合发文, 其他): names of bodies only
            names = [n for n in names if _BODY_NAME_RE.search(n)]
        md.put("issuers", names, source)
    number = _field(fields, "doc_number")
    if number:  # as parsed, else as written when it has a number in it (a site's "-" or "无" is no number)
        written = number.strip() if re.search(r"\d|[一二三四五六七八九十〇○零]号", number) else None
        md.put("doc_number", parse_doc_number(number) or parse_order(number) or written, source)
    for key in ("written", "published", "effective"):
        value = _field(fields, key)
        if value and iso_date(value):
            md.put(key, iso_date(value), source)
    url = _field(fields, "url")
    if url and re.match(r"https?://", url.strip()):
        md.put("url", url.strip(), source)
    extra = {to_simplified(k): v.strip() for k, v in fields.items()
             if k not in _EXTRA_SKIP and v and v.strip() and not k.startswith("_")}
    if extra:
        md.put("extra", extra, source)


_MARKS = "《》〈〉"


def _marked_title(title: str, lines: list[str]) -> str | None:
    """The title as a line of the text writes it with its 《》 (关于印发《…若干措施》的通知), when the line holds
    the title but for those marks and spaces.  A title set over several lines (its issuers a line each, then the
    subject over two) is read across them."""
    bare = re.sub(rf"[\s\u3000{_MARKS}]", "", title)
    if len(bare) < 8:
        return None
    spans = [*lines, *("".join(lines[k:k + n]) for n in range(2, 13) for k in range(len(lines) - n + 1))]
    for line in spans:
        if "《" not in line:
            continue
        kept = [k for k, ch in enumerate(line) if not (ch.isspace() or ch in _MARKS)]
        squeezed = "".join(line[k] for k in kept)
        at = squeezed.find(bare)
        if at < 0:
            continue
        start, end = kept[at], kept[at + len(bare) - 1] + 1  # the marks inside the title only: a line citing
        out, t = [], 0  # it whole (《…的通知》政策解读) adds none; the title's own spacing is kept
        for ch in line[start:end]:
            if ch in _MARKS:
                out.append(ch)
            elif not ch.isspace():
                while t < len(title) and (title[t].isspace() or title[t] in _MARKS):
                    out.append(title[t] if title[t].isspace() else "")
                    t += 1
                out.append(title[t])
                t += 1
        marked = "".join(out) + title[t:]
        if "《" in marked and marked.count("《") == marked.count("》"):
            return marked
    return None


def describe(lay: Layout, src_fields: dict[str, str], fmt: str, source: str) -> Metadata:
    """Every field of a document from its sources, most reliable first."""
    md = Metadata()
    table = {k: v for k, v in src_fields.items() if not k.isascii()}
    row = {k: v for k, v in src_fields.items() if k.isascii()}
    # 1. structured fields: the library's table, header fields in the text, a law's information block
    _structured(md, table, "table")
    _structured(md, lay.fields, "header")
    if fmt != "jsonl":
        _structured(md, row, "header")  # a page's <meta> tags
    if lay.info_lines:
        info = parse_info_block(lay.info_lines)
        md.put("doc_number", info.doc_number, "info-block")
        md.put("published", info.date, "info-block")
        md.put("effective", info.effective, "info-block")
        md.put("issuers", info.issuers, "info-block")
        md.put("amendments", info.amendments, "info-block")
    # 2. the official-document layout
    if fmt == "jsonl" and row.get("title"):
        # a row's title names the record (2024年…政府工作报告) where the text's own heading is often generic
        md.put("title", row["title"].strip(), "jsonl")
    md.put("title", lay.title, "layout")
    md.put("title", row.get("_page_title"), "header")  # a page's <title> or <h1>, when the text has none
    if lay.number_line:
        md.put("doc_number", parse_doc_number(lay.number_line) or parse_order(lay.number_line), "layout")
    sig_names = [clean_name(n) for x in lay.signature_lines if not is_date_line(x) for n in _signers(x)]
    sig_names = [n for n in sig_names if n]
    sig_date = iso_date(lay.signature_lines[-1]) if lay.signature_lines else None
    md.put("written", sig_date, "layout")
    if sig_names and md.sources.get("issuers") in ("table", "header") and all(
            _BODY_NAME_RE.search(n) for n in sig_names) and md.values["issuers"] != sig_names:
        # the notice signed by bodies of its own naming: its words, not the site's field (发布机构 or a
        # ContentSource names who posted it: 市住保房管局 for a 领导小组办公室's notice)
        del md.values["issuers"]
    md.put("issuers", sig_names, "layout")
    md.put("issuers", [clean_name(n) for n in lay.issuer_mark], "layout")
    title = md.get("title") or ""
    assert isinstance(title, str)
    if md.sources.get("title") in ("header", "table") and "《" not in title:
        marked = _marked_title(title, [p for _, p in lay.paragraphs[:40]])
        if marked:  # a page's <title> drops the 《》 its text's title line has
            title = md.values["title"] = marked
    if lay.title and md.sources.get("title") in ("header", "table") and len(lay.title) > len(title) and (
            flat(lay.title).endswith(flat(title)) and title_issuers(lay.title) and not title_issuers(title)):
        title = md.values["title"] = lay.title  # the site's title without the issuer its text's title line has
    md.put("issuers", title_issuers(title), md.sources.get("title", "layout"))
    md.put("issuers", split_names(lay.fields.get("来源机构", "")), "header")  # a crawl header's 发布机构, last
    md.put("cc", lay.cc, "layout")
    md.put("printed_by", lay.printed_by, "layout")
    md.put("printed_date", lay.printed_date, "layout")
    # 3. the file name or the .jsonl row
    if fmt == "jsonl":
        _structured(md, row, "jsonl")
    else:
        stem = re.sub(r"\.[^.]+$", "", source.rsplit("/", 1)[-1])
        fm = _FILENAME_DATE_RE.search(stem)
        if not md.get("title") and stem:
            md.put("title", _FILENAME_DATE_RE.sub("", stem).strip(), "filename")
        if fm and not md.get("written") and not md.get("published"):
            md.put("published", fm.group(1), "filename")
    issuers = md.values.get("issuers")
    if isinstance(issuers, list):
        md.values["issuers"] = split_joined(issuers)
    # date: the signing date (成文日期) when stated, else the publication date
    if md.get("written"):
        md.values["date"], md.sources["date"] = md.values["written"], md.sources["written"]
    elif md.get("published"):
        md.values["date"], md.sources["date"] = md.values["published"], md.sources["published"]
    elif lay.printed_date:
        md.put("date", lay.printed_date, "layout")
    title = md.get("title") or ""
    assert isinstance(title, str)
    numbered = _TITLE_NUMBER_RE.search(title)
    if numbered and parse_doc_number(numbered.group(1)):  # …的通知（沪教委规〔2021〕2号）: the number is no title
        title = md.values["title"] = title[:numbered.start()].rstrip()
        md.put("doc_number", parse_doc_number(numbered.group(1)), md.sources["title"])
    if title:
        md.put("short_title", short_title(title), md.sources["title"])
        kind = TITLE_END_RE.search(title)
        if kind:
            md.put("doc_type", to_simplified(re.sub(r"\s*[(（].*$", "", kind.group())), md.sources["title"])
    return md


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
