"""The PostgreSQL store against the embedded one: the bundled corpus copied in with `migrate --to`, then every
command asked of both through the entry point, the literal-recall property on both, hostile queries, a schema
newer than the code, a URL's password, two writers at once.  A throwaway server from the installed binaries."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policysearch.store.postgres import SCHEMA_VERSION
from tests import pg
from tests.test_cli_user import entry, where
from tests.test_search import draw_needle

pytestmark = pytest.mark.skipif(pg.binaries() is None, reason="no PostgreSQL server binaries on this machine "
                                                               "(apt-get install postgresql)")


@pytest.fixture(scope="module")
def pg_url(seed_index):
    pytest.importorskip("psycopg", reason="psycopg is not installed")
    with pg.server() as url:
        r = entry("db", "init", url)
        assert r.returncode == 0 and f"schema {SCHEMA_VERSION} ready" in r.stdout, r.stderr
        r = entry("migrate", "--to", url, *where(seed_index))
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip().startswith("7 documents, 188 clauses in the PostgreSQL store at 127.0.0.1:")
        yield url


def both(seed_index, url: str, *args: str) -> tuple[object, object]:
    """The JSON answer of a command from the embedded store and from the server store."""
    here = entry(*args, "--json", *where(seed_index))
    there = entry(*args, "--json", *where(seed_index), "--store", url)
    assert here.returncode == there.returncode == 0, (args, here.stderr, there.stderr)
    return json.loads(here.stdout), json.loads(there.stdout)


QUERIES = ["智能物流", '"物流"', "物流 -支付", "(智能 OR 智慧) 物流", "发改高技[2013]1772号", "894号", "電子商務",
           '"3-5年"', "电", "示范 year:2013", "电子商务 issuer:商务部办公厅", "信用 batch:2", "数据安全",
           '"国家电子商务示范"', "资金 支持 latest:yes", "数据", "資料 -安全",
           "在线"]


@pytest.mark.parametrize("query", QUERIES)
def test_search_answers_as_the_embedded_store(seed_index, pg_url, query):
    here, there = both(seed_index, pg_url, "search", query, "--limit", "0")
    assert isinstance(here, dict) and isinstance(there, dict)
    assert there["total"] == here["total"] > 0
    key = ("doc_id", "clause", "text", "snippet", "highlights")
    assert [[h[k] for k in key] for h in there["hits"]] == [[h[k] for k in key] for h in here["hits"]]
    assert [h["score"] for h in there["hits"]] == pytest.approx([h["score"] for h in here["hits"]], abs=1e-3)


@pytest.mark.parametrize("command", [("docs",), ("show", "1284号"), ("show", "2013-chengdu-ecommerce-plan"),
                                     ("cite", "894号"), ("cite", "关于启动第二批国家电子商务示范城市"),
                                     ("refs", "2013-ndrc-1772"), ("diff", "2013-ndrc-1772", "2016-ndrc-1284"),
                                     ("trend", "电子商务", "--by", "issuer"), ("trace", "2016-ndrc-1284-att1"),
                                     ("reuse", "--to", "year:2016"), ("versions", "2013-ndrc-1772")])
def test_every_command_answers_as_the_embedded_store(seed_index, pg_url, command):
    here, there = both(seed_index, pg_url, *command)
    assert there == here


def test_a_draft_is_checked_the_same(seed_index, pg_url, tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("按照《关于推动电子商务发展有关工作的通知》（发改办高技〔2016〕1283号）执行。\n"
                     "依据《关于启动第二批国家电子商务示范城市创建工作有关事项的通知》（发改高技〔2013〕1772号）。\n",
                     "utf-8")
    here = entry("check", str(draft), "--json", *where(seed_index))
    there = entry("check", str(draft), "--json", *where(seed_index), "--store", pg_url)
    assert here.returncode == there.returncode == 1 and json.loads(there.stdout) == json.loads(here.stdout)


@pytest.fixture(scope="module")
def stores(seed_index, pg_url):
    from policysearch.search.searcher import Searcher
    from policysearch.store import open_store
    from policysearch.store.postgres import PostgresStore

    server, embedded = PostgresStore(pg_url), open_store(seed_index.index)
    yield Searcher(server), Searcher(embedded)
    server.close()
    embedded.close()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_literal_recall_on_both_stores(stores, stored_docs, data):
    """Random substrings (1–8 characters) of the seeds' clauses, quoted: the server finds every clause that
    contains one, and exactly the clauses the embedded store finds."""
    server, embedded = stores
    doc, clause, needle = draw_needle(data, stored_docs)
    if needle is None:
        return
    got = {(h.doc_id, h.clause) for h in server.search(f'"{needle}"', limit=0).hits}
    assert (doc.id, clause.path) in got, needle
    assert got == {(h.doc_id, h.clause) for h in embedded.search(f'"{needle}"', limit=0).hits}, needle


@pytest.mark.parametrize("query", ['"%"', '"_"', '"50%"', '"a_b"', '"\\\\"', "\"'; DROP TABLE documents; --\"",
                                   "'", '"%物流%"'])
def test_a_hostile_literal_query_is_data(seed_index, pg_url, query):
    """Quotes, backslashes, % and _ are characters to find (never SQL, never a wildcard): the same answer, or
    the same one-line refusal, as the embedded store's."""
    here = entry("search", query, "--limit", "0", "--json", *where(seed_index))
    there = entry("search", query, "--limit", "0", "--json", *where(seed_index), "--store", pg_url)
    assert (there.returncode, there.stderr) == (here.returncode, here.stderr)
    if here.returncode == 0:
        assert json.loads(there.stdout)["hits"] == json.loads(here.stdout)["hits"]
    docs = entry("docs", "--json", *where(seed_index), "--store", pg_url)
    assert len(json.loads(docs.stdout)) == 7  # nothing dropped


