"""Reading notice files: detect the encoding, extract the text of each format.

A file that cannot be read raises :class:`SourceError` with one line saying why; the caller reports
it and goes on with the rest of the corpus.  Source files are only ever opened for reading.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

SUPPORTED = {".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".jsonl"}


class SourceError(Exception):
    """A user-facing reason why a file could not be read."""


@dataclass
class SourceText:
    """The text of one document as extracted from a file, before cleaning."""

    source: str  # path relative to the corpus
    text: str
    fmt: str  # txt | md | html | docx | jsonl
    encoding: str = "utf-8"
    fields: dict[str, str] = field(default_factory=dict)  # title, date, url, doc_number, year
    line: int | None = None  # line number in a .jsonl file


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    text = resources.files("policysearch").joinpath("data/common_chars.txt").read_text("utf-8")
    return frozenset("".join(ln for ln in text.splitlines() if not ln.startswith("#")))


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters that are common Chinese characters or CJK punctuation
    (ASCII control characters other than whitespace count against it)."""
    sample = text[:20000]
    if not sample:
        return 0.0
    common = _common_chars()
    good = total = 0
    for ch in sample:
        if ch.isascii():
            if not (ch.isprintable() or ch in "\n\r\t"):
                total += 1
            continue
        total += 1
        good += ch in common or ch in "，。、；：？！“”‘’（）《》〔〕【】—…·　［］０１２３４５６７８９"
    return good / total if total else 1.0


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" not in head:
        return False
    # UTF-16 without a BOM has NULs in every other byte for ASCII; binary data has them anywhere.
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    return not (even > len(head) * 0.2 and odd < len(head) * 0.02 or odd > len(head) * 0.2
                and even < len(head) * 0.02)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of a Chinese text file; returns (text, encoding)."""
    if not data.strip():
        raise SourceError("empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError as e:
                raise SourceError(f"not valid {enc} despite its byte-order mark ({e.reason})") from e
    if _looks_binary(data):
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if plausibility(text) > 0.9:
                return text, enc
        raise SourceError("binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for enc in ("gb18030", "big5hkscs", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((plausibility(text), enc, text))
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200000]).best()
    if best is not None and best.encoding not in {c[1] for c in candidates}:
        try:
            text = data.decode(best.encoding)
            candidates.append((plausibility(text), best.encoding, text))
        except (UnicodeDecodeError, LookupError):
            pass
    if candidates:
        score, enc, text = max(candidates, key=lambda c: c[0])
        if score >= 0.85:
            return text, {"big5hkscs": "big5"}.get(enc, enc)
    raise SourceError("cannot decode: not UTF-8, UTF-16, GB18030 or Big5 Chinese text")


def _html_text(html: str) -> tuple[str, dict[str, str]]:
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


def _docx_text(path: Path) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as e:
        raise SourceError(f"not a readable Word .docx file ({type(e).__name__})") from e
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("　".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def read_source(path: Path, corpus: Path | None = None) -> list[SourceText]:
    """Read one file into one or more document texts (a .jsonl file holds many)."""
    rel = str(path.relative_to(corpus)) if corpus and path.is_relative_to(corpus) else str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise SourceError(f"unsupported file type '{suffix or path.name}' "
                          f"(supported: {', '.join(sorted(SUPPORTED))})")
    try:
        if suffix == ".docx":
            text = _docx_text(path)
            if not text.strip():
                raise SourceError("empty file (the document has no text)")
            return [SourceText(rel, text, "docx", "docx")]
        data = path.read_bytes()
    except OSError as e:
        raise SourceError(f"cannot read ({e.strerror or e})") from e
    text, encoding = decode(data)
    if suffix in (".html", ".htm"):
        body, fields = _html_text(text)
        if not body.strip():
            raise SourceError("HTML page with no article text")
        return [SourceText(rel, body, "html", encoding, fields)]
    if suffix == ".jsonl":
        return _jsonl(rel, text, encoding)
    fmt = "md" if suffix in (".md", ".markdown") else "txt"
    return [SourceText(rel, text, fmt, encoding)]


def _jsonl(rel: str, text: str, encoding: str) -> list[SourceText]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise SourceError(f"line {n}: not valid JSON ({e.msg})") from e
        if not isinstance(row, dict):
            raise SourceError(f"line {n}: expected a JSON object")
        content = row.get("content") or row.get("text") or ""
        if not isinstance(content, str) or not content.strip():
            continue
        fields = {k: str(row[k]) for k in ("title", "date", "url", "doc_number", "year")
                  if row.get(k) not in (None, "")}
        out.append(SourceText(rel, content, "jsonl", encoding, fields, line=n))
    if not out:
        raise SourceError("no documents (each line needs a 'content' field)")
    return out
