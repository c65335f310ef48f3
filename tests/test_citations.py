"""Citations: extraction, resolution to entities, the forms to paste, and checking a draft."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from policysearch.cite.citations import CitationIndex, clause_reference, format_citation
from policysearch.cli import cli
from policysearch.ingest.citations import extract
from policysearch.text.docnumber import parse_doc_number
from policysearch.text.titles import same_title


@pytest.fixture(scope="module")
def index(seed_docs):
    return CitationIndex(list(seed_docs.values()))


def test_894_is_cited_by_four_notices_though_not_in_the_corpus(index):
    [e] = index.find("894号")
    assert e.doc_number == "发改办高技〔2013〕894号" and not e.in_corpus
    assert {(c.doc_id, c.clause) for c in e.citations} == {
        ("2013-chengdu-ecommerce-plan", "preamble"), ("2013-ndrc-1772", "preamble"),
        ("2013-ndrc-1772-attachment1", "四/(一)"), ("2016-ndrc-1284-att1", "四/(一)")}
    assert index.find("發改辦高技〔2013〕894號") == [e] == index.find("发改办高技[2013]894号")


def test_issuer_prefix_outside_the_book_title(index):
    c = next(c for c in index.citations if c.doc_id == "2013-chengdu-ecommerce-plan" and c.doc_number)
    assert c.issuers_prefix == "国家发展改革委、商务部等十三部委"
    assert c.as_written.startswith("国家发展改革委、商务部等十三部委《关于进一步促进")


def test_1772_is_the_2013_notice_and_its_citation(index):
    [e] = index.find("1772号")
    assert e.in_corpus and e.doc.id == "2013-ndrc-1772"
    assert format_citation(e) == "《关于启动第二批国家电子商务示范城市创建工作有关事项的通知》（发改高技〔2013〕1772号）"
    assert format_citation(e, clause="二/(一)").endswith("（发改高技〔2013〕1772号）第二部分第（一）项")


def test_gbt7714_entry(index):
    [e] = index.find("1772号")
    assert format_citation(e, style="gbt7714") == (
        "国家发展改革委, 财政部, 商务部, 等. 关于启动第二批国家电子商务示范城市创建工作有关事项的通知: "
        "发改高技〔2013〕1772号[A]. 2013-09-13.")
    e.doc.url = "https://www.ndrc.gov.cn/x.html"
    try:
        from policysearch.cite.citations import format_gbt7714

        assert format_gbt7714(e, accessed="2026-11-22").endswith(
            "发改高技〔2013〕1772号[A/OL]. (2013-09-13)[2026-11-22]. https://www.ndrc.gov.cn/x.html.")
    finally:
        e.doc.url = None


def test_a_title_cited_without_its_number_joins_only_the_same_title(index):
    """463号 is cited as 《关于组织开展…的指导意见》; the seeds also cite 《关于开展…的指导意见》 without a number.  A
    close title is not the same title: it is not merged into 463号 (a wrong answer is worse than none)."""
    [e] = index.find("463号")
    assert set(e.titles) == {"关于组织开展国家电子商务示范城市创建工作的指导意见", "關於組織開展國家電子商務示範城市創建工作的指導意見"}
    assert [(c.doc_id, c.clause) for c in e.citations] == [("2013-ndrc-1772-attachment1", "一/(一)"),
                                                          ("2016-ndrc-1284-att1", "一/(一)")]
    assert not e.conflicts
    [other] = index.find("关于开展国家电子商务示范城市创建工作的指导意见")
    assert other is not e and not other.in_corpus and len(other.citations) == 2


def test_a_substituted_word_is_another_document():
    assert same_title("关于组织开展国家电子商务示范城市创建工作的指导意见", "关于开展国家电子商务示范城市创建工作的指导意见")
    assert not same_title("关于开展国家电子商务示范城市创建工作的指导意见", "关于开展国家电子商务示范基地创建工作的指导意见")


def test_traditional_citation(index):
    [e] = index.find("国发〔2015〕24号")
    assert [(c.doc_id, c.clause) for c in e.citations] == [("2016-ndrc-1284", "preamble")]
    assert e.titles.most_common(1)[0][0] == "國務院關於大力發展電子商務加快培育經濟新動力的意見"
    assert format_citation(e) == "《国务院关于大力发展电子商务加快培育经济新动力的意见》（国发〔2015〕24号）"


@pytest.mark.parametrize("written", ["发改高技〔2013〕1772号", "发改高技[2013]1772号", "发改高技［2013］1772号",
                                     "發改高技〔2013〕1772號", "发改高技 〔 2013 〕 1772 号", "发改高技〔２０１３〕１７７２号",
                                     "发改高技(2013)1772号", "发改高技〔2013〕01772号"])
def test_number_variants(written):
    assert parse_doc_number(written) == "发改高技〔2013〕1772号"


def test_conflicts_are_reported(seed_docs):
    from policysearch.ingest.pipeline import parse_source
    from policysearch.ingest.readers import SourceText

    extra = parse_source(SourceText("x.txt", "关于测试的通知\n一、要求\n按照《关于推进物联网有序健康发展的指导意见》（发改高技〔2013〕1772号）执行。\n",
                                    "txt"))
    index = CitationIndex(list(seed_docs.values()) + extra)
    [e] = index.find("1772号")
    assert e.conflicts and "different titles" in e.conflicts[0]


def test_clause_reference():
    assert clause_reference("二/(一)") == "第二部分第（一）项"
    assert clause_reference("二/(一)/1") == "第二部分第（一）项第1点"
    assert clause_reference("第三条") == "第三条"


DRAFT = """关于做好电子商务示范城市工作的通知（征求意见稿）
一、根据《关于启动第二批国家电子商务示范城市创建工作有关事项的通知》（发改高技〔2013〕1772号），制定本通知。
二、按照《关于进一步促进电子商务健康快速发展有关工作的通知》（发改办高技〔2013〕1772号）要求。
三、落实《关于推动电子商务发展有关工作的通知》（发改办高技〔2016〕1283号）部署。
四、参照《关于促进低空经济发展的若干意见》（发改高技〔2024〕100号）。
"""


def test_check_a_draft(index):
    results = index.check(DRAFT)
    assert [r["status"] for r in results] == ["ok", "mismatch", "mismatch", "unknown"]
    assert "is 发改办高技〔2013〕894号, not 发改办高技〔2013〕1772号" in results[1]["message"]
    assert results[1]["expected"] == "《关于进一步促进电子商务健康快速发展有关工作的通知》（发改办高技〔2013〕894号）"
    assert results[2]["expected"] == "《关于推动电子商务发展有关工作的通知》（发改办高技〔2016〕1284号）"


def test_check_command(seed_index, tmp_path):
    import docx

    d = docx.Document()
    for line in DRAFT.splitlines():
        d.add_paragraph(line)
    d.save(tmp_path / "draft.docx")
    args = ["--corpus", str(seed_index.corpus), "--index", str(seed_index.index)]
    r = CliRunner().invoke(cli, [*args, "check", str(tmp_path / "draft.docx"), "--json"])
    assert r.exit_code == 1  # problems found
    out = json.loads(r.output)
    assert [c["status"] for c in out["citations"]] == ["ok", "mismatch", "mismatch", "unknown"]
    (tmp_path / "good.md").write_text(DRAFT.splitlines()[1] + "\n", "utf-8")
    r = CliRunner().invoke(cli, [*args, "check", str(tmp_path / "good.md")])
    assert r.exit_code == 0 and "1 citation, 0 problems" in r.output


def test_cite_and_refs_commands(seed_index):
    args = ["--corpus", str(seed_index.corpus), "--index", str(seed_index.index)]
    out = json.loads(CliRunner().invoke(cli, [*args, "cite", "894号", "--json"]).output)
    [m] = out["matches"]
    assert m["in_corpus"] is False and len(m["cited_by"]) == 4
    assert set(m) >= {"doc_number", "title", "titles_as_written", "in_corpus", "doc_id", "cited_by", "citation"}
    out = json.loads(CliRunner().invoke(cli, [*args, "refs", "1284号", "--json"]).output)
    assert {c["doc_number"] for c in out["cites"]} == {"国发〔2015〕24号", "发改投资〔2015〕2463号"}
    r = CliRunner().invoke(cli, [*args, "cite", "不存在的文件"])
    assert r.exit_code == 2 and "nothing in the corpus" in r.output


def test_extract_bare_numbers_and_ignores_non_documents():
    cs = extract("依据国办发〔2020〕5号文件精神，阅读《人民日报》社论。")
    assert [(c.doc_number, c.title) for c in cs] == [("国办发〔2020〕5号", None)]
