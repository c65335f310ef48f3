"""Web pages: the article only (navigation, breadcrumbs, footers and language menus dropped)."""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import SourceError
from . import SourceText, read_bytes, reader
from .decode import decode


@reader(".html", ".htm")
def read_html(path: Path, rel: str) -> list[SourceText]:
    text, encoding = decode(read_bytes(path))
    body, fields = html_text(text)
    if not body.strip():
        raise SourceError("HTML page with no article text")
    return [SourceText(rel, body, "html", encoding, fields)]


def html_text(html: str) -> tuple[str, dict[str, str]]:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    fields: dict[str, str] = {}
    for name, key in (("ArticleTitle", "title"), ("PubDate", "date"), ("firstpublishedtime", "date"),
                      ("url", "url")):
        node = tree.css_first(f'meta[name="{name}"]')
        if node is not None and node.attributes.get("content"):
            fields.setdefault(key, (node.attributes.get("content") or "").strip())
    for sel in ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe"):
        for node in tree.css(sel):
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
        if h1 is not None:
            fields["title"] = h1.text(strip=True)
    blocks = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section",
              "article", "td", "dd", "dt", "blockquote", "pre"}
    parts: list[str] = []

    def walk(node) -> None:  # noqa: ANN001 - selectolax node
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                parts.append(child.text_content or "")
            else:
                if child.tag in blocks:
                    parts.append("\n")
                walk(child)
                if child.tag in blocks:
                    parts.append("\n")

    walk(root)
    text = re.sub(r"[ \t\r\f\v]*\n\s*", "\n", "".join(parts))
    return text.strip(), fields
