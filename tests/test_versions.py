"""Versions of a regulation (work keys, version dates, grouping) and comparing two versions by article,
on the real regulations of ../shared/real/laws (33 of them in two or three versions)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policysearch.compare.changes import _key, _whole_article, compare
from policysearch.compare.versions import version_list
from policysearch.ingest.pipeline import parse_source, read_documents
from policysearch.ingest.readers import SourceText
from policysearch.ingest.versions import (
    article_label,
    article_number,
    articles,
    assign_versions,
    cn_numeral,
    group_versions,
    history,
    in_force,
    parse_article_ref,
    version_date,
    versions_of,
    work_key,
)
from policysearch.model import Document, shell_safe_id

from ._laws import LAWS, law, version_pairs

pytestmark = pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws is not here")


@pytest.fixture(scope="module")
def all_laws() -> list[Document]:
    docs: list[Document] = []
    for p in sorted(LAWS.glob("*.md")):
        docs.extend(read_documents(p, LAWS))
    return docs


def _stem_title(name: str) -> str:
    return re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", Path(name).stem)


def test_the_33_regulations_in_several_versions_are_found_and_nothing_else(all_laws):
    groups = group_versions(all_laws)
    several = {k: v for k, v in groups.items() if len(v) > 1}
    # the collection names versions by the same title with the version's date: that is the truth here
    expected: dict[str, list[str]] = {}
    for p in sorted(LAWS.glob("*.md")):
        expected.setdefault(_stem_title(p.name), []).append(shell_safe_id(p.stem))
    expected = {k: v for k, v in expected.items() if len(v) > 1}
    assert len(expected) == 33
    found = sorted(sorted(d.id for d in v) for v in several.values())
    assert found == sorted(sorted(v) for v in expected.values())
    for members in several.values():
        dates = [version_date(d) for d in members]
        assert dates == sorted(dates) and len(set(dates)) == len(dates)  # oldest first
        assert len({work_key(d) for d in members}) == 1
    assert [version_date(d) for d in groups["道路运输条例"]] == ["2019-03-02", "2022-03-29", "2023-07-20"]
    assert len(groups) == len([d for d in all_laws if not d.attachment_of]) - 34
    assign_versions(all_laws)
    road = [d for d in all_laws if d.id.startswith("道路运输条例-")]
    assert {d.work for d in road} == {"道路运输条例"} and sorted(d.version for d in road) == [
        "2019-03-02", "2022-03-29", "2023-07-20"]
    assert all(d.work for d in all_laws)


def test_work_key_ignores_revision_notes_dates_and_the_state_prefix():
    [a] = parse_source(SourceText("不动产登记暂行条例(2019-03-24).md", "# 不动产登记暂行条例（2019年修订）\n\n第一条 为了……\n", "md"))
    [b] = parse_source(SourceText("x.md", "# 不动产登记暂行条例\n\n第一条 为了……\n", "md"))
    [c] = parse_source(SourceText("y.md", "# 中华人民共和国不动产登记暂行条例\n\n第一条 为了……\n", "md"))
    assert work_key(a) == work_key(b) == work_key(c) == "不动产登记暂行条例"
    assert version_date(a) == "2019-03-24"


def test_history_of_the_information_block():
    h = history(law("专利法实施细则(2023-12-11).md"))
    assert [(a.date, a.action) for a in h] == [("2001-06-15", "公布"), ("2002-12-28", "修订"),
                                               ("2010-01-09", "修订"), ("2023-12-11", "修订")]
    assert h[0].order == "中华人民共和国国务院令第306号"
    assert h[-1].order == "《国务院关于修改〈中华人民共和国专利法实施细则〉的决定》"


def test_a_renamed_version_is_found_by_its_history(all_laws):
    by_id = {d.id: d for d in all_laws}
    old = by_id["商用密码管理条例-1999-10-07"]
    new = Document.from_dict(by_id["商用密码管理条例-2023-04-27"].to_dict())
    new.title, new.source = "商用密码条例", "商用密码条例.md"  # renamed: only the history links them
    assert work_key(new) != work_key(old)
    assert [d.id for d in versions_of(new, [old, new])] == [old.id, new.id]


def test_regulations_of_one_day_or_one_approval_are_different_works(all_laws):
    by_id = {d.id: d for d in all_laws}
    for x, y in [("民用航空器国籍登记条例-2020-11-29", "民用航空器权利登记条例-1997-10-21"),  # 令第232号 / 第233号
                 ("水路货物运输合同实施细则-2011-01-08", "铁路货物运输合同实施细则-2011-01-08")]:  # 交通部 / 铁道部
        assert len(group_versions([by_id[x], by_id[y]])) == 2


def test_two_works_of_one_name_are_told_apart_by_their_issuers(all_laws):
    """The 实施细则 of 交通部 and of 铁道部, given one name, stay two works, keyed by their issuers; a
    version whose information block names no issuer still joins its work."""
    by_id = {d.id: d for d in all_laws}
    docs = [Document.from_dict(by_id[k].to_dict()) for k in (
        "水路货物运输合同实施细则-2011-01-08", "铁路货物运输合同实施细则-2011-01-08")]
    for d in docs:
        d.title = "货物运输合同实施细则"
    assert work_key(docs[0]) == work_key(docs[1]) == "货物运输合同实施细则"
    groups = group_versions(docs)
    assert sorted(groups) == ["货物运输合同实施细则|交通部", "货物运输合同实施细则|铁道部"]
    assert [d.issuers for d in groups["货物运输合同实施细则|铁道部"]] == [["铁道部"]]
    pay = [by_id[f"保障中小企业款项支付条例-{d}"] for d in ("2020-07-05", "2025-03-17")]
    assert [d.issuers for d in pay] == [[], ["国务院"]]  # the 2020 text has no information block
    assert list(group_versions(pay)) == ["保障中小企业款项支付条例"]


def test_two_notices_of_one_title_and_issuer_are_two_notices():
    text = "国务院办公厅关于做好{y}年政务公开工作的通知\n国办发〔{y}〕{n}号\n一、总体要求\n做好政务公开。\n国务院办公厅\n{y}年3月1日\n"
    docs = [d for y, n in ((2020, 5), (2021, 7)) for d in parse_source(
        SourceText(f"{y}.txt", text.format(y=y, n=n).replace(f"{y}年政务", "年度政务"), "txt"))]
    assert docs[0].title == docs[1].title and docs[0].doc_number != docs[1].doc_number
    assert len(group_versions(docs)) == 2


def test_version_in_force():
    vs = [law(f"道路运输条例({d}).md") for d in ("2019-03-02", "2022-03-29", "2023-07-20")]
    assert in_force(vs, "2022-06-01") is vs[1]
    assert in_force(vs, "2023-07-20") is vs[2]
    assert in_force(vs, None) is vs[2]
    assert in_force(vs, "2010-01-01") is None


def test_article_numbers():
    assert [cn_numeral(n) for n in (1, 10, 12, 20, 101, 110, 120, 1005)] == [
        "一", "十", "十二", "二十", "一百零一", "一百一十", "一百二十", "一千零五"]
    assert article_label((10, 1)) == "第十条之一"
    assert parse_article_ref("第一百零一条之二") == (101, 2)
    assert parse_article_ref("第12条") == (12, 0)


# --- comparing versions by article ----------------------------------------------------------------

@pytest.mark.parametrize("old,new", version_pairs(), ids=lambda n: n[:12])
def test_every_unchanged_article_is_paired_with_its_counterpart(old, new):
    a, b = law(old), law(new)
    c = compare(a, b)
    assert c.by_article
    same_text: dict[str, list[str]] = {}
    for x in articles(b):
        same_text.setdefault(_key(_whole_article(x)), []).append(x.path)
    for x in articles(a):
        key = _key(_whole_article(x))
        if key not in same_text:
            continue
        [p] = [p for p in c.pairs if p.a_clause == x.path and not p.relation]
        assert p.b_clause in same_text[key] and not p.substantive and p.status in ("same", "moved"), x.label
        assert p.renumbered == (p.a_label != p.b_label)
    # every article of each side stands in a pair, and in one at most but for split and merged ones
    for side, arts in (("a_clause", articles(a)), ("b_clause", articles(b))):
        own = [getattr(p, side) for p in c.pairs if p.article and getattr(p, side) and not p.relation]
        assert len(own) == len(set(own))
        assert {getattr(p, side) for p in c.pairs if p.article and getattr(p, side)} == {x.path for x in arts}
    counts = c.article_counts()
    assert sum(counts[k] for k in ("unchanged", "renumbered", "changed", "deleted")) >= len(articles(a))
    # one count whichever side is A (added ↔ deleted, split ↔ merged), and versions says the same as diff
    back = compare(b, a)
    assert back.article_counts() == {**counts, "added": counts["deleted"], "deleted": counts["added"],
                                     "split": counts["merged"], "merged": counts["split"]}
    assert back.summary()["kind"] == c.summary()["kind"]
    assert version_list([a, b])[1]["counts"] == counts


def test_a_hand_checked_pair():
    """长江河道采砂管理条例 2001 → 2023, read by hand: the 砂石资源费 articles (17, 22) are gone; 17 (no trade in
    unlicensed sand) and 20 (its penalty) are new; 16, 18, 19, 24 and 26 were amended in place, 20 and 21
    were amended and moved down one."""
    c = compare(law("长江河道采砂管理条例(2001-10-25).md"), law("长江河道采砂管理条例(2023-07-20).md"))
    arts = [p for p in c.pairs if p.article]
    assert [p.a_label for p in arts if p.status == "removed"] == ["第十七条", "第二十二条"]
    assert [p.b_label for p in arts if p.status == "added"] == ["第十七条", "第二十条"]
    assert [(p.a_label, p.b_label) for p in arts if p.status == "changed"] == [
        ("第十六条", "第十六条"), ("第十八条", "第十八条"), ("第十九条", "第十九条"), ("第二十条", "第二十一条"),
        ("第二十一条", "第二十二条"), ("第二十四条", "第二十四条"), ("第二十六条", "第二十六条")]
    assert c.summary_line() == "articles: 18 unchanged, 0 renumbered, 7 changed, 2 added, 2 deleted"
    [p] = [p for p in arts if p.a_label == "第二十条"]
    assert p.numbers == "第二十条 → 第二十一条" and p.renumbered
    assert ("处1", "责令停靠在指定地点，处3") in [(x.a, x.b) for x in p.substantive]


def test_renumbered_articles_are_same_not_changed():
    """道路运输条例 2022 → 2023 deleted 第六十八条 (carrying the 车辆营运证); the penalties after it moved up one,
    word for word."""
    c = compare(law("道路运输条例(2022-03-29).md"), law("道路运输条例(2023-07-20).md"))
    [gone] = [p for p in c.pairs if p.article and p.status == "removed"]
    assert gone.a_label == "第六十八条" and "车辆营运证" in gone.a_text
    [p] = [p for p in c.pairs if p.a_label == "第七十条"]
    assert (p.status, p.b_label, p.renumbered, p.changes) == ("same", "第六十九条", True, [])
    counts = c.article_counts()
    assert counts["renumbered"] == 12 and counts["deleted"] == 1 and counts["added"] == 0


def test_an_inserted_article_renumbers_the_rest_on_the_ingested_first_chapter():
    """The first chapter of 专利法实施细则 as ingested: 2023 inserted 第十一条 (诚实信用) and 第十六条 (战略)."""
    [a] = read_documents(LAWS / "专利法实施细则(2010-01-09).md", LAWS)
    [b] = read_documents(LAWS / "专利法实施细则(2023-12-11).md", LAWS)
    c = compare(a, b, "第一章", "第一章")
    assert c.by_article
    added = [p.b_label for p in c.pairs if p.article and p.status == "added"]
    assert "第十一条" in added and "第十六条" in added
    [p] = [p for p in c.pairs if p.a_label == "第十三条"]  # 专利法所称发明人或者设计人 …
    assert p.b_label == "第十四条" and p.renumbered and "发明人" in p.b_text
    assert all(not p.renumbered for p in c.pairs if p.article and p.a_label and article_number_le(p.a_label, 10))


def article_number_le(label: str, n: int) -> bool:
    num = parse_article_ref(label)
    return num is not None and num[0] <= n


def test_compare_by_article_pairs_every_article_of_the_longest_regulation():
    """(its speed is bench/bench_versions.py's)"""
    pairs = version_pairs()
    old, new = max(pairs, key=lambda p: len(law(p[1]).text))
    a, b = law(old), law(new)
    c = compare(a, b)
    assert len([p for p in c.pairs if p.article]) >= len(articles(b))


def test_articles_and_numbers():
    d = law("专利法实施细则(2023-12-11).md")
    nums = [article_number(x) for x in articles(d)]
    assert nums[0] == (1, 0) and nums == sorted(nums)


def test_version_list():
    vs = [law(f"道路运输条例({d}).md") for d in ("2023-07-20", "2019-03-02", "2022-03-29")]
    rows = version_list(vs)
    assert [r["version"] for r in rows] == ["2019-03-02", "2022-03-29", "2023-07-20"]
    # the 2019 file's own block stops at 2016; the later versions' blocks name the 2019 amendment
    assert rows[0]["note"].startswith("2019年3月2日 《国务院关于修改部分行政法规的决定》第三次修订")
    assert rows[0]["counts"] is None and rows[1]["against"] == vs[1].id
    c = rows[2]["counts"]
    assert (c["deleted"], c["renumbered"], c["added"]) == (1, 12, 0)
