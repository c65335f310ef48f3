"""Web pages: the article only (navigation, breadcrumbs, footers and language menus dropped)."""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import SourceError
from ..limits import Limits
from . import SourceText, read_bytes, reader
from .decode import decode


@reader(".html", ".htm")
def read_html(path: Path, rel: str, limits: Limits) -> list[SourceText]:
    text, encoding = decode(read_bytes(path))
    body, fields = html_text(text)
    if not body.strip():
        raise SourceError("HTML page with no article text")
    return [SourceText(rel, body, "html", encoding, fields)]


# Labels of a policy library's information table (the State Council library and the many provincial
# libraries built the same way): 索引号, 主题分类, 发文机关, 成文日期, 标题, 发文字号, 发布日期 …
_LABEL_RE = re.compile(r"^(?P<label>[\u4e00-\u9fff]{2,6})[:：]$")
_KNOWN_LABELS = {
    "索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期", "主题词", "发布机构", "发文单位",
    "发布单位", "文号", "生成日期", "实施日期", "有效性", "时效性", "公开方式", "信息来源", "分类", "名称", "体裁",
    "废止日期", "主题",
}


_BARE_LABEL_RE = re.compile(r"^(?P<label>[\u4e00-\u9fff]{2,6})$")  # a known label's cell without a colon (名称)


def _is_label(text: str) -> bool:
    return bool(_LABEL_RE.match(text)) or text in _KNOWN_LABELS


def info_table(tree) -> tuple[dict[str, str], list]:  # noqa: ANN001 - selectolax tree
    """Label: value pairs of a page's information table (cells "发文机关：" | "国务院", or a known label without
    its colon: "名 称" | "…的通知"), keyed by label.

    A table counts when it has at least two known labels; labels are given as written, spaces removed.  Also
    returns the tables read: they are the page's metadata, not the notice's text."""
    best: dict[str, str] = {}
    tables: list = []
    for table in tree.css("table"):
        if len(table.css("table")) > 1:  # the node itself is among its matches
            continue  # only innermost tables
        found: dict[str, str] = {}
        cells = table.css("td, th")
        for k, cell in enumerate(cells[:-1]):
            label = re.sub(r"[\s\u3000\xa0]", "", cell.text(strip=True))
            m = _LABEL_RE.match(label) or (_BARE_LABEL_RE.match(label) if label in _KNOWN_LABELS else None)
            if not m:
                continue
            value = cells[k + 1].text(strip=True)
            if _is_label(re.sub(r"[\s\u3000\xa0]", "", value)):
                continue  # an empty field: the next cell is a label
            found.setdefault(m.group("label"), re.sub(r"[ \t\xa0]+", " ", value).strip())
        if len(set(found) & _KNOWN_LABELS) >= 2:
            tables.append(table)
            if len(found) > len(best):
                best = {**best, **found} if set(best) & _KNOWN_LABELS else found
    return {k: v for k, v in best.items() if v}, tables


def _only_labels_and_values(table) -> bool:  # noqa: ANN001 - selectolax node
    """Whether every other cell of a table is a label (an information table, not a notice's own table that
    happens to name a few fields): no cell holds a paragraph."""
    return all(len(c.text(strip=True)) <= 120 for c in table.css("td, th"))


MAX_DEPTH = 2_000  # elements open inside each other (real pages: under 100)
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]{0,15})\b[^>]*?(/?)>")
# Elements whose end tag pages leave out (or that have none): they do not deepen the tree as written.
_FLAT_TAGS = frozenset("p li dt dd tr td th option br hr img input meta link area base col wbr source track "
                       "param embed".split())


def check_depth(html: str) -> None:
    """Refuse a page nested deeper than MAX_DEPTH before it is parsed: the parser's time grows with the square
    of the depth (100,000 nested <div>s took 15 s)."""
    depth = 0
    for m in _TAG_RE.finditer(html):
        if m.group(3) or m.group(2).lower() in _FLAT_TAGS:
            continue
        if m.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > MAX_DEPTH:
                raise SourceError(f"a page whose elements are nested more than {MAX_DEPTH:,} deep (not a page "
                                  "a site publishes)")


_BLOCKS = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section",
                     "article", "td", "dd", "dt", "blockquote", "pre"})


def _block_text(root) -> str:  # noqa: ANN001 - selectolax node
    """A node's text, a line for each block element; depth first without recursion (a page may nest as deep
    as its checked depth allows)."""
    parts: list[str] = []
    stack = [iter(root.iter(include_text=True))]
    closes = [False]  # whether each open element is a block (a line ends after it)
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            if closes.pop():
                parts.append("\n")
        elif child.tag == "-text":
            parts.append(child.text_content or "")
        else:
            block = child.tag in _BLOCKS
            if block:
                parts.append("\n")
            stack.append(iter(child.iter(include_text=True)))
            closes.append(block)
    return "".join(parts)


# Labels sites put before a notice's fields, outside any table (<li>文号：…</li>, <h1>文件编号：</h1><p>…</p>,
# [发文字号] …), as the metadata stage names them.
_PAGE_LABELS = {
    "发文字号": "发文字号", "文号": "发文字号", "备注/文号": "发文字号", "文件编号": "发文字号",
    "发布文号": "发文字号", "文件字号": "发文字号", "成文日期": "成文日期", "发布日期": "发布日期",
    # not 发布机构: sites fill it with their own short names (区政府, 市住建局), not the issuers
}
_PAGE_LABEL_RE = re.compile(r"^[\[【]?(" + "|".join(re.escape(k) for k in sorted(_PAGE_LABELS, key=len, reverse=True))
                            + r")[\]】]?[:：]?(.*)$")
