"""Clause-by-clause comparison on the seeds and on constructed pairs."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from rapidfuzz import fuzz

from policysearch.cli import cli
from policysearch.compare.changes import body, compare
from policysearch.ingest.pipeline import parse_source
from policysearch.ingest.readers import SourceText
from policysearch.render.comparison import render_html, render_markdown


def doc(text: str, name: str = "x"):
    return parse_source(SourceText(f"{name}.txt", text, "txt"))[0]


def by_b(comparison):
    return {p.b_clause: p for p in comparison.pairs if p.b_clause}


def test_2013_attachment_against_2016_copy_has_no_substantive_change(seed_docs):
    c = compare(seed_docs["2013-ndrc-1772-attachment1"], seed_docs["2016-ndrc-1284-att1"])
    s = c.summary()
    assert s["kind"]["substantive"] == 0
    assert s["status"]["same"] == len(c.pairs) == 37
    assert s["kind"]["variant"] > 20  # 資訊/信息, 支援/支持 … are reported as variants
    variants = {(ch.a, ch.b) for p in c.pairs for ch in p.changes if ch.kind == "variant"}
    assert ("信息", "資訊") in variants and ("智能物流", "智慧物流") in variants and ("支持", "支援") in variants


def test_2013_and_2016_task_lists_pair_up(seed_docs):
    c = compare(seed_docs["2013-ndrc-1772"], seed_docs["2016-ndrc-1284"])
    pairs = by_b(c)
    for n, cn in enumerate("一二三四五", 1):
        assert pairs[f"一/(一)/{n}"].a_clause == f"二/({cn})"
    assert pairs["一/(一)/5"].status == "same"
    task1 = pairs["一/(一)/1"]
    assert task1.status == "changed"
    deleted = [ch for ch in task1.changes if ch.op == "delete" and ch.kind == "substantive"]
    assert "仓储建设用地、配送车辆管理等" in [ch.a for ch in deleted]
    inserted = "".join(ch.b for ch in task1.substantive)
    assert "支付技術創新應用" in inserted  # shown in B's own script
    assert pairs["一/(二)/1"].a_clause == "三"  # 做好创建工作方案编制
    # the second part (重大工程) is new in 2016
    assert all(pairs[p].status == "added" for p in pairs if p == "二" or p.startswith("二/"))


def test_sections(seed_docs):
    c = compare(seed_docs["2013-ndrc-1772"], seed_docs["2016-ndrc-1284"], "二", "一/(一)")
    assert [(p.a_clause, p.b_clause) for p in c.pairs] == [("二", "一/(一)")] + [
        (f"二/({cn})", f"一/(一)/{n}") for n, cn in enumerate("一二三四五", 1)]


A = """关于测试的通知
一、总体要求
坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。
二、主要任务
（一）加快建设现代化产业体系。推动传统产业转型升级，培育壮大新兴产业。
（二）深化电子商务应用。支持大型骨干企业以供应链协同为重点深化电子商务应用，积极引导中小企业利用第三方平台。
（三）扩大国内需求。推动消费从疫后恢复转向持续扩大，积极扩大有效投资。
三、保障措施
加强组织领导，明确责任分工，确保各项任务落到实处。
"""


def test_moved_clause():
    first = "（一）加快建设现代化产业体系。推动传统产业转型升级，培育壮大新兴产业。\n"
    b = A.replace(first, "").replace("（二）深化", "（一）深化").replace("（三）扩大", "（二）扩大")
    b = b.replace("三、保障措施", first.replace("（一）", "（三）") + "三、保障措施")
    c = compare(doc(A), doc(b))
    moved = [p for p in c.pairs if p.status == "moved"]
    assert len(moved) == 1 and moved[0].a_clause == "二/(一)" and moved[0].b_clause == "二/(三)"
    assert not any(p.status in ("added", "removed") for p in c.pairs)


def test_split_clause():
    b = A.replace("（三）扩大国内需求。推动消费从疫后恢复转向持续扩大，积极扩大有效投资。",
                  "（三）扩大国内需求。推动消费从疫后恢复转向持续扩大。\n（四）积极扩大有效投资，发挥政府投资带动作用。")
    c = compare(doc(A), doc(b))
    split = [p for p in c.pairs if p.relation == "split"]
    assert [(p.a_clause, p.b_clause) for p in split] == [("二/(三)", "二/(四)")]


def test_pure_script_change_is_same():
    import opencc

    trad = opencc.OpenCC("s2t").convert(A).replace("支持", "支援")
    c = compare(doc(A), doc(trad))
    assert c.summary()["kind"]["substantive"] == 0
    assert all(p.status == "same" for p in c.pairs)
    assert any(ch.kind == "variant" and ch.b == "支援" for p in c.pairs for ch in p.changes)


def test_renumbered_list_is_format_only():
    b = A.replace("（一）", "1、").replace("（二）", "2、").replace("（三）", "3、")
    c = compare(doc(A), doc(b))
    assert all(p.status == "same" for p in c.pairs)
    labels = [ch for p in c.pairs for ch in p.changes]
    assert {(ch.a, ch.b, ch.kind) for ch in labels} == {("（一）", "1、", "format"), ("（二）", "2、", "format"),
                                                     ("（三）", "3、", "format")}


def test_punctuation_only_change_is_format():
    b = A.replace("培育壮大新兴产业。", "培育壮大新兴产业；")
    c = compare(doc(A), doc(b))
    p = by_b(c)["二/(一)"]
    assert p.status == "same" and [ch.kind for ch in p.changes] == ["format"]


def test_scorer_choice_for_unsegmented_chinese():
    """token_* scorers split on spaces: a Chinese clause is one token, so they add nothing over
    ratio (token_sort) or call a short clause identical to any clause containing it (token_set /
    partial).  ratio measures the whole text, which is what pairing needs."""
    a = "支持大型骨干企业以供应链协同为重点深化电子商务应用"
    b = "支持大型骨干企业以供应链协同为重点发展电子商务"
    assert fuzz.token_sort_ratio(a, b) == fuzz.ratio(a, b)
    assert fuzz.token_set_ratio(a, b) == fuzz.ratio(a, b)
    short = "深化电子商务应用"
    assert fuzz.partial_ratio(short, a) == 100
    assert fuzz.ratio(short, a) < 55  # ratio does not pair a fragment with a whole clause


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.found = [], {"del": [], "ins": []}

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] in self.found:
            self.found[self.stack[-1]].append(data)


def test_html_redline(seed_docs):
    c = compare(seed_docs["2013-ndrc-1772"], seed_docs["2016-ndrc-1284"], "二", "一/(一)")
    page = render_html(c)
    assert page.startswith("<!DOCTYPE html>") and "text-decoration:line-through" in page
    parser = _Tags()
    parser.feed(page)
    assert "仓储建设用地、配送车辆管理等" in parser.found["del"]
    assert any("支付技術創新應用" in t for t in parser.found["ins"])
    assert "<script" not in page and "http" not in page  # self-contained


def test_markdown(seed_docs):
    c = compare(seed_docs["2013-ndrc-1772"], seed_docs["2016-ndrc-1284"], "二", "一/(一)")
    md = render_markdown(c, changed_only=True)
    assert "~~仓储建设用地、配送车辆管理等~~" in md
    assert "一/(一)/5" not in md  # same pairs hidden


def test_cli_json_and_html(seed_index, tmp_path):
    out = tmp_path / "redline.html"
    r = CliRunner().invoke(cli, ["--corpus", str(seed_index.corpus), "--index", str(seed_index.index), "diff",
                                 "发改高技[2013]1772号", "發改辦高技〔2016〕1284號", "--json", "--html", str(out)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["a"]["doc_id"] == "2013-ndrc-1772" and data["b"]["doc_id"] == "2016-ndrc-1284"
    assert set(data["pairs"][0]) >= {"a_clause", "b_clause", "a_text", "b_text", "status", "similarity", "changes"}
    assert data["summary"]["status"]["added"] > 0
    assert all(ch["kind"] == "substantive" for p in data["pairs"] for ch in p["changes"])  # variants hidden
    assert out.read_text("utf-8").count("<del>") > 5


def test_cli_unknown_section_is_one_line(seed_index):
    r = CliRunner().invoke(cli, ["--corpus", str(seed_index.corpus), "--index", str(seed_index.index), "diff",
                                 "1772号", "1284号", "--section-a", "九"])
    assert r.exit_code == 2 and "has no clause '九'" in r.output


@pytest.mark.parametrize("label", ["（一）", "1、", "①"])
def test_body_strips_the_label(label):
    d = doc(f"关于测试的通知\n一、总体\n{label}坚持稳中求进。\n")
    assert body(list(d.walk())[-1]) == "坚持稳中求进。"


def test_character_level_inside_a_word():
    from policysearch.compare.changes import diff_texts
    from policysearch.text.normalise import norm
    from policysearch.text.segment import words

    # jieba keeps 示范城市 and 示范基地 whole (policy terms of the user dictionary) …
    assert words(norm("建设示范城市。")) == ["建设", "示范城市"]
    assert words(norm("建設示範基地。", traditional=True)) == ["建设", "示范基地"]
    segs = diff_texts("建设示范城市。", "建設示範基地。", a_traditional=False, b_traditional=True)
    changes = [(s.op, s.a, s.b) for s in segs if s.op != "equal"]
    assert changes == [("replace", "城市", "基地")]  # … but only 城市 → 基地 changed, shown in B's script
    assert "".join(s.b for s in segs) == "建設示範基地。"
