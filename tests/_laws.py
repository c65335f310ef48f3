"""Real regulations from ../shared/real/laws as Documents whose articles are clauses.

The document comes from ``read_documents``.  Where its clause tree already holds every 第X条 that starts a
line of the body (the document-model issue makes this always so), it is used as it is; otherwise the
clause tree is rebuilt in the shape that issue delivers — 第X章/第X节 headings, articles 第X条 (kind
"article", number set, 第十条之一 keeping 之一 in its label) numbered continuously across chapters, 款 kept
in the article, items （一） as the article's children — so that the comparison and citation code is
tested on whole regulations today.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from policysearch.ingest.pipeline import read_documents
from policysearch.ingest.versions import INFO_END, article_number, articles
from policysearch.model import PREAMBLE, Clause, Document
from policysearch.text.markers import cn_number, parse_marker
from policysearch.text.normalise import norm

ROOT = Path(__file__).resolve().parent.parent
LAWS = ROOT.parent / "shared" / "real" / "laws"

_CN = "一二三四五六七八九十百千零〇两"
_ARTICLE_RE = re.compile(rf"^第([{_CN}\d]+)条(?:之([{_CN}\d]+))?(?=[\s\u3000]|$)")
_HEADING_RE = re.compile(rf"^第([{_CN}\d]+)(编|章|节)")


def source_articles(text: str) -> list[tuple[int, int]]:
    """The numbers of the 第X条 that start a line of the body, as a continuous numbering accepts them."""
    body = text.split(INFO_END, 1)[-1]
    out: list[tuple[int, int]] = []
    for line in body.split("\n"):
        m = _ARTICLE_RE.match(line.strip())
        if not m:
            continue
        n = cn_number(m.group(1)) or 0
        sub = (cn_number(m.group(2)) or 0) if m.group(2) else 0
        prev = out[-1][0] if out else 0
        if (sub and n == prev) or prev < n <= prev + 3:
            out.append((n, sub))
    return out


def _rebuild(doc: Document) -> None:
    head, sep, body = doc.text.partition(INFO_END)
    offset = len(head) + len(sep) if sep else 0
    if not sep:
        body = doc.text
    top: list[Clause] = []
    pre_lines: list[str] = [head + sep] if sep else []
    chapter: Clause | None = None
    section: Clause | None = None
    article: Clause | None = None
    item: Clause | None = None
    parts: dict[int, list[str]] = {}
    prev = 0
    pos = offset
    for line in body.split("\n"):
        start, pos = pos, pos + len(line) + 1
        s = line.strip()
        if not s:
            continue
        h = _HEADING_RE.match(s)
        a = _ARTICLE_RE.match(s)
        if a:
            n = cn_number(a.group(1)) or 0
            sub = (cn_number(a.group(2)) or 0) if a.group(2) else 0
            if not ((sub and n == prev) or prev < n <= prev + 3):
                a = None
        if h and not a and len(s) <= 40:
            kind = {"编": "part", "章": "chapter", "节": "section"}[h.group(2)]
            label = h.group(0)
            parent = chapter if kind == "section" and chapter is not None else None
            c = Clause(path=(parent.path + "/" if parent else "") + label, label=label, heading=s[len(label):].strip(),
                       text="", norm="", level=2 if parent else 1, start=start, kind=kind,
                       number=cn_number(h.group(1)))
            parts[id(c)] = [s]
            (parent.children if parent else top).append(c)
            if kind == "section":
                section = c
            else:
                chapter, section = c, None
            article = item = None
            continue
        if a:
            prev = n
            label = a.group(0)
            parent = section or chapter
            c = Clause(path=(parent.path + "/" if parent else "") + label, label=label, heading="", text="",
                       norm="", level=(parent.level + 1) if parent else 1, start=start, kind="article", number=n)
            parts[id(c)] = [s]
            (parent.children if parent else top).append(c)
            article, item = c, None
            continue
        m = parse_marker(s) if article is not None else None
        if m is not None and m.kind == "paren_cn":
            expected = (item.number + 1) if item is not None and item.number else 1
            if m.number == expected:
                c = Clause(path=f"{article.path}/{m.key}", label=m.label, heading="", text="", norm="",
                           level=article.level + 1, start=start, kind="paren_cn", number=m.number)
                parts[id(c)] = [s]
                article.children.append(c)
                item = c
                continue
        target = item or article or section or chapter
        if target is None:
            pre_lines.append(s)
        else:
            parts[id(target)].append(s)
    traditional = doc.traditional

    def finish(c: Clause) -> None:
        c.text = "\n".join(parts[id(c)])
        c.norm = norm(c.text, traditional=traditional)
        for ch in c.children:
            finish(ch)

    for c in top:
        finish(c)
    pre_text = "\n".join(pre_lines)
    clauses = [Clause(PREAMBLE, "", "", pre_text, norm(pre_text, traditional=traditional), 0, {}, 0)] if pre_text else []
    doc.clauses = clauses + top


@lru_cache(maxsize=None)
def _load(name: str) -> Document:
    [doc] = [d for d in read_documents(LAWS / name, LAWS) if not d.attachment_of]
    have = [article_number(c) for c in articles(doc)]
    if have != source_articles(doc.text):
        _rebuild(doc)
    return doc


def law(name: str) -> Document:
    """A regulation of ../shared/real/laws by file name (a fresh copy: tests may change it)."""
    return Document.from_dict(_load(name).to_dict())


def version_pairs() -> list[tuple[str, str]]:
    """(older, newer) file names of every regulation held in several versions (consecutive versions)."""
    by_title: dict[str, list[str]] = {}
    for p in sorted(LAWS.glob("*.md")):
        by_title.setdefault(re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", p.stem), []).append(p.name)
    out = []
    for names in by_title.values():
        names.sort()
        out.extend(zip(names, names[1:], strict=False))
    return out
