"""Pinpoint citations (an article of a work): extraction, resolution to the version in force, checks."""

from __future__ import annotations

import pytest

from policysearch.cite.citations import (
    article_citation,
    article_links,
    check_pinpoint,
    cite_article,
    paragraphs,
    pinpoint_text,
    resolve_pinpoint,
)
from policysearch.ingest.citations import extract
from policysearch.ingest.versions import version_date

from ._laws import LAWS, law


def _one(text: str, **kw):
    return [c for c in extract(text, pinpoints=True, **kw) if c.article is not None or c.scope == "relative"]


@pytest.mark.parametrize("text,expected", [
    ("依照《不动产登记暂行条例》第八条的规定办理。", [("document", "不动产登记暂行条例", 8, 0, None, None)]),
    ("《中华人民共和国物权法》第十条第二款规定的", [("document", "中华人民共和国物权法", 10, 0, 2, None)]),
    ("违反本条例第三十五条第一款第（二）项规定的", [("self", None, 35, 0, 1, 2)]),
    ("依照第三十五条第一款第(二)项处理", [("self", None, 35, 0, 1, 2)]),
    ("适用本办法第五条", [("self", None, 5, 0, None, None)]),
    ("依照《国务院关于修改部分行政法规的决定》第十条之一执行", [("document", "国务院关于修改部分行政法规的决定", 10, 1, None, None)]),
    ("按照《建设工程质量管理条例》第六十三条、第六十七条的规定",
     [("document", "建设工程质量管理条例", 63, 0, None, None), ("document", "建设工程质量管理条例", 67, 0, None, None)]),
    ("专利法第二十四条、第二十九条规定的期限", [("short", "专利法", 24, 0, None, None), ("short", "专利法", 29, 0, None, None)]),
])
def test_extract_pinpoints(text, expected):
    got = [(c.scope, c.title, c.article, c.article_sub, c.paragraph, c.item) for c in _one(text)]
    assert got == expected


def test_relative_references_and_the_own_label():
    cs = _one("第六条 除前款规定的情形外，依照本条第一款规定办理。")  # 第六条 is the article's own number
    assert [(c.scope, c.pinpoint, c.paragraph) for c in cs] == [("relative", "前款", -1), ("relative", "本条第一款", 1)]


def test_title_only_laws_and_document_citations_unchanged():
    cs = extract("根据《中华人民共和国专利法》（以下简称专利法），制定本细则。")
    assert [(c.title, c.article, c.as_written) for c in cs] == [("中华人民共和国专利法", None, "《中华人民共和国专利法》")]
    # without pinpoints=True, lists and references inside the document are not returned
    assert len(extract("按照《建设工程质量管理条例》第六十三条、第六十七条和本条例第五条的规定")) == 1


needs_laws = pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws is not here")


@needs_laws
def test_a_citation_resolves_to_the_version_in_force():
    """进口计量器具监督管理办法 (2016) cites 《中华人民共和国计量法实施细则》第四十四条; the corpus holds its 2018
    and 2022 versions."""
    citing = law("进口计量器具监督管理办法(2016-02-06).md")
    versions = [law("计量法实施细则(2018-03-19).md"), law("计量法实施细则(2022-03-29).md")]
    cits = [c for x in citing.walk() for c in extract(x.text, citing.id, x.path, pinpoints=True)
            if c.title == "中华人民共和国计量法实施细则" and c.article]
    assert [c.article for c in cits] == [44, 58]
    doc, art = resolve_pinpoint(cits[0], versions, "2023-01-01")
    assert doc is versions[1] and art.label == "第四十四条"
    doc, _ = resolve_pinpoint(cits[0], versions, "2020-01-01")
    assert doc is versions[0]
    doc, _ = resolve_pinpoint(cits[0], versions, citing=citing)  # 2016: before both, the oldest known
    assert doc is versions[0]
    assert resolve_pinpoint(extract("《中华人民共和国计量法实施细则》第九百条", pinpoints=True)[0], versions) is None
    assert article_citation(doc, art) == "《中华人民共和国计量法实施细则》第四十四条"


@needs_laws
def test_references_inside_the_same_document():
    d = law("两用物项出口管制条例(2024-09-30).md")
    found = {}
    for c in d.walk():
        for cit in extract(c.text, d.id, c.path, pinpoints=True):
            if cit.scope == "self" and cit.article in (14, 16) and cit.paragraph:
                found.setdefault((cit.article, cit.paragraph), (cit, c.path))
    cit, _ = found[(16, 1)]
    doc, art = resolve_pinpoint(cit, [], citing=d)
    assert doc is d and art.label == "第十六条"
    text = pinpoint_text(art, 1)
    assert text is not None and text == paragraphs(art)[0] and text.startswith("第十六条")
    cit, _ = found[(14, 3)]
    _, art = resolve_pinpoint(cit, [], citing=d)
    assert pinpoint_text(art, 3) == paragraphs(art)[2]
    assert check_pinpoint(cit, [], citing=d)["status"] == "ok"