def test_a_newer_schema_or_no_server_is_one_line_and_no_password(seed_index, pg_url):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("INSERT INTO ps_schema (version) VALUES (99)")
        try:
            r = entry("search", "物流", *where(seed_index), "--store", pg_url)
        finally:
            con.execute("DELETE FROM ps_schema WHERE version = 99")
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0
    assert f"has schema 99, newer than this policysearch's {SCHEMA_VERSION}" in r.stderr
    secret = pg_url.replace("postgres@", "postgres:s3cr3t-pw@").rsplit(":", 1)[0] + ":1/postgres"
    r = entry("search", "物流", *where(seed_index), "--store", secret)
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0
    assert "cannot reach the PostgreSQL store at 127.0.0.1:1/postgres" in r.stderr and "s3cr3t" not in r.stderr


def test_db_init_brings_an_older_schema_forward(seed_index, pg_url):
    """A store made by schema 1 (no index of the clauses written otherwise than they read, no gram lists) still
    answers, from the clauses' texts; a copy into it is refused with one line saying what to run; `db init` brings
    it to this schema without touching the corpus, and the next copy writes the gram lists, from which two-character
    phrases are then counted, with the same answers."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("DROP INDEX clauses_grams_differing")
        con.execute("DROP TABLE gram_lists")
        con.execute("DELETE FROM ps_meta WHERE key = 'gram_lists'")
        con.execute("UPDATE ps_schema SET version = 1")
        for query in ("電子商務", "(智能 OR 智慧) 物流", "物流 -支付"):
            here, there = both(seed_index, pg_url, "search", query)
            assert there == here and here["total"] > 0
        r = entry("migrate", "--to", pg_url, *where(seed_index))
        assert r.returncode == 2 and r.stderr.strip().count("\n") == 0, r.stderr
        assert "has schema 1, older than this policysearch's" in r.stderr and "policysearch db init" in r.stderr
        r = entry("db", "init", pg_url)
        assert r.returncode == 0 and f"schema {SCHEMA_VERSION} ready" in r.stdout, r.stderr
        assert con.execute("SELECT max(version) FROM ps_schema").fetchone() == (SCHEMA_VERSION,)
        assert con.execute("SELECT to_regclass('clauses_grams_differing') IS NOT NULL").fetchone() == (True,)
        assert con.execute("SELECT count(*) FROM gram_lists").fetchone() == (0,)
        here, there = both(seed_index, pg_url, "search", "(智能 OR 智慧) 物流")  # the lists are empty: the texts
        assert there == here and here["total"] > 0
        r = entry("migrate", "--to", pg_url, *where(seed_index))
        assert r.returncode == 0, r.stderr
        (lists,) = con.execute("SELECT count(*) FROM gram_lists WHERE gram = '物流'").fetchone()
        (docs,) = con.execute("SELECT count(DISTINCT doc_id) FROM clauses WHERE strpos(norm, '物流') > 0").fetchone()
        assert lists == docs > 0  # a row for each document that has it
        for query in ("電子商務", "(智能 OR 智慧) 物流", "物流 -支付", '"物流"'):
            here, there = both(seed_index, pg_url, "search", query, "--limit", "0")
            assert there == here and here["total"] > 0
    assert len(json.loads(entry("docs", "--json", *where(seed_index), "--store", pg_url).stdout)) == 7


def test_phrases_are_found_from_their_bigrams_places_and_older_counts_only_lists_still_answer(seed_index, pg_url):
    """A copy writes each bigram's places in each clause (gram lists of format 2; the literal forms that differ from
    the matching ones have lists of their own), from which a phrase of any length is found and counted without
    reading a clause's text: the answers are the embedded store's, scores included.
    A corpus copied before (format 1: a bigram's count in each clause, no places) still answers the same from the
    texts, and its next copy writes the places."""
    import psycopg

    from policysearch.store.postgres.store import LITERAL, PostgresStore, _ints, _pack

    queries = ("智能物流", '"国家电子商务示范"', "電子商務", "(智能 OR 智慧) 物流", "物流 -支付", "数据安全")

    def places_are_right(con) -> bool:  # every clause's places of 物流, against its text
        assert con.execute("SELECT value FROM ps_meta WHERE key = 'gram_lists'").fetchone() == ("2",)
        store = PostgresStore(pg_url)
        places = store._lists(["物流"])["物流"]
        differing = store._holding([LITERAL])[LITERAL]  # the clauses whose literal form has lists of its own
        store.close()
        assert differing == {r[0] for r in con.execute("SELECT id FROM clauses WHERE lit <> norm")} != set()
        texts = dict(con.execute("SELECT id, norm FROM clauses WHERE strpos(norm, '物流') > 0"))
        return places.clauses() == set(texts) and len(texts) > 10 and all(
            list(places.places(c)) == [k for k in range(len(text) - 1) if text[k:k + 2] == "物流"]
            for c, text in texts.items())

    with psycopg.connect(pg_url, autocommit=True) as con:
        assert places_are_right(con)
        for query in queries:
            here, there = both(seed_index, pg_url, "search", query, "--limit", "0")
            assert there == here and here["total"] > 0
        rows = con.execute("SELECT gram, doc, entries FROM gram_lists").fetchall()
        with con.transaction():  # as a copy of format 1 left them
            for gram, doc, entries in rows:
                ints = _ints(entries)  # n, the n clauses, their n counts, their places
                n = ints[0]
                counts = [x for c, k in zip(ints[1:1 + n], ints[1 + n:1 + 2 * n], strict=True) for x in (c, k)]
                con.execute("UPDATE gram_lists SET entries = %s WHERE gram = %s AND doc = %s",
                            (_pack(counts), gram, doc))
            con.execute("UPDATE ps_meta SET value = '1' WHERE key = 'gram_lists'")
        for query in queries:
            here, there = both(seed_index, pg_url, "search", query, "--limit", "0")
            assert there == here and here["total"] > 0
        r = entry("migrate", "--to", pg_url, *where(seed_index))
        assert r.returncode == 0, r.stderr
        assert places_are_right(con)


def test_long_texts_are_kept_with_lz4(seed_index, pg_url):
    """The texts a search unpacks for every candidate clause are compressed with lz4 (about twice as fast to read
    as pglz) on a server that has it, as this one does: the seeds' long clauses as written by `migrate`."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as con:
        (lz4,) = con.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 'clauses'::regclass AND "
                             "attname IN ('norm', 'lit', 'body') AND attcompression = 'l'").fetchone()
        assert lz4 == 3
        kinds = {k for (k,) in con.execute("SELECT DISTINCT pg_column_compression(norm) FROM clauses")}
        assert kinds - {None} == {"lz4"}  # None: a text too short to compress