_DATE_RE = re.compile(r"(?:19|20)\d{2}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}")


def labelled_fields(lines: list[str]) -> dict[str, str]:
    """Fields a page states as label and value (on one line, or the value on the next; several on one line
    between bars), where the value is of the label's kind: a document number or a date.  The first of each
    wins."""
    from ...text.docnumber import DOC_NUMBER_RE

    # a property line of several fields (印发日期：… | 文号：沪财发〔2025〕5号 | 发文机关：…): one field a part
    parts = [part for ln in lines for part in re.split(r"[|｜]", ln)]
    squeezed = [re.sub(r"[\s\u3000\xa0]+", "", ln) for ln in parts]
    squeezed = [ln for ln in squeezed if ln]
    out: dict[str, str] = {}
    for k, ln in enumerate(squeezed):
        m = _PAGE_LABEL_RE.match(ln)
        if not m:
            continue
        key, value = _PAGE_LABELS[m.group(1)], m.group(2)
        if not value and k + 1 < len(squeezed) and not _PAGE_LABEL_RE.match(squeezed[k + 1]):
            value = squeezed[k + 1]
        if key in out or not value or len(value) > 80:
            continue
        if key == "发文字号":
            found = DOC_NUMBER_RE.search(value)
            if found is None:
                continue
            value = found.group(0)
        else:
            found = _DATE_RE.search(value)
            if found is None:
                continue
            value = found.group(0)
        out[key] = value
    return out


_SITE_SEP_RE = re.compile(r"\s*(?:[|｜_]|--|——|\s-\s|(?<=[\u4e00-\u9fff])-(?=[\u4e00-\u9fff]))\s*")


def page_title(title: str) -> str:
    """A page's title without the site's name around it (长沙市政府门户网站-长沙市人民政府办公厅关于…的通知 → the
    notice's title): of the parts, the one that reads as a notice's title (关于, or a kind at its end)."""
    from ...text.lexicon import ABOUT_RE, TITLE_END_RE

    parts = [p for p in _SITE_SEP_RE.split(title.strip()) if p]
    if len(parts) < 2:
        return title.strip()
    titled = [p for p in parts if ABOUT_RE.search(p) or TITLE_END_RE.search(p)]
    return max(titled, key=len) if titled else title.strip()


def html_text(html: str) -> tuple[str, dict[str, str]]:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    check_depth(html)
    tree = HTMLParser(html)
    fields: dict[str, str] = {}
    for name, key in (("ArticleTitle", "title"), ("PubDate", "date"), ("firstpublishedtime", "date"),
                      ("url", "url")):
        node = tree.css_first(f'meta[name="{name}"]')
        if node is not None and node.attributes.get("content"):
            fields.setdefault(key, (node.attributes.get("content") or "").strip())
    if fields.get("title"):
        fields["title"] = page_title(fields["title"])
    table_fields, tables = info_table(tree)
    fields.update(table_fields)
    if tree.body is not None:  # the labelled fields of the whole page, chrome included (文号： in a <li>, a <span>)
        for key, value in labelled_fields(_block_text(tree.body).split("\n")).items():
            fields.setdefault(key, value)
    for table in tables:  # read above as fields: an information table is no part of the notice's text
        if any(t.text(strip=True) for t in table.css("td, th")) and _only_labels_and_values(table):
            table.decompose()
    from ...text.docnumber import DOC_NUMBER_RE

    for node in tree.css("h1, h2, h3, h4, h5, h6"):  # a number set as a heading (<h3>长府办发〔2017〕65号)
        number = DOC_NUMBER_RE.fullmatch(node.text(strip=True))
        if number:
            fields.setdefault("发文字号", number.group(0))
    for sel in ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe"):
        for node in tree.css(sel):
            if sel == "form" and len(node.text(strip=True)) > 200:
                continue  # a page wrapped in one <form> whole: its notice, not a search box
            node.decompose()
    chrome = re.compile(r"(^|[-_ ])(nav|menu|breadcrumb|crumb|footer|header|lang|language|share|"
                        r"position|location|topbar|sidebar)", re.I)
    for node in tree.css("[class], [id]"):
        names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if chrome.search(names) and node.tag not in ("html", "body"):
            node.decompose()
    root = None
    for sel in ("article", "#UCAP-CONTENT", ".TRS_Editor", "#zoom", ".pages_content", ".article",
                ".content", "main", "body"):
        root = tree.css_first(sel)
        if root is not None and len(root.text(strip=True)) > 50:
            break
    if root is None:
        root = tree.body or tree.root
    if root is None:
        return "", fields
    if "title" not in fields:
        h1 = tree.css_first("h1") or tree.css_first("title")
        if h1 is not None and h1.text(strip=True):
            fields["_page_title"] = page_title(h1.text(strip=True))  # a last resort: the text's own title first
    text = _block_text(root)
    text = re.sub(r"&[A-Za-z]{1,8};", "", text)  # a broken entity a crawler left as text (&amp;sp; → "&sp;")
    text = re.sub(r"[ \t\r\f\v]*\n\s*", "\n", text)
    return text.strip(), fields
