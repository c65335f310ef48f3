"""Metadata and clause trees of the five seed notices, as extracted from their own text."""

from __future__ import annotations

import pytest


def top_paths(doc):
    return [c.path for c in doc.clauses]


def test_seed_corpus_has_the_documents_and_embedded_attachments(seed_docs):
    assert sorted(seed_docs) == [
        "2013-chengdu-ecommerce-plan", "2013-ndrc-1772", "2013-ndrc-1772-attachment1", "2014-mofcom-767",
        "2014-mofcom-767-att1", "2016-ndrc-1284", "2016-ndrc-1284-att1",
    ]


def test_2013_ndrc_notice(seed_docs):
    d = seed_docs["2013-ndrc-1772"]
    assert d.title == "关于启动第二批国家电子商务示范城市创建工作有关事项的通知"
    assert d.doc_number == "发改高技〔2013〕1772号"
    assert d.issuers == ["国家发展改革委", "财政部", "商务部", "人民银行", "海关总署", "税务总局", "工商总局", "质检总局"]
    assert d.date == "2013-09-13"  # the signature date, not the 11月27日 deadline in the body
    assert (d.programme, d.batch, d.script) == ("国家电子商务示范城市", 2, "simplified")
    assert d.attachments == ["国家电子商务示范城市创建工作方案编制要点", "经济总量百强城市", "网商发展指数百强城市"]
    assert top_paths(d) == ["preamble", "一", "二", "三", "四", "五", "六", "signature"]
    assert [c.path for c in d.clause("二").children] == [f"二/({n})" for n in "一二三四五"]
    assert [c.path for c in d.clause("五/(二)").children] == ["五/(二)/1", "五/(二)/2", "五/(二)/3"]
    assert d.clause("二/(一)").heading == "完善电子商务法规政策环境"
    # placeholders gone, spaced-out names joined
    assert "★" not in d.text and "☆" not in d.text
    assert "人民银行\n海关总署" in d.clause("signature").text


def test_2016_ndrc_notice_from_a_traditional_web_page(seed_docs):
    d = seed_docs["2016-ndrc-1284"]
    # the title as issued, with its seven issuers; the short title from 關於 on; script kept
    assert d.title.startswith("國家發展改革委辦公廳 商務部辦公廳 ") and d.title.endswith("辦公廳關於推動電子商務發展有關工作的通知")
    assert d.short_title == "關於推動電子商務發展有關工作的通知"
    assert d.metadata_source["doc_number"] == "header" and d.metadata_source["issuers"] == "header"
    assert d.doc_number == "发改办高技〔2016〕1284号"
    assert d.issuers[0] == "國家發展改革委辦公廳" and len(d.issuers) == 7
    assert d.date == "2016-05-20"
    assert (d.programme, d.batch, d.script) == ("国家电子商务示范城市", 3, "traditional")
    assert top_paths(d) == ["preamble", "一", "二", "signature"]
    assert [c.path for c in d.clause("一/(一)").children] == [f"一/(一)/{n}" for n in range(1, 6)]
    # breadcrumb, empty fields and site chrome removed
    assert "首頁>" not in d.text and "EnglishFran" not in d.text and "來源: 類型:" not in d.text
    assert "機構設置" not in d.text and "稿件來源" not in d.text


def test_embedded_attachment_is_its_own_document(seed_docs):
    att = seed_docs["2016-ndrc-1284-att1"]
    assert att.attachment_of == "2016-ndrc-1284"
    assert att.title == "國家電子商務示範城市創建工作方案編制要點"
    assert top_paths(att) == ["一", "二", "三", "四", "五", "六"]
    assert "特此通知" not in att.text
    parent = seed_docs["2016-ndrc-1284"]
    assert "編制要點" not in parent.clause("二").text


def test_standalone_attachment_links_to_the_parent_that_lists_it(seed_docs):
    d = seed_docs["2013-ndrc-1772-attachment1"]
    assert d.title == "国家电子商务示范城市创建工作方案编制要点"
    assert d.attachment_of == "2013-ndrc-1772"  # not 2016: that notice embeds its own copy
    assert top_paths(d) == ["一", "二", "三", "四", "五", "六"]
    assert [c.path for c in d.clause("六").children] == ["六/1", "六/2", "六/3"]
    # PDF hard wraps rebuilt: a page-break fragment joins its paragraph
    assert d.clause("三/(三)").text == "（三）城市电子商务发展存在的主要问题及拟采取的应对措施。"
    assert "《关于组织开展国家电子商务示范城市创建工作的指导意见》" in d.clause("一/(一)").text


