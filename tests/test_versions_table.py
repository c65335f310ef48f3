"""The 新旧对照 table of two versions of a real regulation: rows, Word (A4 landscape), HTML, Markdown."""

from __future__ import annotations

import pytest

from policysearch.compare.changes import compare
from policysearch.model import PREAMBLE
from policysearch.render.versions_table import table_rows, to_docx, to_html, to_markdown

from ._laws import LAWS, law

pytestmark = pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws is not here")


@pytest.fixture(scope="module")
def comparison():
    return compare(law("长江河道采砂管理条例(2001-10-25).md"), law("长江河道采砂管理条例(2023-07-20).md"))


def test_rows_collapse_unchanged_articles(comparison):
    rows = table_rows(comparison)
    collapsed = [r for r in rows if r.status == "collapsed"]
    assert collapsed[0].text("left").startswith("第一条至第十五条") and len(collapsed[0].pairs) >= 15
    # every article pair is in exactly one row
    shown = [p for r in rows for p in r.pairs if p.article]
    assert len(shown) == len([p for p in comparison.pairs if p.article])
    added = [r for r in rows if r.status == "added"]
    assert [r.text("right").split(" ")[0] for r in added] == ["第十七条", "第二十条"]
    assert all(r.left == [] for r in added)
    assert all(r.right == [] for r in rows if r.status == "removed")
    changed = next(r for r in rows if r.pairs[0].a_label == "第二十条")
    assert ("在禁采期内", "del") in changed.left and ("集中", "ins") in changed.right
    assert changed.text("right").startswith("第二十一条 ")


def test_all_shows_one_row_per_pair(comparison):
    rows = table_rows(comparison, all=True)
    pairs = [p for p in comparison.pairs if p.a_clause != PREAMBLE and p.b_clause != PREAMBLE]
    assert len(rows) == len(pairs) and all(len(r.pairs) == 1 for r in rows)


def test_docx_opens_is_a4_landscape_and_marks_the_words(comparison, tmp_path):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    path = to_docx(comparison, tmp_path / "table.docx")
    d = docx.Document(str(path))
    sec = d.sections[0]
    assert sec.orientation == WD_ORIENT.LANDSCAPE
    assert abs(sec.page_width - Mm(297)) < Mm(1) and abs(sec.page_height - Mm(210)) < Mm(1)
    [table] = d.tables
    rows = table_rows(comparison)
    assert len(table.rows) == 1 + len(rows)
    assert [c.text for c in table.rows[0].cells] == ["修订前", "修订后"]
    for tr, row in zip(table.rows[1:], rows, strict=True):
        assert tr.cells[0].text.replace("\n", "") == row.text("left").replace("\n", "")
        assert tr.cells[1].text.replace("\n", "") == row.text("right").replace("\n", "")
    k = 1 + next(i for i, r in enumerate(rows) if r.pairs[0].a_label == "第二十条")
    left, right = table.rows[k].cells
    struck = [r.text for p in left.paragraphs for r in p.runs if r.font.strike]
    marked = [r.text for p in right.paragraphs for r in p.runs if r.font.underline and r.bold]
    assert "在禁采期内" in struck and "集中" in marked
    assert not any(r.font.strike for p in right.paragraphs for r in p.runs)
    removed = 1 + next(i for i, r in enumerate(rows) if r.status == "removed")
    assert table.rows[removed].cells[1].text == ""
    d_all = docx.Document(str(to_docx(comparison, tmp_path / "all.docx", all=True)))
    assert len(d_all.tables[0].rows) == 1 + len(table_rows(comparison, all=True))


def test_html_and_markdown(comparison):
    page = to_html(comparison)
    assert "size:A4 landscape" in page and "<th>修订前</th><th>修订后</th>" in page
    assert "<del>在禁采期内</del>" in page and "<ins>集中</ins>" in page
    md = to_markdown(comparison)
    assert "| 修订前 | 修订后 |" in md and "~~在禁采期内~~" in md and "**<u>集中</u>**" in md
    assert "articles: 18 unchanged, 0 renumbered, 7 changed, 2 added, 2 deleted" in md
    lines = [ln for ln in md.splitlines() if ln.startswith("| ") and "修订前" not in ln]
    assert len(lines) == len(table_rows(comparison))
    assert all(ln.count(" | ") == 1 for ln in lines)  # no stray column separators from the text


def test_a_collapsed_range_names_its_first_and_last_article():
    """On every pair of versions of the real regulations: a run of unchanged articles is labelled by its first and
    last article (第一条至第八条), never by a chapter heading it also holds (第一章至第二章, 第二十七条至第四章)."""
    import re

    from ._laws import version_pairs

    checked = 0
    for old, new in version_pairs():
        for row in table_rows(compare(law(old), law(new))):
            if row.status != "collapsed" or not any(p.article for p in row.pairs):
                continue
            label = row.text("left").split(" ")[0]
            assert re.fullmatch(r"第[^章节]+条(之[^章节]+)?(至第[^章节]+条(之[^章节]+)?)?", label), (old, label)
            first = next(p.a_label for p in row.pairs if p.article and p.a_label)
            assert label.startswith(first), (old, label, first)
            checked += 1
    assert checked > 30
