"""The command line as a new analyst types it, through its entry point: options after the command, output
through a pipe, ids a shell takes, one-line errors, exact issuers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policysearch.config import Settings
from tests.conftest import run_ingest

LAWS = Path(__file__).resolve().parent.parent.parent / "shared" / "real" / "laws"


def entry(*args: str) -> subprocess.CompletedProcess:
    """The installed command's entry point, with stdout a pipe (as `policysearch … | less` has it)."""
    return subprocess.run([sys.executable, "-c", "from policysearch.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def where(settings: Settings) -> list[str]:
    return ["--corpus", str(settings.corpus), "--index", str(settings.index)]


def test_corpus_and_index_are_taken_after_the_command_too(seed_index):
    before = entry(*where(seed_index), "search", "物流", "--json")
    after = entry("search", "物流", *where(seed_index), "--json")
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == json.loads(before.stdout) and json.loads(after.stdout)["total"] > 0
    for cmd in (["docs"], ["show", "1284号"], ["ingest"]):
        r = entry(*cmd, "--corpus", str(seed_index.corpus), f"--index={seed_index.index}")
        assert r.returncode == 0, (cmd, r.stderr)
    r = entry("--json", "docs", *where(seed_index))  # --json before the command
    assert r.returncode == 0 and {d["id"] for d in json.loads(r.stdout)} >= {"2013-ndrc-1772"}


def test_piped_output_is_one_record_a_line(seed_index):
    r = entry("docs", *where(seed_index))
    lines = r.stdout.splitlines()
    assert lines[0] == "id\tdate\tnumber\tbatch\ttitle"
    row = next(ln.split("\t") for ln in lines if ln.startswith("2016-ndrc-1284\t"))
    assert row[2] == "发改办高技〔2016〕1284号" and len(row[4]) == 74  # 148 columns: not wrapped or cut
    assert len(lines) == 1 + len(json.loads(entry("docs", "--json", *where(seed_index)).stdout))
    r = entry("search", "物流", "--limit", "3", *where(seed_index))
    head, *hits = r.stdout.splitlines()
    assert head.startswith("24 clauses match 物流") and len(hits) == 3
    assert all(len(h.split("\t")) == 5 and "物流" in h.split("\t")[4] for h in hits)


@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws is not beside the checkout")
def test_ids_are_taken_by_a_shell_and_old_ids_still_resolve(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(LAWS / "道路运输条例(2023-07-20).md", corpus)
    settings = Settings(corpus, tmp_path / "index")
    run_ingest(settings)
    [doc] = json.loads(entry("docs", "--json", *where(settings)).stdout)
    assert doc["id"] == "道路运输条例-2023-07-20"
    r = subprocess.run(f"{sys.executable} -c 'from policysearch.cli import main; main()' show {doc['id']} --json "
                       f"--corpus {corpus} --index {settings.index}", shell=True, capture_output=True, text=True,
                       timeout=120)  # unquoted, as a user types it
    assert r.returncode == 0 and json.loads(r.stdout)["id"] == doc["id"]
    old = entry("show", "道路运输条例(2023-07-20)", "--json", *where(settings))
    assert old.returncode == 0 and json.loads(old.stdout)["id"] == doc["id"]


@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws is not beside the checkout")
def test_a_laws_title_and_information_block_are_searched(tmp_path):
    """A phrase only in a law's information block (its history of orders) or only in its title finds the law,
    named as clause ``info`` / ``title``; neither becomes a clause of the law."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("专利代理条例(2018-11-06).md", "不动产登记暂行条例(2019-03-24).md"):
        shutil.copy(LAWS / name, corpus)
    settings = Settings(corpus, tmp_path / "index")
    run_ingest(settings)
    r = entry("search", '"国务院第23次常务会议修订通过"', "--json", *where(settings))
    [hit] = json.loads(r.stdout)["hits"]
    assert (hit["doc_id"], hit["clause"]) == ("专利代理条例-2018-11-06", "info")
    assert hit["text"].startswith("1991年3月4日 中华人民共和国国务院令第76号发布") and "INFO END" not in hit["text"]
    r = entry("search", '"不动产登记暂行"', *where(settings))
    assert "不动产登记暂行条例-2019-03-24\ttitle\t" in r.stdout
    shown = json.loads(entry("show", "不动产登记暂行条例-2019-03-24", "--json", *where(settings)).stdout)
    assert shown["clauses"][0]["path"] == "第一章"

    def walk(clauses: list[dict]) -> list[dict]:
        return [x for c in clauses for x in [c, *walk(c["children"])]]

    listed = {d["id"]: d for d in json.loads(entry("docs", "--json", *where(settings)).stdout)}
    assert listed[shown["id"]]["clauses"] == len(walk(shown["clauses"])) == 83


def test_user_errors_are_one_line(seed_index, tmp_path):
    r = entry("check", str(tmp_path / "nonexistent.txt"), *where(seed_index))
    assert r.returncode == 2 and r.stderr == f"policysearch: {tmp_path / 'nonexistent.txt'}: no such file\n"
    r = entry("search", "物流 latest:maybe", *where(seed_index))
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "latest:maybe: the values are yes or no" in r.stderr
    # migrate --to DIR copies a server's store: without one it says so, and writes nothing
    r = entry("migrate", "--to", str(tmp_path / "copy"), *where(seed_index))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "needs the store to copy from (--store URL" in r.stderr
    assert not (tmp_path / "copy").exists()
    r = entry("migrate", "--to", "mysql://user:secret@db.example/x", *where(seed_index))
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "a store is a postgresql://" in r.stderr
    assert "secret" not in r.stderr


def test_issuer_is_exact_unless_a_prefix_is_asked_for(seed_index):
    def docs(query: str) -> set[str]:
        out = json.loads(entry("search", query, "--limit", "0", "--json", *where(seed_index)).stdout)
        return {h["doc_id"] for h in out["hits"]}

    exact = docs("示范 issuer:商务部")
    prefix = docs("示范 issuer:商务部*")
    assert "2014-mofcom-767" not in exact  # issued by 商务部办公厅, not 商务部
    assert "2014-mofcom-767" in prefix and exact < prefix


def test_check_counts_in_words_and_shows_the_articles_note(seed_index, tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text("根据《关于启动第二批国家电子商务示范城市创建工作有关事项的通知》（发改高技〔2013〕1772号），制定本通知。\n",
                     "utf-8")
    r = entry("check", str(draft), *where(seed_index))
    assert r.returncode == 0 and r.stdout.splitlines()[-1] == "1 citation, 0 problems"


NOT_FOR_SEARCH = ("policysearch.ingest.pipeline", "policysearch.ingest.layout", "policysearch.store.sqlite.build",
                  "policysearch.compare.changes", "policysearch.cite.citations", "policysearch.ingest.citations",
                  "policysearch.tui", "textual", "pkg_resources",
                  # what the libraries import but a query does not use (policysearch/lazyimport.py)
                  "urllib.request", "asyncio", "whoosh.lang.morph_en", "jieba.finalseg", "importlib.resources")


def test_a_search_process_imports_only_what_a_search_needs(seed_index, tmp_path):
    """The start-up budget of a `search` process: none of the ingest pipeline, the comparison and citation code,
    the UI or pkg_resources (together 0.4 s of a 0.75 s process on the laws), nor what the libraries it uses
    import for work a query does not do (45 ms of a 0.19 s process)."""
    out = tmp_path / "modules.txt"
    code = ("import atexit, sys\n"
            f"atexit.register(lambda: open({str(out)!r}, 'w').write('\\n'.join(sorted(sys.modules))))\n"
            "from policysearch.cli import main\nmain()")
    for args in (["search", "物流"], ["search", "物流", "--json"], ["show", "1284号"]):
        r = subprocess.run([sys.executable, "-c", code, *args, *where(seed_index)], capture_output=True, text=True,
                           timeout=120, stdin=subprocess.DEVNULL)
        assert r.returncode == 0, r.stderr
        loaded = set(out.read_text().split())
        assert "policysearch.search.searcher" in loaded
        assert not [m for m in loaded if m.startswith(NOT_FOR_SEARCH)], (args, sorted(
            m for m in loaded if m.startswith(NOT_FOR_SEARCH)))
        if args[0] == "search":  # off a terminal: tab-separated lines or JSON, no rich (23 ms of start-up)
            assert "rich" not in loaded, args


NOT_FOR_CITE = ("policysearch.ingest.pipeline", "policysearch.ingest.layout", "policysearch.ingest.metadata",
                "policysearch.store.sqlite.build", "policysearch.compare", "policysearch.tui", "textual",
                "pkg_resources", "urllib.request", "asyncio")


def test_a_cite_process_imports_only_what_citing_needs(seed_index, tmp_path):
    """A `cite` of a number or an article: no comparison code (only an article's versions need it), no reading of
    files, jieba's whole dictionary not loaded (titles' variant edges read a SQLite copy of it), and off a
    terminal no rich."""
    out = tmp_path / "modules.txt"
    code = ("import atexit, sys\n"
            "from policysearch.text.segment import tokenizer\n"
            f"atexit.register(lambda: open({str(out)!r}, 'w').write('\\n'.join(sorted(sys.modules)) + "
            "f'\\nwhole-dictionary-{tokenizer.cache_info().currsize}'))\n"
            "from policysearch.cli import main\nmain()")
    for args in (["cite", "1284号"], ["cite", "发改高技〔2013〕1772号", "--json"]):
        r = subprocess.run([sys.executable, "-c", code, *args, *where(seed_index)], capture_output=True, text=True,
                           timeout=120, stdin=subprocess.DEVNULL)
        assert r.returncode == 0, r.stderr
        loaded = set(out.read_text().split())
        assert "policysearch.cite.citations" in loaded and "whole-dictionary-0" in loaded
        assert "rich" not in loaded, args  # off a terminal: plain lines (cli.Lines) or JSON
        assert not [m for m in loaded if m.startswith(NOT_FOR_CITE)], (args, sorted(
            m for m in loaded if m.startswith(NOT_FOR_CITE)))


def test_search_and_cite_on_a_terminal_are_styled_without_rich(seed_index, tmp_path):
    """On a terminal, `search` and `cite` print their few styled lines with click's ANSI codes: rich's import was
    20–30 ms of the process (on the laws, `search` 0.19 → 0.16 s and `cite` 0.18 → 0.16 s in a pty)."""
    import os
    import select

    out = tmp_path / "modules.txt"
    code = ("import atexit, sys\n"
            f"atexit.register(lambda: open({str(out)!r}, 'w').write('\\n'.join(sorted(sys.modules))))\n"
            "from policysearch.cli import main\nmain()")
    for args, expect in ((["search", "物流", "--limit", "2"], "2013-chengdu-ecommerce-plan"), (["cite", "1284号"], "citation:")):
        master, slave = os.openpty()
        try:
            p = subprocess.Popen([sys.executable, "-c", code, *args, *where(seed_index)], stdout=slave,
                                 stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
            os.close(slave)
            shown = b""
            while True:  # read as it comes (a pty's buffer is small)
                ready, _, _ = select.select([master], [], [], 60)
                try:
                    chunk = os.read(master, 65536) if ready else b""
                except OSError:  # the other end closed
                    chunk = b""
                if not chunk:
                    break
                shown += chunk
            assert p.wait(timeout=60) == 0, p.stderr.read() if p.stderr else ""
        finally:
            os.close(master)
        text = shown.decode("utf-8")
        assert expect in text and "\x1b[1m" in text, text  # styled
        assert "rich" not in set(out.read_text().split()), args
