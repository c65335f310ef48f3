"""An index the user may not write answers searches and listings; writing into it, or into a disk that fills
during an ingest, ends with one line and the index as it was."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_hostile import snapshot

ROOT = Path(__file__).resolve().parent.parent
LAWS = ROOT.parent / "shared" / "real" / "laws"


def as_user(*cmd: str) -> list[str]:
    """The command as a user without write permission on files they do not own: root runs it with its
    capabilities dropped (no CAP_DAC_OVERRIDE: a read-only mode then holds for root too)."""
    if os.geteuid() != 0:
        return list(cmd)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv (util-linux): cannot drop root's capabilities")
    return [setpriv, "--bounding-set=-all", "--inh-caps=-all", *cmd]


def cli(corpus: Path, index: Path, *args: str, user: bool = False) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-c", "from policysearch.cli import main; main()", "--corpus", str(corpus),
           "--index", str(index), *args]
    return subprocess.run(as_user(*cmd) if user else cmd, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)


def chmod_tree(path: Path, writable: bool) -> None:
    for dirpath, _, filenames in os.walk(path):
        for p in [dirpath, *(os.path.join(dirpath, f) for f in filenames)]:
            mode = os.stat(p).st_mode
            os.chmod(p, mode | 0o200 if writable else mode & ~0o222)


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("2013-ndrc-1772.txt", "2016-ndrc-1284.txt"):
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    return corpus


def test_a_read_only_index_answers_and_refuses_writes_in_one_line(small_corpus, tmp_path):
    index = tmp_path / "index"
    assert cli(small_corpus, index, "ingest").returncode == 0
    search = json.loads(cli(small_corpus, index, "search", "物流", "--json").stdout)
    docs = json.loads(cli(small_corpus, index, "docs", "--json").stdout)
    chmod_tree(index, writable=False)
    try:
        before = snapshot(index)
        probe = subprocess.run(as_user("touch", str(index / "probe")), capture_output=True)
        assert probe.returncode != 0, "the test's user can still write the index"
        r = cli(small_corpus, index, "search", "物流", "--json", user=True)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout) == search
        r = cli(small_corpus, index, "docs", "--json", user=True)
        assert r.returncode == 0 and json.loads(r.stdout) == docs
        (small_corpus / "2013-ndrc-1772.txt").write_text("关于新事项的通知\n第一条 新内容。\n", "utf-8")
        r = cli(small_corpus, index, "ingest", user=True)
        assert r.returncode == 2
        assert r.stderr == f"policysearch: the index in {index} is read-only; nothing was changed\n"
        assert "Traceback" not in r.stdout + r.stderr
        assert snapshot(index) == before
    finally:
        chmod_tree(index, writable=True)


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2 MB tmpfs, where mounting is allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.strip() or done.returncode})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def disk_used(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


@pytest.mark.skipif(not LAWS.is_dir(), reason="../shared/real/laws is not beside the checkout")
def test_a_full_disk_ends_in_one_line_and_leaves_the_index_as_it_was(small_corpus, tiny_disk):
    index = tiny_disk / "index"
    assert cli(small_corpus, index, "ingest").returncode == 0
    search = json.loads(cli(small_corpus, index, "search", "物流", "--json").stdout)
    used = disk_used(index)
    for law in sorted(LAWS.glob("*.md"))[:150]:  # about 4 MB of index: more than the disk holds
        shutil.copy(law, small_corpus / law.name)
    r = cli(small_corpus, index, "ingest")
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr == f"policysearch: no space left for the index in {index}; nothing was changed\n"
    assert json.loads(cli(small_corpus, index, "search", "物流", "--json").stdout) == search
    assert disk_used(index) <= used * 1.1 + 64_000  # the space the failed ingest took is given back
    for law in small_corpus.glob("*.md"):
        law.unlink()
    r = cli(small_corpus, index, "ingest")
    assert r.returncode == 0 and "3 documents" in r.stdout, r.stdout + r.stderr
    assert json.loads(cli(small_corpus, index, "search", "物流", "--json").stdout) == search


def test_a_read_only_index_of_older_parsing_code_still_answers(small_corpus, tmp_path):
    """After an upgrade the index would be rebuilt; where it cannot be written, it answers as it was built and
    says so on one line."""
    import sqlite3

    index = tmp_path / "index"
    assert cli(small_corpus, index, "ingest").returncode == 0
    search = json.loads(cli(small_corpus, index, "search", "物流", "--json").stdout)
    [db] = index.glob("store-*/store.sqlite")
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = 'an-older-parser' WHERE key IN ('fingerprint', 'code_stamp')")
    chmod_tree(index, writable=False)
    try:
        r = cli(small_corpus, index, "search", "物流", "--json", user=True)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout) == search
        assert r.stderr.splitlines()[-1] == (f"policysearch: the index in {index} is read-only; nothing was changed; "
                                             "answering from the index as it was built")
    finally:
        chmod_tree(index, writable=True)