@needs_laws
def test_a_paragraph_after_the_items_is_the_next_paragraph():
    """道路运输条例 (2023) 第六十八条: 款一 introduces items （一）–（三）; 款二 (强行招揽) follows them, though the
    ingested article holds both of its paragraphs in its own text."""
    d = law("道路运输条例(2023-07-20).md")
    [art] = [c for c in d.walk() if c.kind == "article" and c.number == 68]
    first, second = paragraphs(art)
    assert first.startswith("第六十八条") and first.endswith("擅自终止客运经营的。") and first.count("\n") == 3
    assert second.startswith("客运经营者强行招揽旅客")
    assert pinpoint_text(art, 1, 3) == "（三）未报告原许可机关，擅自终止客运经营的。"
    assert pinpoint_text(art, 2) == second and pinpoint_text(art, 3) is None


@needs_laws
def test_previous_paragraph_resolves_to_the_citing_article():
    d = law("长江河道采砂管理条例(2023-07-20).md")
    [(c, cit)] = [(c, x) for c in d.walk() for x in extract(c.text, d.id, c.path, pinpoints=True)
                  if x.pinpoint == "前款"]
    doc, art = resolve_pinpoint(cit, [], citing=d)
    assert doc is d and art.path == c.path and "前款" in art.text


@needs_laws
def test_check_flags_a_renumbered_article_and_gives_the_current_number():
    """道路运输条例: 2023 deleted 第六十八条, so the 2022 第七十条 (维护和检测运输车辆) is 第六十九条 now."""
    vs = [law(f"道路运输条例({d}).md") for d in ("2019-03-02", "2022-03-29", "2023-07-20")]
    [cit] = extract("依照《中华人民共和国道路运输条例》第七十条的规定处罚。", pinpoints=True)
    r = check_pinpoint(cit, vs, at_date="2022-12-01")
    assert r["status"] == "renumbered" and r["current"] == "第六十九条"
    assert r["expected"] == "《中华人民共和国道路运输条例》第六十九条"
    assert "第六十九条" in r["message"] and r["version"] == vs[1].id and r["latest"] == vs[2].id
    assert check_pinpoint(cit, vs, at_date="2023-08-01")["status"] == "ok"
    [gone] = extract("依照《中华人民共和国道路运输条例》第六十八条", pinpoints=True)
    assert check_pinpoint(gone, vs, at_date="2022-12-01")["status"] == "deleted"
    [nowhere] = extract("依照《中华人民共和国道路运输条例》第三百条", pinpoints=True)
    r = check_pinpoint(nowhere, vs)
    assert r["status"] == "missing" and "第八十二条" in r["message"]  # the latest has 第一条 to 第八十二条
    [other] = extract("依照《中华人民共和国不存在条例》第三条", pinpoints=True)
    assert check_pinpoint(other, vs)["status"] == "unknown"


@needs_laws
def test_check_flags_an_amended_article():
    vs = [law("长江河道采砂管理条例(2001-10-25).md"), law("长江河道采砂管理条例(2023-07-20).md")]
    [cit] = extract("依照《长江河道采砂管理条例》第二十条处罚", pinpoints=True)
    r = check_pinpoint(cit, vs, at_date="2010-01-01")
    assert r["status"] == "amended" and r["current"] == "第二十一条"


@needs_laws
def test_cite_an_article_and_who_cites_it():
    docs = [law("计量法实施细则(2018-03-19).md"), law("计量法实施细则(2022-03-29).md"),
            law("进口计量器具监督管理办法(2016-02-06).md")]
    out = cite_article("《中华人民共和国计量法实施细则》第四十四条", docs)
    assert out is not None
    assert out["doc_id"] == docs[1].id and out["version"] == version_date(docs[1])
    assert out["citation"] == "《中华人民共和国计量法实施细则》第四十四条" and out["text"].startswith("第四十四条")
    assert {c["from_doc"] for c in out["cited_by"]} == {docs[2].id}
    links = article_links(docs)
    assert any(link.from_doc == docs[2].id and link.to_label == "第五十八条" for link in links)
    assert cite_article("《中华人民共和国计量法实施细则》第九百条", docs) is None