def test_two_copies_at_once_end_with_one_corpus(seed_index, pg_url):
    """Two migrations started together: the second waits for the first's lock; the corpus is there once."""
    cmd = [sys.executable, "-c", "from policysearch.cli import main; main()", "migrate", "--to", pg_url,
           *where(seed_index)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    listed = json.loads(entry("docs", "--json", *where(seed_index), "--store", pg_url).stdout)
    assert len(listed) == len({d["id"] for d in listed}) == 7
    r = entry("search", '"物流"', "--json", "--limit", "0", *where(seed_index), "--store", pg_url)
    assert json.loads(r.stdout)["total"] == 24


def test_a_nul_in_a_query_is_data_too(stores):
    """A NUL cannot come through a command line, but can through the TUI's field or the API: PostgreSQL text
    cannot hold one, and it must never reach the server as one."""
    server, embedded = stores
    for q in ('"物流\x00配送"', "物流\x00", '"\x00"'):
        try:
            want = {(h.doc_id, h.clause) for h in embedded.search(q, limit=0).hits}
        except Exception as e:  # noqa: BLE001 - the same refusal on both
            with pytest.raises(type(e)):
                server.search(q, limit=0)
            continue
        assert {(h.doc_id, h.clause) for h in server.search(q, limit=0).hits} == want


@pytest.mark.asyncio
async def test_the_tui_searches_the_server_store(seed_index, pg_url):
    """`policysearch --store URL` with no command: the TUI answers from the server as from the embedded store."""
    from dataclasses import replace

    from policysearch.tui.app import make_app
    from policysearch.tui.widgets.results import ResultList
    from tests.test_tui import settle, type_query

    app = make_app(replace(seed_index, store=pg_url), blink=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await type_query(app, pilot, "智能物流")
        hits = app.screen.query_one(ResultList).hits
        assert len(hits) == 6 and {h.doc_id for h in hits} >= {"2013-ndrc-1772", "2016-ndrc-1284"}


def test_ingest_into_the_server_store_reads_only_what_changed_and_waits_for_writers(pg_url, tmp_path):
    """`ingest --store URL`: the files are read into the local index (new and changed ones only), then the
    server's corpus brought to it in one transaction, copying only the documents that differ; an ingest with
    nothing new copies nothing; a second writer with --no-wait is told who holds the lock, in one line; after
    adds and a deletion the server answers as the local index."""
    import shutil

    import psycopg

    from tests.conftest import CORPUS

    url = new_database(pg_url, "ingest_direct")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("2013-ndrc-1772.txt", "2016-ndrc-1284.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    here = ["--corpus", str(corpus), "--index", str(tmp_path / "index"), "--store", url]
    first = entry("ingest", "--json", *here)
    assert first.returncode == 0, first.stderr
    assert sorted(json.loads(first.stdout)["added"]) == ["2013-ndrc-1772.txt", "2016-ndrc-1284.txt"]
    ids = [d["id"] for d in json.loads(entry("docs", "--json", *here).stdout)]
    assert ids == [d["id"] for d in json.loads(entry("docs", "--json", *here[:4]).stdout)]  # the local index's
    assert sorted(ids) == ["2013-ndrc-1772", "2016-ndrc-1284", "2016-ndrc-1284-att1"]
    def written() -> set[str]:  # the transactions that wrote the server's rows
        with psycopg.connect(url) as con:
            return {str(x) for (x,) in con.execute("SELECT DISTINCT xmin FROM documents")}

    before = written()
    again = entry("ingest", "--json", *here)
    assert again.returncode == 0 and json.loads(again.stdout)["added"] == []
    assert written() == before  # nothing new: nothing copied
    def written_by_doc() -> dict[str, str]:
        with psycopg.connect(url) as con:
            return {d: str(x) for d, x in con.execute("SELECT id, xmin FROM documents")}

    def stats() -> tuple[list[int], list[int]]:  # the statistics a search reads, as kept and as counted anew
        from policysearch.store.postgres.store import _STATS

        with psycopg.connect(url) as con:
            kept = con.execute("SELECT value FROM ps_meta WHERE key = 'stats'").fetchone()
            return json.loads(kept[0]) if kept else [], list(con.execute(f"SELECT {_STATS} FROM clauses").fetchone())

    kept_stats, counted = stats()
    assert kept_stats == counted and counted[0] > 0
    def read_stats() -> dict[str, float]:
        from policysearch.store.postgres import PostgresStore

        store = PostgresStore(url)
        try:
            with store.reading():
                return dict(store.stats)
        finally:
            store.close()

    read = read_stats()
    with psycopg.connect(url) as con:  # as a copy made before the statistics were kept
        con.execute("DELETE FROM ps_meta WHERE key IN ('stats', 'document_stats')")
    assert read_stats() == read  # counted on the clauses instead
    kept = written_by_doc()
    shutil.copy(CORPUS / "2014-mofcom-767.md", corpus / "2014-mofcom-767.md")
    third = entry("ingest", "--json", *here)
    kept_stats, now_counted = stats()
    assert kept_stats == now_counted and now_counted[2] > counted[2]  # the kept documents' counted, the new added
    assert json.loads(third.stdout)["added"] == ["2014-mofcom-767.md"]
    now = written_by_doc()
    assert {d: now[d] for d in kept} == kept  # the documents already there were not copied again
    assert {now[d] for d in now if d not in kept} != set(kept.values())  # the new ones were
    listed = json.loads(entry("docs", "--json", *here).stdout)
    assert len(listed) == len({d["id"] for d in listed}) == 5  # the new notice and its attachment
    hits = json.loads(entry("search", "示范城市", "--json", "--limit", "0", *here).stdout)
    local = json.loads(entry("search", "示范城市", "--json", "--limit", "0", *here[:4]).stdout)
    assert hits["hits"] == local["hits"] and hits["total"] > 0
    (corpus / "2014-mofcom-767.md").unlink()
    with psycopg.connect(url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (0x7073_5F63,))  # another writer at work
        busy = entry("ingest", "--no-wait", *here)
    assert busy.returncode == 2 and busy.stderr.strip().count("\n") == 0
    assert "another writer is changing the PostgreSQL store at 127.0.0.1:" in busy.stderr
    assert len(json.loads(entry("docs", "--json", *here).stdout)) == 5  # the server's corpus as it was
    assert entry("ingest", *here).returncode == 0  # the lock released: the deleted notice goes
    assert stats()[0] == stats()[1]
    assert sorted(d["id"] for d in json.loads(entry("docs", "--json", *here).stdout)) == sorted(ids)
    with psycopg.connect(url) as con:  # the deleted notice's gram lists went with it; the others' stayed
        assert con.execute("SELECT count(*) FROM gram_lists WHERE doc NOT IN (SELECT num FROM documents)").fetchone() \
            == (0,)
        assert con.execute("SELECT count(DISTINCT doc) FROM gram_lists").fetchone() == (len(ids),)
    fresh = ["--corpus", str(corpus), "--index", str(tmp_path / "fresh")]  # the corpus built anew, here
    for q in ("示范城市", '"物流"', "电子商务 -城市"):  # (Whoosh's statistics keep deleted documents until a merge)
        there = json.loads(entry("search", q, "--json", "--limit", "0", *here).stdout)
        assert there == json.loads(entry("search", q, "--json", "--limit", "0", *fresh).stdout), q


def test_two_ingests_into_the_server_started_together_end_with_one_corpus(pg_url, tmp_path):
    """Two `ingest --store` at once, each with its own local index (two curators): the second waits for the
    first's lock; the server holds every document once and answers as a fresh local build."""
    import shutil

    from tests.conftest import CORPUS

    url = new_database(pg_url, "two_curators")
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    cmds = [[sys.executable, "-c", "from policysearch.cli import main; main()", "ingest", "--corpus", str(corpus),
             "--index", str(tmp_path / f"index{k}"), "--store", url] for k in range(2)]
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in cmds]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    here = ["--corpus", str(corpus), "--index", str(tmp_path / "fresh")]
    listed = json.loads(entry("docs", "--json", *here, "--store", url).stdout)
    assert len(listed) == len({d["id"] for d in listed}) == len(json.loads(entry("docs", "--json", *here).stdout))
    for q in ('"物流"', "智能物流"):
        there = json.loads(entry("search", q, "--json", "--limit", "0", *here, "--store", url).stdout)
        assert there == json.loads(entry("search", q, "--json", "--limit", "0", *here).stdout), q


def test_the_server_store_copied_to_a_directory_answers_as_the_original(seed_index, pg_url, tmp_path):
    """`migrate --to DIR` with a server store: an embedded index in DIR that answers every command as the
    corpus it came from (the seeds' own index), with no corpus beside it."""
    copy = tmp_path / "copy"
    r = entry("migrate", "--to", str(copy), "--store", pg_url, "--corpus", str(tmp_path / "none"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"7 documents, 188 clauses in the embedded index at {copy}"
    for args in [("search", q, "--limit", "0") for q in QUERIES] + [
            ("docs",), ("show", "1284号"), ("cite", "894号"), ("refs", "2013-ndrc-1772"),
            ("diff", "2013-ndrc-1772", "2016-ndrc-1284"), ("trend", "电子商务", "--by", "issuer"),
            ("trace", "2016-ndrc-1284-att1"), ("versions", "2013-ndrc-1772")]:
        here = entry(*args, "--json", *where(seed_index))
        there = entry(*args, "--json", "--index", str(copy), "--corpus", str(tmp_path / "none"))
        assert there.returncode == here.returncode == 0, (args, there.stderr)
        assert there.stdout == here.stdout, args  # the same JSON, byte for byte (keys in the same order)
    # copied again into the same index: a new generation switched in (the previous one kept for its readers)
    r = entry("migrate", "--to", str(copy), "--store", pg_url)
    assert r.returncode == 0 and r.stdout.strip().startswith("7 documents, 188 clauses"), r.stderr
    assert (copy / "CURRENT").read_text().strip() == "store-000002"
    # a folder that holds other files is never written into
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "draft.txt").write_text("草稿", "utf-8")
    r = entry("migrate", "--to", str(tmp_path / "notes"), "--store", pg_url)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "holds other files and no index" in r.stderr
    assert [x.name for x in (tmp_path / "notes").iterdir()] == ["draft.txt"]
    # the copy is an index like any other: an ingest of the corpus into it reads every file once, then nothing
    from policysearch.config import Settings
    from tests.conftest import run_ingest

    report = run_ingest(Settings(seed_index.corpus, copy))
    assert len(report.updated) == 5 and report.documents == 7 and not report.rebuilt
    again = run_ingest(Settings(seed_index.corpus, copy))
    assert again.updated == again.added == again.removed == []


def test_an_article_named_in_a_search_is_found_on_the_server_as_in_the_embedded_store(pg_url, tmp_path):
    """道路运输条例第十条 in two versions of the regulation: the server puts the same article first, latest version
    first, with the same hits after it, as the embedded store."""
    import shutil

    from tests.test_cli_user import LAWS

    url = new_database(pg_url, "named_articles")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("道路运输条例(2022-03-29).md", "道路运输条例(2023-07-20).md"):
        shutil.copy(LAWS / name, corpus / name)
    here = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    assert entry("ingest", *here, "--store", url).returncode == 0
    for q in ("道路运输条例第十条", "《中华人民共和国道路运输条例》 第六十九条"):
        there = json.loads(entry("search", q, "--json", "--limit", "0", *here, "--store", url).stdout)
        assert there == json.loads(entry("search", q, "--json", "--limit", "0", *here).stdout), q
        assert [h["doc_id"] for h in there["hits"][:2]] == ["道路运输条例-2023-07-20", "道路运输条例-2022-03-29"]


def new_database(pg_url: str, name: str) -> str:
    """A new, empty database on the test server, with the project's schema: its URL."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    url = pg_url.rsplit("/", 1)[0] + "/" + name
    assert entry("db", "init", url).returncode == 0
    return url
