"""Clause trees of rules and regulations: 编/章/节/条 nest by rank, articles number on, items restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from policysearch.ingest.pipeline import parse_source, read_documents
from policysearch.ingest.readers import SourceText
from policysearch.text.markers import parse_marker, runs_on

LAWS = Path(__file__).resolve().parents[2] / "shared" / "real" / "laws"


def doc_of(text: str, fmt: str = "txt"):
    return parse_source(SourceText("t." + fmt, text, fmt))


def articles(doc):
    return [c for c in doc.walk() if c.kind == "article"]


def test_markers_know_which_kinds_run_on():
    m = parse_marker("第十条之一　国家建立……")
    assert (m.kind, m.number, m.label) == ("article", 10, "第十条之一")
    assert parse_marker("第一百二十三条 本条例自公布之日起施行。").number == 123
    assert parse_marker("第二编 物权").kind == "part"
    assert runs_on("article") and not runs_on("chapter") and not runs_on("paren_cn") and not runs_on("num")


@pytest.mark.skipif(not LAWS.exists(), reason="../shared/real is not beside the checkout")
def test_articles_run_on_across_chapters_in_a_real_regulation():
    d = read_documents(LAWS / "不动产登记暂行条例(2019-03-24).md", LAWS)[0]
    arts = articles(d)
    assert [a.number for a in arts] == list(range(1, len(arts) + 1)) and len(arts) == 35
    eight = d.clause("第二章/第八条")
    assert eight is not None and eight.text.startswith("第八条")
    assert d.clause("第二章").text == "第二章 不动产登记簿"  # the chapter holds its heading only
    # items hang under the article, and 第九条 is not folded into item （四）
    assert [c.label for c in eight.children] == ["(一)", "(二)", "(三)", "(四)"]
    assert "不动产登记簿应当记载以下事项" in eight.text  # its paragraphs (款) stay in the article
    assert all("第九条" not in c.text for c in eight.walk())
    assert d.clause("第二章/第九条").number == 9


def test_articles_run_on_in_one_paragraph_become_clauses_of_their_own():
    """A regulation whose source lost the line breaks between articles (……制定本规则。 第二条 凡……): each article
    is a clause, at its own place in the text, and citing 第五条 finds 第五条's words, not 第一条's."""
    d = read_documents(LAWS / "飞行基本规则(2007-10-18).md", LAWS)[0]
    arts = articles(d)
    assert [a.number for a in arts] == list(range(1, 125))
    two = d.clause("第一章/第二条")
    assert two is not None and two.text == "第二条 凡辖有航空器的单位、个人和与飞行有关的人员及其飞行活动，必须遵守本规则。"
    assert d.text[two.start:two.start + len(two.text)] == two.text
    assert d.clause("第一章/第一条").text.endswith("制定本规则。")
    assert "依法追究刑事责任" in d.clause("第十一章/第一百一十七条").text
    assert "第一百一十八条" not in d.clause("第十一章/第一百一十七条").text


def test_a_chapter_heading_that_closes_a_paragraph_opens_its_chapter():
    """……不得出具虚假的检测数据和检测报告。第三章鉴定、加固和维护 — the heading run on at the end of the last
    paragraph of 第二章: 第三章 is a chapter with its articles under it, and 第十八条 does not end in it."""
    d = read_documents(LAWS / "建设工程抗震管理条例(2021-07-19).md", LAWS)[0]
    assert [c.path for c in d.clauses if c.kind == "chapter"] == [f"第{n}章" for n in "一二三四五六七八"]
    assert d.clause("第三章").text == "第三章鉴定、加固和维护"
    assert d.clause("第三章/第十九条") is not None and d.clause("第二章/第十九条") is None
    assert d.clause("第二章/第十八条").text.endswith("不得出具虚假的检测数据和检测报告。")


def test_a_reference_to_another_article_never_cuts_a_paragraph():
    """Only the next article's number, followed by a space, starts an article inside a paragraph; only the next
    chapter's, after a sentence's end, closes one."""
    [d] = doc_of("某某管理办法\n第一章 总则\n第一条 为了规范管理，制定本办法。\n第二条 有下列情形之一的，适用本办法。"
                 " 第二十条 规定的情形除外。依照本办法。 第三条规定的期限，另行通知。依照本办法第二章规定\n"
                 "第三条 本办法自公布之日起施行。第四章附则")
    ends = ("制定本办法。", "依照本办法第二章规定", "起施行。第四章附则")
    assert [a.label for a in articles(d)] == ["第一条", "第二条", "第三条"]
    assert all(a.text.endswith(e) for a, e in zip(articles(d), ends, strict=True))


def test_article_inserted_as_zhi_yi_items_and_paragraphs():
    d = doc_of("""某某管理条例
