"""A cited title resolves to the work it names or to nothing — never to a similar one.  On real regulations
(../shared/real/laws): a law cited beside its own 实施条例, two works whose names differ by a word, a
regulation naming the enactment it repeals, an issuer written before the title; in both scripts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from policysearch.cite.citations import CitationIndex
from policysearch.cli import cli
from policysearch.config import Settings
from policysearch.ingest.pipeline import read_documents
from tests.conftest import run_ingest

LAWS = Path(__file__).resolve().parent.parent.parent / "shared" / "real" / "laws"
FILES = ["药品管理法实施条例(2019-03-02).md", "中医药条例(2003-04-07).md", "劳动合同法实施条例(2008-09-18).md",
         "信访条例(2005-01-10).md", "信访工作条例(2022-02-25).md", "城市市容和环境卫生管理条例(2017-03-01).md",
         "企业债券管理条例(2011-01-08).md", "专利法实施细则(2010-01-09).md", "专利法实施细则(2023-12-11).md",
         "计算机信息网络国际联网管理暂行规定(1997-05-20).md", "计算机信息网络国际联网管理暂行规定实施办法(1998-02-13).md"]

pytestmark = pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws is not beside the checkout")

DRAFT = """关于做好有关工作的通知
一、依照《中华人民共和国劳动合同法》第十条和《中华人民共和国劳动合同法实施条例》第三条执行。
二、按照《信访条例》第二条、《信访工作条例》第二条办理。
三、依据国务院《城市市容和环境卫生管理条例》第三条和《郑州市城市市容和环境卫生管理条例》第三条。
四、参照《中华人民共和国药品管理法》第二条。
"""
EXPECTED = [  # (status, the document it resolves to)
    ("unknown", None), ("ok", "劳动合同法实施条例-2008-09-18"),
    ("ok", "信访条例-2005-01-10"), ("ok", "信访工作条例-2022-02-25"),
    ("ok", "城市市容和环境卫生管理条例-2017-03-01"), ("unknown", None),
    ("unknown", None),
]


@pytest.fixture(scope="module")
def laws(tmp_path_factory) -> Settings:
    base = tmp_path_factory.mktemp("identity")
    (base / "corpus").mkdir()
    for name in FILES:
        shutil.copy(LAWS / name, base / "corpus" / name)
    settings = Settings(base / "corpus", base / "index")
    run_ingest(settings)
    return settings


def run(settings: Settings, *args: str):
    return CliRunner().invoke(cli, ["--corpus", str(settings.corpus), "--index", str(settings.index), *args])


def resolved(settings: Settings, citing: str) -> dict[str, str | None]:
    out = json.loads(run(settings, "refs", citing, "--json").output)
    return {c["as_written"]: c.get("doc_id") for c in out["cites"]}


def test_a_law_is_not_its_own_implementing_regulation(laws):
    cites = resolved(laws, "中医药条例")
    assert cites["《中华人民共和国药品管理法》"] is None  # the law is not in the corpus; its 实施条例 is
    assert "药品管理法实施条例-2019-03-02" not in cites.values()


def test_a_repealed_enactment_of_the_same_name_is_not_the_citing_regulation(laws):
    assert resolved(laws, "信访条例-2005-01-10")["《信访条例》"] is None  # 1995年…发布的《信访条例》同时废止
    assert resolved(laws, "企业债券管理条例")["《企业债券管理暂行条例》"] is None


def test_a_name_the_citing_text_gives_a_work_cites_that_work(laws):
    # 第一条: 根据《中华人民共和国计算机信息网络国际联网管理暂行规定》（以下简称《暂行规定》）; later 《暂行规定》第九条
    out = json.loads(run(laws, "refs", "计算机信息网络国际联网管理暂行规定实施办法", "--json").output)
    short = [c for c in out["cites"] if c["as_written"].startswith("《暂行规定》")]
    assert len(short) == 4  # the name in the definition itself is no citation
    assert {c["doc_id"] for c in short} == {"计算机信息网络国际联网管理暂行规定-1997-05-20"}
    [article] = out["article_cites"]
    assert (article["as_written"], article["to_doc"], article["to_label"]) == (
        "《暂行规定》第九条", "计算机信息网络国际联网管理暂行规定-1997-05-20", "第九条")


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_check_takes_the_name_a_draft_gives_a_work_and_only_after_it(laws, tmp_path, script):
    text = ("按照《暂行规定》第三条。根据《中华人民共和国计算机信息网络国际联网管理暂行规定》（以下简称《暂行规定》），"
            "依照《暂行规定》第九条。\n")
    if script == "traditional":
        import opencc

        text = opencc.OpenCC("s2t").convert(text)
    draft = tmp_path / "draft.txt"
    draft.write_text(text, "utf-8")
    first, full, named = json.loads(run(laws, "check", str(draft), "--json").output)["citations"]
    assert first["status"] == "unknown"  # before the text names the work, 《暂行规定》 is no work of the corpus
    assert full["doc_id"] == named["doc_id"] == "计算机信息网络国际联网管理暂行规定-1997-05-20"
    assert (named["status"], named["pinpoint"]["current"]) == ("ok", "第九条")
    assert "the text's name for" in named["message"]


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_check_resolves_by_identity_in_either_script(laws, tmp_path, script):
    draft = tmp_path / "draft.txt"
    import opencc

    draft.write_text(DRAFT if script == "simplified" else opencc.OpenCC("s2t").convert(DRAFT), "utf-8")
    r = run(laws, "check", str(draft), "--json")
    assert r.exit_code == 1
    got = json.loads(r.output)["citations"]
    assert [c["status"] for c in got] == [s for s, _ in EXPECTED]
    for c, (_, doc_id) in zip(got, EXPECTED, strict=True):
        assert c["as_written"].endswith(("条", "條")), c  # the article read with the title, in either script
        if doc_id is None:
            assert c["expected"] is None and "is not in the corpus" in c["message"]
        else:
            assert c["doc_id"] == doc_id
    law = got[0]
    assert [s["doc_id"] for s in law["suggestions"]] == ["劳动合同法实施条例-2008-09-18"]


def test_human_check_offers_a_similar_title_as_a_question(laws, tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("依照《中华人民共和国劳动合同法》第十条执行。\n", "utf-8")
    r = run(laws, "check", str(draft))
    assert r.exit_code == 1
    assert "unknown  《中华人民共和国劳动合同法》第十条" in r.output
    assert "did you mean 《中华人民共和国劳动合同法实施条例》 (劳动合同法实施条例-2008-09-18)? (similar title, not the " \
           "same)" in r.output


def test_resolution_does_not_depend_on_the_order_of_the_documents():
    docs = [d for name in FILES for d in read_documents(LAWS / name, LAWS)]

    def answers(ds):
        index = CitationIndex(ds)
        return sorted((c.doc_id, c.clause, c.start, e.doc.id if e.doc else None) for e in index.entities
                      for c in e.citations)

    assert answers(docs) == answers(list(reversed(docs))) == answers(sorted(docs, key=lambda d: d.title))


@pytest.mark.parametrize("ref", ["专利法实施细则", "中华人民共和国专利法实施细则", "《中华人民共和国专利法实施细则》",
                                 "中華人民共和國專利法實施細則"])
def test_cite_and_versions_take_a_work_named_by_several_versions(laws, ref):
    r = run(laws, "cite", ref, "--json")
    assert r.exit_code == 0, r.output
    m, *others = json.loads(r.output)["matches"]
    assert m["doc_id"] == "专利法实施细则-2023-12-11"
    assert all(not o["in_corpus"] for o in others)  # the 1992 enactment both versions repeal
    assert [v["doc_id"] for v in m["other_versions"]] == ["专利法实施细则-2010-01-09"]
    r = run(laws, "versions", ref, "--json")
    assert r.exit_code == 0, r.output


def test_cite_an_article_in_traditional_numerals(laws):
    r = run(laws, "cite", "《中華人民共和國專利法實施細則》第四十條", "--json")
    assert r.exit_code == 0, r.output
    article = json.loads(r.output)["article"]
    assert article["article"] == "第四十条" and article["doc_id"] == "专利法实施细则-2023-12-11"
