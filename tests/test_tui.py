"""Pilot tests: drive each screen as a user would and check widget state and posted messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select, Static, Switch, Tree

from policysearch.tui.app import make_app
from policysearch.tui.screens.cite import CiteScreen
from policysearch.tui.screens.compare import CompareScreen, PairRow, TableRow
from policysearch.tui.screens.document import ClauseBlock, DocumentScreen
from policysearch.tui.screens.search import SearchScreen
from policysearch.tui.widgets.results import ResultList


async def settle(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def type_query(app, pilot, text):
    await pilot.press(*text)
    await pilot.pause(0.15)  # the debounce
    await settle(app, pilot)


def wrong_number_draft(tmp_path: Path) -> Path:
    """A draft citing the 2016 notice under a wrong number (1283号 for 1284号)."""
    draft = tmp_path / "draft.md"
    draft.write_text("按照《关于推动电子商务发展有关工作的通知》（发改办高技〔2016〕1283号）执行。\n", "utf-8")
    return draft


def static_text(widget: Static) -> str:
    return str(widget.render())


@pytest.mark.asyncio
async def test_type_a_query_and_open_a_result_in_the_reader(seed_index):
    seen = []
    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(120, 36), message_hook=seen.append) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen)
        await type_query(app, pilot, "智能物流")
        results = app.screen.query_one(ResultList)
        assert len(results.hits) == 6
        assert {h.doc_id for h in results.hits} >= {"2013-ndrc-1772", "2016-ndrc-1284"}
        assert "6 clauses match" in static_text(app.screen.query_one("#status", Static))
        preview = static_text(app.screen.query_one("#preview-text", Static))
        assert "智能物流" in preview and "引用" in preview
        # the traditional hit's snippet keeps its own script, highlighted
        trad = next(h for h in results.hits if h.doc_id == "2016-ndrc-1284")
        assert "智慧物流" in [trad.snippet[s:e] for s, e in trad.snippet_spans]
        await pilot.press("enter")  # to the results
        assert app.focused is results
        index = [i for i, h in enumerate(results.hits) if h.doc_id == "2016-ndrc-1284"][0]
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DocumentScreen)
        assert app.screen.current_clause == results.hits[index].clause
        chosen = [m for m in seen if isinstance(m, ResultList.HitChosen)]
        assert chosen and chosen[-1].hit.doc_id == "2016-ndrc-1284"
        reader = app.screen
        assert reader.match_pos == 0 and reader.matches[0][0] == reader.current  # on the first match, lit
        assert len(reader.matches) > 2
        await pilot.press("n")
        await pilot.pause()
        assert reader.match_pos == 1  # the clause has 智慧物流 twice: the second one
        await pilot.press("n")
        await pilot.pause()
        assert reader.match_pos == 2 and reader.current == reader.matches[2][0]
        await pilot.press("N")
        await pilot.pause()
        assert reader.match_pos == 1
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)


@pytest.mark.asyncio
async def test_filters_and_bad_queries(seed_index):
    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "电子商务")
        results = app.screen.query_one(ResultList)
        assert len(results.hits) == 50 and app.screen.total > 50
        results.focus()
        await pilot.press("end")  # the last hit loads the next page
        await settle(app, pilot)
        assert len(results.hits) == min(100, app.screen.total)
        assert results.highlighted == 49
        everything = app.screen.total
        app.screen.query_one("#batch-filter", Select).value = "3"
        await pilot.pause(0.15)
        await settle(app, pilot)
        hits = app.screen.query_one(ResultList).hits
        assert 0 < app.screen.total < everything and {h.doc_id for h in hits} <= {"2016-ndrc-1284", "2016-ndrc-1284-att1"}
        await pilot.press("escape")
        await type_query(app, pilot, '"物流')
        assert "unbalanced quote" in static_text(app.screen.query_one("#status", Static))


@pytest.mark.asyncio
async def test_compare_2013_and_2016_and_step_through_changes(seed_index, tmp_path, monkeypatch):
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")  # exports never land in the current directory (a git checkout, say)
    monkeypatch.setenv("POLICYSEARCH_EXPORTS", str(tmp_path / "exports"))
    seen = []
    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(120, 36), message_hook=seen.append) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, CompareScreen)
        app.open_compare("2013-ndrc-1772", "2016-ndrc-1284", "二", "一/(一)")
        await settle(app, pilot)
        assert [m for m in seen if isinstance(m, CompareScreen.Compared)]
        assert app.focused is app.screen.query_one("#pairs")  # the compare keys act, and the footer shows them
        assert {"n", "p", "t", "v", "u"} <= set(app.screen.active_bindings)
        rows = list(app.screen.query(PairRow))
        assert [(r.pair.a_clause, r.pair.b_clause) for r in rows][1:] == [
            (f"二/({cn})", f"一/(一)/{n}") for n, cn in enumerate("一二三四五", 1)]
        assert rows[-1].pair.status == "same"
        await pilot.press("n")
        assert app.screen.current == 0 and rows[0].has_class("current")
        await pilot.press("n")
        assert app.screen.current == 1
        await pilot.press("p")
        assert app.screen.current == 0
        await pilot.press("u")  # hide unchanged pairs
        await settle(app, pilot)
        assert all(r.pair.status != "same" for r in app.screen.query(PairRow))
        await pilot.press("v")
        await settle(app, pilot)
        assert app.screen.show_variants
        await pilot.press("ctrl+e")
        await pilot.pause()
        page = (tmp_path / "exports" / "compare-2013-ndrc-1772-2016-ndrc-1284.html").read_text("utf-8")
        assert "<del>仓储建设用地、配送车辆管理等</del>" in page
        assert any(str(tmp_path / "exports") in str(n.message) for n in app._notifications)  # says where
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert (tmp_path / "exports" / "compare-2013-ndrc-1772-2016-ndrc-1284.md").exists()
        assert not list((tmp_path / "cwd").iterdir())


@pytest.mark.asyncio
async def test_cite_a_clause_copy_and_check_a_draft(seed_index, tmp_path):
    draft = wrong_number_draft(tmp_path)
    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "仓储建设用地")
        results = app.screen.query_one(ResultList)
        index = next(i for i, h in enumerate(results.hits) if h.doc_id == "2013-ndrc-1772")
        results.highlighted = index
        await pilot.pause()
        assert results.hits[index].clause == "二/(一)"
        await pilot.press("ctrl+y")  # cite the clause
        await settle(app, pilot)
        assert isinstance(app.screen, CiteScreen)
        expected = "《关于启动第二批国家电子商务示范城市创建工作有关事项的通知》（发改高技〔2013〕1772号）第二部分第（一）项"
        assert static_text(app.screen.query_one("#cite-9704", Static)) == expected
        await pilot.press("ctrl+y")
        assert app.clipboard == expected
        await pilot.press("ctrl+g")
        assert app.clipboard.startswith("国家发展改革委, 财政部, 商务部, 等. 关于启动第二批")
        assert "[A]" in app.clipboard and static_text(app.screen.query_one("#cite-7714", Static)) == app.clipboard
        # look up a document that is cited but not in the corpus
        lookup = app.screen.query_one("#lookup", Input)
        lookup.focus()
        lookup.value = "894号"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_one("#cited-by", OptionList).option_count == 4
        # open a citing clause in the reader
        cited_by = app.screen.query_one("#cited-by", OptionList)
        cited_by.focus()
        cited_by.highlighted = 0
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DocumentScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        app.screen.query_one("#lookup", Input).focus()
        await pilot.press("ctrl+k")  # from a text field too: the field does not take the key for itself
        field = app.screen.query_one("#draft", Input)
        assert app.focused is field
        await pilot.press(*str(draft))
        assert app.screen.query_one("#lookup", Input).value == "894号"  # the path went where the user meant it
        assert field.value == str(draft)
        await pilot.press("enter")
        await settle(app, pilot)
        out = static_text(app.screen.query_one("#draft-results", Static))
        assert "mismatch" in out and "1284号" in out


@pytest.mark.asyncio
async def test_help_and_command_palette(seed_index):
    from textual.widgets import HelpPanel

    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r", "question_mark")
        await pilot.pause()
        assert app.screen.query(HelpPanel)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(HelpPanel)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open 1284")
        from textual.command import CommandList

        for _ in range(100):  # the palette searches asynchronously; wait for its list to settle
            await pilot.pause(0.1)
            found = app.screen.query(CommandList)
            if found and found.first().option_count:
                commands = found.first()
                texts = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
                if any(t.startswith("Open 2016-ndrc-1284 ") for t in texts):
                    commands.highlighted = next(i for i, t in enumerate(texts) if t.startswith("Open 2016-ndrc-1284 "))
                    break
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.doc_id.startswith("2016-ndrc-1284")


@pytest.mark.asyncio
async def test_builds_a_missing_index_in_a_worker(tmp_corpus):
    app = make_app(tmp_corpus, blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.ready and (tmp_corpus.index / "CURRENT").exists()
        await type_query(app, pilot, "最后一公里")
        assert len(app.screen.query_one(ResultList).hits) == 3


async def test_keys_can_be_remapped_by_binding_id(seed_index, tmp_path, monkeypatch):
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('"app.compare" = "f9"\n', "utf-8")
    monkeypatch.setenv("POLICYSEARCH_KEYMAP", str(keymap))
    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        assert isinstance(app.screen, CompareScreen)


@pytest.mark.asyncio
async def test_the_cite_screen_looks_up_in_a_worker(seed_index):
    """Looking up a citation reads the store in a worker, never on the UI thread (it used to build an index
    there at the first use, about a second at 88 documents). How fast it answers is bench_scale's business."""
    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.switch_mode("cite")
        await settle(app, pilot)
        app.open_cite(None, None, "1284号")
        # the call returned without the answer: the look-up was handed to a worker of the screen
        assert "1284" not in static_text(app.screen.query_one("#cite-9704", Static))
        assert [w for w in app.screen.workers if w.group == "cite"]
        await settle(app, pilot)
        assert "发改办高技〔2016〕1284号" in static_text(app.screen.query_one("#cite-9704", Static))


