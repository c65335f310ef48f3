"""The versions features from the command line, on two real versions of a regulation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from policysearch.cli import cli

LAWS = Path(__file__).resolve().parent.parent.parent / "shared" / "real" / "laws"
OLD, NEW = "道路运输条例-2022-03-29", "道路运输条例-2023-07-20"  # ids: the files are 道路运输条例(2022-03-29).md …


def file_of(doc_id: str) -> str:
    name, _, date = doc_id.partition("-")
    return f"{name}({date}).md"


pytestmark = pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws absent")


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("versions")
    (base / "corpus").mkdir()
    for name in (OLD, NEW):
        shutil.copy(LAWS / file_of(name), base / "corpus" / file_of(name))
    return base / "corpus", base / "index"


def run(paths: tuple[Path, Path], *args: str):
    corpus, index = paths
    return CliRunner().invoke(cli, ["--corpus", str(corpus), "--index", str(index), *args])


def test_docs_and_versions_name_the_work(two_versions):
    docs = json.loads(run(two_versions, "docs", "--json").output)
    assert {d["work"] for d in docs} == {"道路运输条例"} and {d["version"] for d in docs} == {"2022-03-29", "2023-07-20"}
    out = json.loads(run(two_versions, "versions", NEW, "--json").output)
    assert [v["version"] for v in out["versions"]] == ["2022-03-29", "2023-07-20"]
    counts = out["versions"][1]["counts"]
    assert counts["renumbered"] >= 10 and counts["changed"] >= 5


def test_latest_filter(two_versions):
    both = json.loads(run(two_versions, "search", '"道路运输经营"', "--json", "--limit", "0").output)
    latest = json.loads(run(two_versions, "search", '"道路运输经营"', "--latest", "--json", "--limit", "0").output)
    assert {h["doc_id"] for h in both["hits"]} == {OLD, NEW}
    assert {h["doc_id"] for h in latest["hits"]} == {NEW} and all(h["version"] == "2023-07-20" for h in latest["hits"])


def test_a_search_that_names_an_article_finds_it_first_in_each_version(two_versions):
    """道路运输条例第十条, 《中华人民共和国道路运输条例》第十条 or the two words 道路运输条例 第十条: the article itself
    first, in each version, the latest first (the words alone are in no one clause); a title that is only a part
    of the document's, or an article it does not have, names nothing."""
    for q in ("道路运输条例第十条", "《中华人民共和国道路运输条例》第十条", "道路运输条例 第十条"):
        out = json.loads(run(two_versions, "search", q, "--json").output)
        assert [(h["doc_id"], h["clause"].rsplit("/", 1)[-1]) for h in out["hits"][:2]] == [
            (NEW, "第十条"), (OLD, "第十条")], q
        assert out["hits"][0]["text"].startswith("第十条") and out["total"] >= 2
    for q in ("运输条例第十条", "道路运输条例第二百条"):  # what the words find, ranked as any search's hits
        out = json.loads(run(two_versions, "search", q, "--json").output)
        assert not out["hits"] or not out["hits"][0]["text"].startswith(("第十条", "第二百条")), q
    latest = json.loads(run(two_versions, "search", "道路运输条例第十条", "--latest", "--json").output)
    assert latest["hits"][0]["doc_id"] == NEW and all(h["doc_id"] == NEW for h in latest["hits"])
    text = run(two_versions, "search", "道路运输条例第十条").output  # the command as a user runs it
    first = text.splitlines()[1].split("\t")
    assert text.splitlines()[0].endswith("clauses match 道路运输条例第十条") and first[:2] == [NEW, "第二章/第一节/第十条"]


def test_diff_writes_a_table_as_docx_and_markdown(two_versions, tmp_path):
    from docx import Document as Docx

    out = tmp_path / "table.docx"
    r = run(two_versions, "diff", OLD, NEW, "--docx", str(out))
    assert r.exit_code == 0, r.output
    doc = Docx(str(out))
    assert doc.sections[0].page_width > doc.sections[0].page_height  # A4 landscape
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert header == ["修订前", "修订后"]
    md = run(two_versions, "diff", OLD, NEW, "--markdown").output
    assert "条文未修改（序号调整）" in md and "| 修订前 | 修订后 |" in md


def test_cite_an_article_and_check_a_draft(two_versions, tmp_path):
    art = json.loads(run(two_versions, "cite", "《道路运输条例》第六十九条", "--json").output)["article"]
    assert art["doc_id"] == NEW and art["article"] == "第六十九条" and art["citation"].endswith("第六十九条")
    assert art["text"].startswith("第六十九条")
    draft = tmp_path / "draft.txt"
    draft.write_text("根据《道路运输条例》第七十条，以及《道路运输条例》第九十九条。\n", "utf-8")
    r = run(two_versions, "check", str(draft), "--date", "2022-06-01", "--json")
    assert r.exit_code == 1
    first, second = json.loads(r.output)["citations"]
    assert first["pinpoint"]["status"] == "renumbered" and first["pinpoint"]["current"] == "第六十九条"
    assert second["pinpoint"]["status"] == "missing"


def test_refs_lists_article_citations_both_ways(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    citing, cited = "建设工程勘察设计管理条例-2017-10-07", "建设工程质量管理条例-2019-04-23"
    for name in (citing, cited):
        shutil.copy(LAWS / file_of(name), corpus / file_of(name))
    paths = (corpus, tmp_path / "index")
    out = json.loads(run(paths, "refs", citing, "--json").output)
    [a] = [a for a in out["article_cites"] if "第六十三条" in a["as_written"]]
    assert a["to_doc"] == cited and a["to_label"] == "第六十三条"
    back = json.loads(run(paths, "refs", cited, "--json").output)
    assert {(b["doc_id"], b["to_label"]) for b in back["article_cited_by"]} >= {(citing, "第六十三条")}