第一章　总则
第一条　为了加强管理，制定本条例。
第二条　本条例适用于下列活动：
（一）生产；
（二）经营：
1.批发；
2.零售。
前款所称活动，不包括自用。
第二章　管理
第三条　主管部门负责管理。
第三条之一　国家建立信用制度。
第四条　本条例自公布之日起施行。""")[0]
    assert [(a.label, a.number) for a in articles(d)] == [
        ("第一条", 1), ("第二条", 2), ("第三条", 3), ("第三条之一", 3), ("第四条", 4)]
    two = d.clause("第一章/第二条")
    assert [c.path for c in two.children] == ["第一章/第二条/(一)", "第一章/第二条/(二)"]
    assert [c.path for c in two.children[1].children] == ["第一章/第二条/(二)/1", "第一章/第二条/(二)/2"]
    # the paragraph (款) after the items stays in the article, not in item 2
    assert "前款所称活动" in two.text and "前款" not in two.children[1].children[1].text
    assert d.clause("第二章/第三条之一").kind == "article"


def test_sections_restart_under_each_chapter_and_markdown_chapters():
    d = doc_of("""# 某某条例

## 第一章 总则

第一条 总则条文。

## 第二章 分则

### 第一节 一般规定

第二条 一般规定。

### 第二节 特别规定

第三条 特别规定。

## 第三章 附则

### 第一节 术语

第四条 术语。
""", "md")[0]
    assert [c.path for c in d.walk() if c.kind in ("chapter", "section", "article")] == [
        "第一章", "第一章/第一条", "第二章", "第二章/第一节", "第二章/第一节/第二条", "第二章/第二节",
        "第二章/第二节/第三条", "第三章", "第三章/第一节", "第三章/第一节/第四条"]
    assert "#" not in d.text


def test_item_numbering_restarts_under_a_new_parent():
    d = doc_of("""关于做好某项工作的通知
各部门：
为做好工作，通知如下。
一、总体要求
（一）指导思想。
（二）基本原则。
1.坚持公益。
2.坚持属地。
二、重点任务
（一）加强考核。
1.明确指标。
（二）强化保障。""")[0]
    assert [c.path for c in d.walk() if c.kind][:6] == ["一", "一/(一)", "一/(二)", "一/(二)/1", "一/(二)/2", "二"]
    assert [c.path for c in d.clause("二").walk()] == ["二", "二/(一)", "二/(一)/1", "二/(二)"]


def test_attachments_with_tables_stay_inside_their_attachment():
    docs = doc_of("""某市人民政府关于印发某市住房建设管理办法的通知
某府发〔2012〕3号
各乡镇人民政府：
现将《某市住房建设管理办法》印发给你们，请认真贯彻执行。
附件：1.住房建设申请表
2.住房建设审批表
某市人民政府
2012年1月9日
某市住房建设管理办法
第一条　为加强管理，制定本办法。
第二条　本办法自发布之日起施行。
附件1
住房建设申请表
申请人\t性别\t年龄
家庭住址\t\t
附件2
住房建设审批表
审批意见\t签字""")
    parent, issued, form1, form2 = docs
    assert [d.title for d in docs[1:]] == ["某市住房建设管理办法", "住房建设申请表", "住房建设审批表"]
    assert all(d.attachment_of == parent.id for d in docs[1:])
    assert len({d.id for d in docs}) == 4
    assert [a.label for a in articles(issued)] == ["第一条", "第二条"]
    assert "申请人\t性别\t年龄" in "\n".join(c.text for c in form1.walk())
    assert "审批意见\t签字" in "\n".join(c.text for c in form2.walk())
    assert parent.attachments == ["住房建设申请表", "住房建设审批表"]
    # no table row became a document of its own, and the parent's clauses hold none of the attachments
    assert not any("申请人" in c.text or "第一条" in c.text for c in parent.walk())