def test_chengdu_plan_from_one_line(seed_docs):
    d = seed_docs["2013-chengdu-ecommerce-plan"]
    assert d.title == "加快促进成都电子商务健康快速发展实施方案(2013—2015年)"
    assert d.doc_number is None and d.date is None  # the text states neither
    assert d.programme == "国家电子商务示范城市" and d.batch is None
    assert top_paths(d) == ["preamble", "一", "二", "三"]
    assert [c.path for c in d.clause("二").children] == [f"二/({n})" for n in "一二三四五"]
    assert [c.path for c in d.clause("二/(五)/3").children] == [f"二/(五)/3/({n})" for n in range(1, 11)]
    assert d.clause("二/(一)").annotations == {"牵头单位": ["市发改委", "市商务局"]}
    assert d.clause("二/(二)/4").annotations == {"牵头单位": ["市政府效能办", "市政府政务中心"]}


def test_mofcom_markdown_notice(seed_docs):
    d = seed_docs["2014-mofcom-767"]
    # the title carries its issuer; a stray space inside removed; the red-head names the issuer
    assert d.title == "商务部办公厅关于开展第二批国家电子商务示范基地创建工作通知"
    assert d.short_title == "关于开展第二批国家电子商务示范基地创建工作通知"
    assert d.doc_number == "商办电函〔2014〕767号"
    assert d.issuers == ["商务部办公厅"]
    assert (d.programme, d.batch) == ("国家电子商务示范基地", 2)
    assert top_paths(d) == ["preamble", "一", "二", "三", "四", "signature"]
    assert [c.path for c in d.clause("一").children] == [f"一/({n})" for n in "一二三四五"]
    # a line broken inside a word ("创建工作方  \n案") is rejoined; Markdown syntax is gone
    assert "汇总创建工作方案并报商务部" in d.clause("二").text
    assert "#" not in d.text and "**" not in d.text
    att = seed_docs["2014-mofcom-767-att1"]
    assert att.attachment_of == "2014-mofcom-767"
    assert top_paths(att) == ["一", "二", "三", "四"]
    # Markdown heading levels do not decide nesting: (二)创建目标 under 三 although it was a level-2 heading
    assert [c.path for c in att.clause("三").children] == [f"三/({n})" for n in "一二三四五"]
    assert [c.path for c in att.clause("三/(三)").children] == [f"三/(三)/{n}" for n in range(1, 7)]


@pytest.mark.parametrize("doc_id", ["2013-ndrc-1772", "2016-ndrc-1284", "2013-chengdu-ecommerce-plan"])
def test_clause_offsets_point_into_the_display_text(seed_docs, doc_id):
    d = seed_docs[doc_id]
    for c in d.walk():
        assert d.text[c.start:c.start + len(c.text.split("\n")[0])] == c.text.split("\n")[0]


# --- metadata from every kind of source (issue 9, section 2) ---------------------------------------------

from pathlib import Path  # noqa: E402

from policysearch.ingest.pipeline import parse_source, read_documents  # noqa: E402
from policysearch.ingest.readers import SourceText  # noqa: E402
from policysearch.text.dates import iso_date  # noqa: E402
from policysearch.text.docnumber import parse_reference, reference_matches  # noqa: E402

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
needs_real = pytest.mark.skipif(not REAL.exists(), reason="../shared/real is not beside the checkout")

EXPORT = """余姚市人民政府关于印发余姚市农村住房建设管理办法的通知
【法宝引证码】CLI.12.622891
【发布部门】余姚市人民政府
【发文字号】余府发〔2012〕3号
【发布日期】2012.01.09
【实施日期】2012.02.01
【时效性】现行有效
原文链接：http://www.yy.gov.cn/art/2012/1/9/art_1.html

余姚市人民政府关于印发余姚市农村住房建设管理办法的通知
（余府发〔2012〕3号）
各乡镇人民政府、街道办事处，市政府各部门：
现将《余姚市农村住房建设管理办法》印发给你们，请认真贯彻执行。
余姚市人民政府
二○一二年一月九日
（此件公开发布）
余姚市农村住房建设管理办法
第一条　为加强农村住房建设管理，制定本办法。
第二条　本办法自2012年2月1日起施行。
抄送：市委办公室，市人大常委会办公室，市政协办公室。
余姚市人民政府办公室　　2012年1月10日印发
"""


def test_chinese_numeral_dates():
    assert iso_date("二○一二年一月九日") == "2012-01-09"  # ○ is a circle, not 〇
    assert iso_date("二〇一九年十二月三十一日") == "2019-12-31"
    assert iso_date("一九九六年二月五日") == "1996-02-05"
    assert iso_date("2016-5-20") == "2016-05-20" and iso_date("2012.01.09") == "2012-01-09"
    assert iso_date("十三月") is None