LAWS = Path(__file__).resolve().parent.parent.parent / "shared" / "real" / "laws"


@pytest.mark.asyncio
@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws absent")
async def test_versions_in_the_compare_table_and_the_latest_switch(tmp_path):
    """Two versions of a regulation: the compare screen offers them, shows the 新旧对照 table with renumbered
    articles as unchanged, and search's latest switch keeps only the newer version's hits."""
    from policysearch.config import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("道路运输条例(2022-03-29).md", "道路运输条例(2023-07-20).md"):
        shutil.copy(LAWS / name, corpus / name)
    settings = Settings(corpus, tmp_path / "index")
    app = make_app(settings, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, '"道路运输经营"')
        both = {h.doc_id for h in app.screen.query_one(ResultList).hits}
        assert len(both) == 2
        app.screen.query_one("#latest-switch", Switch).value = True
        await pilot.pause(0.15)
        await settle(app, pilot)
        latest = {h.doc_id for h in app.screen.query_one(ResultList).hits}
        assert latest == {d for d in both if "2023" in d}
        a, b = sorted(both)
        app.open_compare(a, b)
        await settle(app, pilot)
        assert isinstance(app.screen, CompareScreen)
        summary = static_text(app.screen.query_one("#compare-summary", Static))
        assert "renumbered" in summary
        await pilot.press("t")
        await settle(app, pilot)
        rows = list(app.screen.query(TableRow))
        assert rows[0].row.text("left") == "修订前" and rows[0].row.text("right") == "修订后"
        changed = [r.row for r in rows if r.row.status == "changed"]
        assert changed and all({s for _, s in row.left} & {"del"} or {s for _, s in row.right} & {"ins"}
                               for row in changed)
        collapsed = [r for r in rows if r.row.status == "collapsed"]  # unchanged articles on one line
        assert collapsed and any("序号调整" in r.row.note or "序号调整" in r.row.text("left") for r in collapsed)
        # n/p step through the table's changes, and t keeps the change in view in the other view
        screen = app.screen
        for _ in range(3):
            await pilot.press("n")
        third = screen.current
        assert rows[third].has_class("current") and rows[third].row.status not in ("same", "collapsed", "header")
        await pilot.press("p")
        await pilot.press("n")
        assert screen.current == third
        pair = rows[third].row.pairs[0]
        await pilot.press("t")
        await settle(app, pilot)
        side = list(screen.query(PairRow))
        assert side[screen.current].pair is pair and side[screen.current].has_class("current")
        scroll = screen.query_one("#pairs")
        assert scroll.scroll_y > 0 and side[screen.current].region.y >= scroll.region.y  # in view, not at the top
        await pilot.press("t")
        await settle(app, pilot)
        assert pair in list(screen.query(TableRow))[screen.current].row.pairs
        app.open_compare(b, a)  # another comparison opens at its top
        await settle(app, pilot)
        assert screen.current == -1 and screen.query_one("#pairs").scroll_y == 0


