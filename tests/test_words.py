"""The word index: BM25 as Whoosh's own writer gives it, clauses found where the store says they are after
adds, deletes and merges, a crash between the two commits rolled back, a lost word index rebuilt."""

from __future__ import annotations

import json
import shutil

import pytest

from policysearch.config import Settings
from policysearch.search.searcher import Searcher
from policysearch.store import open_store
from policysearch.store.sqlite import SQLiteStore
from policysearch.store.sqlite import build as store_build
from policysearch.store.sqlite.words import FIELD, WordIndex
from policysearch.text.normalise import norm
from policysearch.text.segment import words as segment

from .conftest import bench_rows, run_ingest
from .test_index import QUERIES, answers


def assert_words_in_step(store: SQLiteStore) -> None:
    """Every clause is where the store says it is in the word index (that Whoosh document holds the clause's
    own longest word), and the word index holds nothing else."""
    ids = [r[0] for r in store.con.execute("SELECT id FROM clauses ORDER BY id")]
    generation, places = store.word_places(ids)
    assert len(places) == len(ids)
    assert store.word_index.live_count(generation) == len(ids)
    assert len(set(places.values())) == len(ids)
    for row in store.clause_rows(ids):
        own = segment(norm(row.text, traditional=row.traditional))
        if own:
            word = max(own, key=len)
            assert row.id in store.word_scores([[word]], [row.id]), (row.doc_id, row.path, word)


def test_bm25_is_the_score_of_whooshs_own_writer(tmp_path, seed_index):
    """The block writer gives every clause the BM25 that Whoosh's own writer (add_document, Frequency
    postings) gives it, word by word, for common and rare words."""
    from whoosh import fields
    from whoosh.analysis import SpaceSeparatedTokenizer
    from whoosh.filedb.filestore import FileStorage
    from whoosh.query import Term
    from whoosh.scoring import BM25F

    store = open_store(seed_index.index)
    ids = [r[0] for r in store.con.execute("SELECT id FROM clauses ORDER BY id")]
    texts = [" ".join(segment(norm(r.text, traditional=r.traditional))) for r in store.clause_rows(ids)]
    texts = texts * 2  # common words get more than one block of postings

    ours = WordIndex(tmp_path / "ours")
    w = ours.writer()
    for t in texts:
        w.add_clause(t)
    w.commit()
    places = {n: (w.segment_name, n) for n in range(len(texts))}

    (tmp_path / "whoosh").mkdir()
    ix = FileStorage(str(tmp_path / "whoosh")).create_index(
        fields.Schema(**{FIELD: fields.TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=False)}))
    writer = ix.writer()
    for t in texts:
        writer.add_document(**{FIELD: t})
    writer.commit()
    theirs = ix.searcher(weighting=BM25F())

    vocabulary = sorted({x for t in texts for x in t.split(" ")}, key=lambda x: -sum(x in t for t in texts[:50]))
    assert len(vocabulary) > 1000
    for word in vocabulary[:40] + vocabulary[40::37]:
        expected = {h.docnum: h.score for h in theirs.search(Term(FIELD, word), limit=None)}
        assert ours.scores(w.generation, [word], places) == pytest.approx(expected), word
    assert max(len(theirs.search(Term(FIELD, x), limit=None)) for x in vocabulary[:5]) > 128
    # a search asks for a few clauses (its head), spread over many blocks, and for all of a term's words
    from whoosh.query import And

    few = {n: places[n] for n in range(0, len(texts), 7)}
    for pair in zip(vocabulary[:12], vocabulary[12:24], strict=True):
        expected = {h.docnum: h.score for h in theirs.search(And([Term(FIELD, x) for x in pair]), limit=None)}
        got = ours.scores(w.generation, list(pair), few)
        assert got == pytest.approx({n: s for n, s in expected.items() if n in few}), pair
        assert got or not expected.keys() & few.keys()
    assert ours.scores(w.generation, [vocabulary[0], "不在词表中的词"], places) == {}