def test_database_export_header_and_layout():
    docs = parse_source(SourceText("export.txt", EXPORT, "txt"))
    d = docs[0]
    assert d.title == "余姚市人民政府关于印发余姚市农村住房建设管理办法的通知"
    assert d.short_title == "关于印发余姚市农村住房建设管理办法的通知"
    assert d.doc_number == "余府发〔2012〕3号" and d.issuers == ["余姚市人民政府"]
    assert (d.date, d.published, d.effective) == ("2012-01-09", "2012-01-09", "2012-02-01")
    assert d.url == "http://www.yy.gov.cn/art/2012/1/9/art_1.html"
    assert d.extra["法宝引证码"] == "CLI.12.622891" and d.extra["时效性"] == "现行有效"
    assert d.metadata_source["doc_number"] == "header" and d.metadata_source["date"] == "layout"
    assert d.metadata_source["title"] == "layout"
    # the 版记 is fields, not body text; the title written twice and the number in parentheses are header
    assert d.cc == ["市委办公室", "市人大常委会办公室", "市政协办公室"]
    assert (d.printed_by, d.printed_date) == ("余姚市人民政府办公室", "2012-01-10")
    text = "\n".join(c.text for x in docs for c in x.walk())
    assert "抄送" not in text and "印发\n" not in text and "（余府发" not in text and "法宝引证码" not in text
    assert "（此件公开发布）" in d.clause("signature").text
    assert docs[1].title == "余姚市农村住房建设管理办法" and docs[1].attachment_of == d.id


def test_number_in_parentheses_under_a_title_without_header_fields():
    body = EXPORT.split("\n\n", 1)[1]
    d = parse_source(SourceText("plain.txt", body, "txt"))[0]
    assert d.doc_number == "余府发〔2012〕3号" and d.metadata_source["doc_number"] == "layout"
    assert d.date == "2012-01-09" and d.issuers == ["余姚市人民政府"]
    assert d.metadata_source["issuers"] == "layout"


def test_order_numbers_are_document_numbers():
    full = "中华人民共和国国务院令第656号"
    for ref in ("国务院令第656号", full, "第656号"):
        assert reference_matches(parse_reference(ref), full), ref
    assert not reference_matches(parse_reference("国务院令第657号"), full)
    assert not reference_matches(parse_reference("国办发〔2019〕656号"), full)


@needs_real
def test_law_information_block():
    laws = REAL / "laws"
    d = read_documents(laws / "不动产登记暂行条例(2019-03-24).md", laws)[0]
    assert (d.doc_number, d.date, d.issuers) == ("中华人民共和国国务院令第656号", "2014-11-24", ["国务院"])
    assert d.metadata_source["doc_number"] == "info-block"
    d = read_documents(laws / "个人所得税法实施条例(2018-12-18).md", laws)[0]
    assert d.doc_number == "中华人民共和国国务院令第707号"  # the order that issued this version
    assert (d.date, d.effective) == ("2018-12-18", "2019-01-01")
    assert [(a.date, a.action) for a in d.amendments] == [
        ("1994-01-28", "发布"), ("2005-12-19", "修订"), ("2008-02-18", "修订"), ("2011-07-19", "修订"),
        ("2018-12-18", "修订"), ("2019-01-01", "施行")]
    assert d.amendments[0].order == "中华人民共和国国务院令第142号"
    d = read_documents(laws / "药品行政保护条例(1992-12-19).md", laws)[0]
    assert d.doc_number == "国家医药管理局令第12号" and d.issuers == ["国家医药管理局"]


@needs_real
def test_policy_library_page_table_and_multi_line_title():
    folder = REAL / "govcn-dev"
    d = read_documents(folder / "govcn-04.html", folder)[0]
    assert d.title == "国务院办公厅关于加强三级公立医院绩效考核工作的意见"
    assert d.short_title == "关于加强三级公立医院绩效考核工作的意见"
    assert (d.doc_number, d.issuers, d.date, d.published) == ("国办发〔2019〕4号", ["国务院办公厅"], "2019-01-16",
                                                              "2019-01-30")
    assert d.metadata_source["title"] == "table" and d.metadata_source["published"] == "table"
    assert d.extra["索引号"] == "000014349/2019-00004"
    # without the table, the layout gives the same: a title over three centred lines, the date in numerals
    from policysearch.ingest.readers import read_source

    src = read_source(folder / "govcn-20.html", folder)[0]
    src.fields = {}
    d = parse_source(src)[0]
    assert d.title == "国务院办公厅转发国家地震局关于我国地震重点监视防御区的确定和加强防震减灾工作意见报告的通知"
    assert (d.doc_number, d.issuers, d.date) == ("国办发〔1996〕2号", ["国务院办公厅"], "1996-02-05")
    assert d.metadata_source["title"] == "layout"