@pytest.mark.asyncio
@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws absent")
async def test_the_reader_shows_an_articles_closing_paragraph_after_its_items(tmp_path):
    """第十条's 外国企业… paragraph follows its items (一)–(三) in the law; the reader shows it there, not between
    the article's first line and its items (the outline and cite already had it right)."""
    from policysearch.config import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = "上海航运交易所管理规定(1996-10-03).md"
    shutil.copy(LAWS / name, corpus / name)
    app = make_app(Settings(corpus, tmp_path / "index"), blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, '"外国企业申请取得会员资格"')
        [hit] = app.screen.query_one(ResultList).hits
        assert hit.clause == "第三章/第十条"
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        reader = app.screen
        assert isinstance(reader, DocumentScreen)
        shown = [(b.clause.path, b.shown) for b in reader.query("ClauseBlock")]
        at = [i for i, (p, _) in enumerate(shown) if p.startswith("第三章/第十条")]
        order = [shown[i] for i in at]
        assert order[0] == ("第三章/第十条", "第十条 取得会员资格，应当具备下列条件：")
        assert [p for p, _ in order[1:4]] == ["第三章/第十条/(一)", "第三章/第十条/(二)", "第三章/第十条/(三)"]
        assert order[4][0] == "第三章/第十条" and order[4][1].startswith("外国企业申请取得会员资格的条件")
        assert reader.current == at[4] and reader.matches[reader.match_pos][0] == at[4]  # on the match, lit


