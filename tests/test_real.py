"""The invariant on every real document in ../shared/real: the clauses hold the whole body text (nothing
lost, nothing duplicated) and every 第X条 at the start of a line of the source is a clause of its own."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from policysearch.ingest.layout import analyse_layout
from policysearch.ingest.pipeline import read_documents

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
pytestmark = pytest.mark.skipif(not REAL.exists(), reason="../shared/real is not beside the checkout")

ARTICLE_RE = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+条(?:之[一二三四五六七八九十]+)?")


def chars(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def clause_chars(docs) -> Counter:
    out: Counter = Counter()
    for d in docs:
        for c in d.walk():
            out.update(chars(c.text))
    return out


def article_labels(docs) -> Counter:
    return Counter(c.label for d in docs for c in d.walk() if c.kind == "article")


def test_every_regulation_keeps_its_body_and_every_article_is_a_clause():
    folder = REAL / "laws"
    files = sorted(folder.glob("*.md"))
    assert len(files) > 600
    problems = []
    for f in files:
        raw = f.read_text("utf-8")
        docs = read_documents(f, folder)
        body = raw.split("<!-- INFO END -->", 1)[-1]
        lines = [re.sub(r"^\s{0,3}#{1,6}\s*", "", ln).replace("**", "").strip() for ln in body.split("\n")]
        want = Counter(m.group() for ln in lines if (m := ARTICLE_RE.match(ln)))
        missing = want - article_labels(docs)
        # an attachment's 附件 heading and title are its document's title, not clause text
        d = docs[0]
        info_end = d.text.find("<!-- INFO END -->")
        headings = "\n".join(p for o, p in analyse_layout(d.text).metadata_lines if o > info_end)
        source = chars("\n".join(lines)) - chars(headings)
        got = clause_chars(docs)
        lost, dup = source - got, got - source
        if missing or lost or dup:
            problems.append(f"{f.name}: articles not clauses {sorted(missing)[:3]}, lost {''.join(lost.elements())[:20]!r}, "
                            f"duplicated {''.join(dup.elements())[:20]!r}")
    assert problems == []


def test_every_library_page_keeps_its_body_and_its_metadata():
    folder = REAL / "govcn-dev"
    truth = json.loads((folder / "truth.json").read_text("utf-8"))
    right: Counter = Counter()
    problems = []
    for name, t in truth.items():
        docs = read_documents(folder / name, folder)
        d = docs[0]
        right["title"] += d.title == t["title"]
        right["issuers"] += d.issuers == t["issuers"]
        right["doc_number"] += d.doc_number == t["doc_number"]
        right["date"] += d.date == t["written"]
        right["published"] += d.published == t["published"]
        meta = "\n".join(p for _, p in analyse_layout(d.text).metadata_lines)
        source = chars(d.text) - chars(meta)
        got = clause_chars(docs)
        want = Counter(m.group() for ln in d.text.split("\n") if (m := ARTICLE_RE.match(ln.strip())))
        if source != got or want - article_labels(docs):
            problems.append(name)
        # the header is only what a header holds: the title block, the 发文字号, fields
        assert len(meta) < 400, name
    assert problems == []
    assert all(n >= 14 for n in right.values()), right