def _reports(settings: Settings, rows: list[dict], name: str) -> None:
    (settings.corpus / name).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")


def test_many_small_ingests_merge_segments_and_keep_every_clause_in_place(tmp_corpus, tmp_path):
    """Files added and removed over a dozen ingests: Whoosh merges its small segments, the store follows the
    moves, and the answers equal a full build's."""
    rows = bench_rows(14)
    if not rows:
        pytest.skip("../shared/bench-corpus is not beside the checkout")
    run_ingest(tmp_corpus)
    segments_seen = set()
    for k in range(12):
        _reports(tmp_corpus, rows[k:k + 1], f"r{k:02d}.jsonl")
        if k % 3 == 2:
            (tmp_corpus.corpus / f"r{k - 2:02d}.jsonl").unlink()
        report = run_ingest(tmp_corpus)
        assert report.rebuilt == "" and report.repaired == ""
        store = open_store(tmp_corpus.index)
        segments_seen.update(r[0] for r in store.con.execute("SELECT DISTINCT w_seg FROM documents"))
        store.close()
    store = open_store(tmp_corpus.index)
    assert_words_in_step(store)
    live = {r[0] for r in store.con.execute("SELECT DISTINCT w_seg FROM documents")}
    assert len(live) < len(segments_seen)  # segments were merged away
    fresh = Settings(tmp_corpus.corpus, tmp_path / "fresh-index")
    run_ingest(fresh)
    queries = [*QUERIES, "经济发展", "改革开放 人民"]
    assert answers(tmp_corpus, queries) == answers(fresh, queries)


def test_a_crash_between_the_two_commits_is_rolled_back(tmp_corpus, monkeypatch):
    """Whoosh committed, SQLite did not: the store still answers from the generation it recorded, and the next
    ingest rolls the word index back, says so, and does the work again."""
    run_ingest(tmp_corpus)
    before = answers(tmp_corpus, QUERIES)
    (tmp_corpus.corpus / "extra.txt").write_text("关于测试的通知\n一、总体要求\n推进量子纠缠通信试点。\n", "utf-8")
    commit = store_build._Writer.commit

    def crash(self, report):
        self._commit_words()
        raise KeyboardInterrupt  # after Whoosh's commit, before SQLite's

    monkeypatch.setattr(store_build._Writer, "commit", crash)
    with pytest.raises(KeyboardInterrupt):
        run_ingest(tmp_corpus)
    store = open_store(tmp_corpus.index)
    assert store.word_index.latest_generation() > store.word_places([])[0]
    assert answers(tmp_corpus, QUERIES) == before
    monkeypatch.setattr(store_build._Writer, "commit", commit)
    report = run_ingest(tmp_corpus)
    assert "rolled back" in report.repaired and report.added == ["extra.txt"]
    store = open_store(tmp_corpus.index)
    assert_words_in_step(store)
    assert [h.doc_id for h in Searcher(store).search("量子纠缠").hits] == ["extra"]


def test_a_lost_word_index_is_rebuilt_from_the_store(tmp_corpus):
    run_ingest(tmp_corpus)
    before = answers(tmp_corpus, QUERIES)
    store = open_store(tmp_corpus.index)
    shutil.rmtree(store.directory / "words")
    report = run_ingest(tmp_corpus)
    assert "rebuilt from the stored clauses" in report.repaired
    assert answers(tmp_corpus, QUERIES) == before
    assert_words_in_step(open_store(tmp_corpus.index))


def test_a_search_without_its_word_index_still_answers_and_writes_nothing(tmp_corpus):
    """A reader never writes: with the word index gone, the literal index finds and ranks alone."""
    run_ingest(tmp_corpus)
    before = answers(tmp_corpus, QUERIES)
    words = open_store(tmp_corpus.index).directory / "words"
    shutil.rmtree(words)
    assert answers(tmp_corpus, QUERIES) == before
    assert not words.exists()