@pytest.mark.asyncio
@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws absent")
async def test_two_versions_are_told_apart_in_narrow_pickers(tmp_path):
    """At 80×24 a version picker shows only its first characters: they are the version's date."""
    from policysearch.config import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("道路运输条例(2022-03-29).md", "道路运输条例(2023-07-20).md"):
        shutil.copy(LAWS / name, corpus / name)
    app = make_app(Settings(corpus, tmp_path / "index"), blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_compare("道路运输条例-2022-03-29", "道路运输条例-2023-07-20")
        await settle(app, pilot)
        shown = []
        for sid in ("#doc-a", "#doc-b"):
            current = app.screen.query_one(sid, Select).query_one("SelectCurrent")
            shown.append(static_text(current.query(Static).first()))
            assert current.size.width < 30
        assert shown[0].startswith("2022-03-29 ") and shown[1].startswith("2023-07-20 ")


@pytest.mark.asyncio
async def test_the_search_bar_fits_80_columns(seed_index):
    """At 80×24 the query box keeps the most room and every filter shows its whole prompt (document, batch,
    year); at 120 columns the query box is wider still."""
    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        bar = {w: app.screen.query_one(f"#{w}").outer_size.width for w in ("query", "doc-filter", "batch-filter",
                                                                    "year-filter", "latest-switch")}
        assert bar["query"] >= 22 and bar["query"] == max(bar.values())
        assert bar["doc-filter"] >= 6 + len("document")
        assert bar["batch-filter"] >= 8 + len("batch") and bar["year-filter"] >= 8 + len("year")
        assert sum(bar.values()) + len("latest") <= 80
    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one("#query").outer_size.width > 40


@pytest.mark.asyncio
async def test_draft_check_results_come_into_view_at_80x24(seed_index, tmp_path):
    draft = wrong_number_draft(tmp_path)
    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press("ctrl+k")
        await pilot.press(*str(draft), "enter")
        await settle(app, pilot)
        results = app.screen.query_one("#draft-results", Static)
        assert "1 citation, 1 problem" in static_text(results) and "mismatch" in static_text(results)
        visible = app.screen.query_one("#cite-main").region
        assert results.region.y >= visible.y and results.region.y + 3 <= visible.bottom  # its first lines show


@pytest.mark.asyncio
async def test_an_empty_compare_screen_offers_the_comparable_pairs(seed_index):
    """f2 before anything is chosen lists the comparable pairs (not only in the palette); enter compares one.
    The pickers list one line per document, so a short terminal shows many."""
    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        offers = app.screen.query_one("#offers", OptionList)
        assert offers.option_count >= 2 and app.focused is offers
        assert offers.virtual_size.height == offers.option_count  # one line a pair at 80 columns
        assert "comparable pairs below" in static_text(app.screen.query_one("#compare-summary", Static))
        first = str(offers.get_option_at_index(0).id).split("\n")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.comparison is not None
        assert [app.screen.comparison.a.id, app.screen.comparison.b.id] == first
        assert not app.screen.query("#offers")
        picker = app.screen.query_one("#doc-a", Select)
        picker.focus()
        await pilot.press("enter")  # open the list
        await settle(app, pilot)
        overlay = picker.query_one("SelectOverlay")
        assert overlay.option_count >= 4 and overlay.virtual_size.height == overlay.option_count  # one line each


@pytest.mark.asyncio
async def test_the_trend_screen_charts_queries_and_lists_a_periods_clauses(seed_index):
    """f4: several queries at once, a chart over the years and the periods; enter on a period searches the query
    in that year."""
    from textual_plot import PlotWidget

    from policysearch.tui.screens.trend import TrendScreen

    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TrendScreen) and app.focused is screen.query_one("#trend-queries", Input)
        await pilot.press(*"电子商务; \"智慧物流\"", "enter")
        await settle(app, pilot)
        assert [t.query for t in screen.trends] == ["电子商务", '"智慧物流"']
        status = static_text(screen.query_one("#trend-status", Static))
        assert "电子商务 7 documents" in status and '"智慧物流" 4 documents' in status
        assert screen.query_one(PlotWidget).display
        periods = screen.query_one("#trend-periods", OptionList)
        labels = [str(periods.get_option_at_index(i).prompt) for i in range(periods.option_count)]
        assert any(x.startswith("2014") and "电子商务" in x for x in labels)
        assert not any(x.startswith("2014") and "智慧物流" in x for x in labels)  # no match that year: no row
        index = next(i for i, x in enumerate(labels) if x.startswith("2016") and "智慧物流" in x)
        periods.focus()
        periods.highlighted = index
        await pilot.press("enter")
        await pilot.pause(0.15)
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#query", Input).value == '"智慧物流" year:2016'
        hits = app.screen.query_one(ResultList).hits
        assert hits and {h.doc_id for h in hits} <= {"2016-ndrc-1284", "2016-ndrc-1284-att1"}