OFFICIAL = """国务院办公厅文件
国办发〔2019〕4号
国务院办公厅关于加强
三级公立医院绩效考核工作的意见
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
为进一步深化公立医院改革，现提出以下意见。
一、总体要求
（一）指导思想。
以习近平新时代中国特色社会主义思想为指导。
二、组织实施
各地要加强领导。
附件：三级公立医院绩效考核指标
国务院办公厅
2019年1月16日
（此件公开发布）
附件
三级公立医院绩效考核指标
一级指标\t二级指标
医疗质量\t功能定位
抄送：党中央各部门，全国人大常委会办公厅。
国务院办公厅秘书局　　　2019年1月30日印发"""


def test_official_document_layout_gbt9704():
    docs = parse_source(SourceText("notice.txt", OFFICIAL, "txt"))
    d, att = docs
    # 发文机关标志 and 发文字号 above a title set over two lines
    assert d.title == "国务院办公厅关于加强三级公立医院绩效考核工作的意见"
    assert (d.doc_number, d.issuers, d.date, d.doc_type) == ("国办发〔2019〕4号", ["国务院办公厅"], "2019-01-16", "意见")
    assert all(d.metadata_source[k] == "layout" for k in ("title", "doc_number", "issuers", "date"))
    assert (d.cc, d.printed_by, d.printed_date) == (["党中央各部门", "全国人大常委会办公厅"], "国务院办公厅秘书局", "2019-01-30")
    assert [c.path for c in d.clauses] == ["preamble", "一", "二", "signature"]
    assert d.clause("preamble").text.startswith("各省、自治区")  # 主送 opens the body; the header is not in it
    assert "国务院办公厅文件" not in "\n".join(c.text for c in d.walk())
    # the attachment's table is part of the attachment, and the 版记 is in no clause
    assert att.title == "三级公立医院绩效考核指标" and att.attachment_of == d.id
    assert "医疗质量\t功能定位" in att.clause("preamble").text
    assert not any("抄送" in c.text or "印发" in c.text for x in docs for c in x.walk())


def test_jsonl_row_fields_come_last_and_say_so(tmp_path):
    import json

    rows = [{"title": "2024年政府工作报告", "issuers": ["国务院"], "date": "2024-03-05", "content": "各位代表：\n一、回顾\n过去一年。"},
            {"title": "某通知", "date": "2020-01-01", "content": OFFICIAL}]
    (tmp_path / "rows.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    first, second, _att = read_documents(tmp_path / "rows.jsonl", tmp_path)
    assert (first.title, first.issuers, first.date) == ("2024年政府工作报告", ["国务院"], "2024-03-05")
    assert {first.metadata_source[k] for k in ("title", "issuers", "date")} == {"jsonl"}
    # what the text states comes before the row, except the row's title, which names the record
    assert (second.date, second.metadata_source["date"]) == ("2019-01-16", "layout")
    assert second.published == "2020-01-01" and second.metadata_source["published"] == "jsonl"
    assert second.title == "某通知" and second.doc_number == "国办发〔2019〕4号"


def test_a_crawlers_header_is_metadata_never_body_text(tmp_path):
    """A notice crawled into Markdown: `# title`, then **发布日期**:, **发布机构**:, **原文链接**:, **检索关键词**:,
    **文件编号**: lines.  They become fields (the keywords kept in extra), the notice's own signature still gives
    its issuers, and a search for a keyword finds nothing the notice does not say."""
    import json

    from click.testing import CliRunner

    from policysearch.cli import cli

    root = Path(__file__).resolve().parent.parent
    notice = (root / "corpus" / "2013-ndrc-1772.txt").read_text("utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "sh-03.md").write_text(
        "# 关于启动第二批国家电子商务示范城市创建工作有关事项的通知\n\n**发布日期**: 2013-09-16\n**发布机构**: 国家发展改革委\n"
        "**原文链接**: https://www.ndrc.gov.cn/xxgk/zcfb/tz/201309/t20130916_963939.html\n"
        "**检索关键词**: 人工智能, 电子商务\n**文件编号**: 发改高技〔2013〕1772号\n\n" + notice, "utf-8")
    args = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    [d] = [x for x in json.loads(CliRunner().invoke(cli, [*args, "docs", "--json"]).output) if not x["attachment_of"]]
    assert d["title"] == "关于启动第二批国家电子商务示范城市创建工作有关事项的通知" and d["doc_number"] == "发改高技〔2013〕1772号"
    assert d["url"].startswith("https://www.ndrc.gov.cn/") and d["published"] == "2013-09-16"
    assert d["date"] == "2013-09-13" and len(d["issuers"]) == 8  # the signature's, not the crawler's 发布机构
    out = json.loads(CliRunner().invoke(cli, [*args, "search", "人工智能", "--json"]).output)
    assert out["total"] == 0
    shown = json.loads(CliRunner().invoke(cli, [*args, "show", d["id"], "--json"]).output)
    assert shown["extra"]["检索关键词"] == "人工智能, 电子商务"
    assert not any("发布日期" in c["text"] or "检索关键词" in c["text"] for c in shown["clauses"])