@pytest.mark.asyncio
async def test_the_reader_lists_where_a_clause_came_from_and_opens_it(seed_index):
    """r in the reader: the passages the clause in view shares with other documents (the traditional copy's
    clause and its simplified source of 2013, which came first; the outline counts each clause's: (一) ⇄3 …), enter opens
    the other clause in the reader."""
    from policysearch.service import Library
    from policysearch.tui.screens.document import SourcesScreen

    copy = "2016-ndrc-1284-att1"
    _, traces = Library(seed_index).trace(copy)
    clause, passage = next((t.clause, t.passages[0]) for t in traces
                           if t.passages and t.passages[0].doc_id == "2013-ndrc-1772-attachment1")
    app = make_app(seed_index, blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.open_document(copy, clause)
        await settle(app, pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.current_clause == clause
        nodes, outline = list(app.screen.query_one("#outline", Tree).root.children), {}
        while nodes:
            node = nodes.pop()
            outline[node.data] = str(node.label)
            nodes += node.children
        count = len(next(t for t in traces if t.clause == clause).passages)
        assert outline[clause].startswith(f"{clause.split('/')[-1]} ⇄{count} ")
        assert sum("⇄" in label for label in outline.values()) == sum(
            1 for t in traces if t.passages and t.clause in outline)
        await pilot.press("r")
        await settle(app, pilot)
        sources = app.screen
        assert isinstance(sources, SourcesScreen)
        listed = sources.query_one("#sources-list", OptionList)
        first = str(listed.get_option_at_index(0).prompt)
        assert "2013-ndrc-1772-attachment1" in first and "earlier: the likely source" in first
        listed.focus()
        listed.highlighted = 0
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DocumentScreen)
        assert (app.screen.doc_id, app.screen.current_clause) == ("2013-ndrc-1772-attachment1", passage.clause)
        # the shared passage lit on both sides: in the other clause, and back in the reader it came from
        source = app.screen

        def lit(screen: DocumentScreen, path: str) -> str:
            return "".join(b.shown[s:e] for b in screen.query(ClauseBlock) if b.clause.path == path for s, e in b.spans)

        other_text = next(b.clause.text for b in source.query(ClauseBlock) if b.clause.path == passage.clause)
        assert lit(source, passage.clause) == other_text[passage.other_span[0]:passage.other_span[1]]
        assert len(lit(source, passage.clause)) >= 20 and source.matches  # n goes to it
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.doc_id == copy
        mine = next(b.clause.text for b in app.screen.query(ClauseBlock) if b.clause.path == clause)
        assert lit(app.screen, clause) == mine[passage.span[0]:passage.span[1]]
