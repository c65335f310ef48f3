"""One bad file never takes a corpus down: each hostile file, built here beside ordinary notices, is skipped
with one line naming it and why; the others are searchable; memory stays bounded; nothing in the folder is
changed; nothing outside it is read."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import hostile
from tests.pdfdoc import OfficialDocument, build_pdf

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ["2013-ndrc-1772.txt", "2016-ndrc-1284.txt"]
PEAK_BOUND_KB = 1_500_000  # 1.5 GB: no single input may take an ingest past it
SECRET = "SECRET-OUTSIDE-7f3a"


def policysearch(corpus: Path, index: Path, *args: str, env: dict | None = None,
                 timeout: float = 300) -> tuple[subprocess.CompletedProcess, int]:
    """Run the installed command line in a process of its own; returns it and the peak memory (kB) of the
    largest process it started (the command or a reading worker)."""
    probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
             "sys.stdout.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + '\\n' + "
             "r.stdout.decode()); sys.stderr.write(r.stderr.decode()); sys.exit(r.returncode)")
    cmd = [sys.executable, "-c", probe, sys.executable, "-c", "from policysearch.cli import main; main()",
           "--corpus", str(corpus), "--index", str(index), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)
    peak, _, out = done.stdout.partition("\n")
    done.stdout = out
    return done, int(peak)


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry of a folder as it stands (links not followed): kind, size, mtime and content hash."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath, name)
            st = p.lstat()
            digest = hashlib.sha1(p.read_bytes()).hexdigest() if p.is_file() and not p.is_symlink() else ""
            out[str(p.relative_to(folder))] = (st.st_mode, st.st_size, st.st_mtime_ns, digest,
                                               os.readlink(p) if p.is_symlink() else "")
    return out


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory) -> tuple[Path, Path]:
    """Two real notices and, beside them, one of each kind of hostile file."""
    base = tmp_path_factory.mktemp("hostile")
    corpus = base / "corpus"
    corpus.mkdir()
    for name in SEEDS:
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"关于保密事项的通知\n{SECRET}\n第一条 不得外传。\n", "utf-8")
    hostile.billion_laughs_docx(corpus / "laughs.docx")
    hostile.external_entity_docx(corpus / "xxe.docx", outside / "secret.txt")
    hostile.docx_with_document_xml(corpus / "malformed.docx", lambda xml: xml[: len(xml) // 2])
    hostile.zip_bomb_docx(corpus / "bomb.docx")
    hostile.lying_zip_docx(corpus / "lying.docx")
    notice = (ROOT / "corpus" / SEEDS[1]).read_bytes()
    (corpus / "huge.txt").write_bytes(notice * (70_000_000 // len(notice) + 1))  # over the 64 MB file limit
    (corpus / "long.txt").write_bytes(notice * (15_000_000 // len(notice) + 1))  # over 4 M characters
    hostile.nested_html(corpus / "nested.html")
    real = build_pdf(base / "real.pdf", OfficialDocument(["关于测试的通知"], ["第一条 为了测试，制定本办法。"] * 40))
    (corpus / "truncated.pdf").write_bytes(real.read_bytes()[: real.stat().st_size // 2])
    hostile.deep_tree_pdf(corpus / "deep.pdf")
    hostile.empty_pages_pdf(corpus / "empty-pages.pdf")
    hostile.same_line_pdf(corpus / "stamped.pdf")
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "elsewhere").symlink_to(outside, target_is_directory=True)
    (corpus / "again.txt").symlink_to(corpus / SEEDS[0])  # inside the folder: read once, where it stands
    (corpus / "new\nline.txt").write_bytes(b"\x00\x01\x02 binary")
    (corpus / "esc\x1b[2Jname.txt").write_bytes(b"\x00\x01\x02 binary")
    return corpus, base / "index"


BAD = {  # file -> what its line must say
    "laughs.docx": "its part word/document.xml declares XML entities",
    "malformed.docx": "its XML is malformed or hostile",
    "xxe.docx": "its part word/document.xml declares XML entities",
    "bomb.docx": "over the limit for a container's parts (128 MB)",
    "lying.docx": "not a readable Word .docx file",
    "huge.txt": "over the limit for a file (64 MB)",
    "long.txt": "over the limit for one document (4,000,000)",
    "nested.html": "nested more than 2,000 deep",
    "truncated.pdf": "",
    "deep.pdf": "",
    "empty-pages.pdf": "no text layer",
    "stamped.pdf": "only the line repeated on each",
    "passwd.txt": "a link to a file outside the corpus folder",
    "elsewhere": "a link to a folder outside the corpus folder",
    "new\\nline.txt": "binary file",
    "esc\\x1b[2Jname.txt": "binary file",
}


@pytest.mark.timeout(600)
def test_a_bad_file_is_that_files_alone(hostile_corpus):
    corpus, index = hostile_corpus
    before = snapshot(corpus)
    done, peak = policysearch(corpus, index, "ingest")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    skipped = [ln for ln in done.stdout.splitlines() if ln.startswith("skipped")]
    for name, says in BAD.items():
        lines = [ln for ln in skipped if ln.startswith(f"skipped  {name}: ")]
        if name in ("truncated.pdf", "deep.pdf") and not lines:
            continue  # read as far as it goes: checked below
        assert len(lines) == 1, (name, skipped)
        assert says in lines[0], lines[0]
    assert not any("\x1b" in ln for ln in done.stdout.splitlines())
    assert peak < PEAK_BOUND_KB, f"peak {peak / 1e6:.2f} GB"
    assert snapshot(corpus) == before  # nothing in the folder modified

    done, _ = policysearch(corpus, index, "docs", "--json")
    assert done.returncode == 0, done.stderr
    sources = {d["source"] for d in json.loads(done.stdout)}
    assert set(SEEDS) <= sources
    assert "again.txt" not in sources  # a link inside the folder: its target is read once
    assert not sources & {"passwd.txt", "laughs.docx", "xxe.docx", "bomb.docx", "huge.txt", "long.txt",
                          "nested.html"}

    done, _ = policysearch(corpus, index, "search", "智能物流", "--json")
    assert json.loads(done.stdout)["total"] > 0
    for term in (SECRET, "root:x", "不得外传"):
        done, _ = policysearch(corpus, index, "search", f'"{term}"', "--json")
        assert done.returncode == 0 and json.loads(done.stdout)["total"] == 0, term


@pytest.mark.timeout(600)
def test_a_later_ingest_says_the_same_and_keeps_the_rest(hostile_corpus, tmp_path):
    corpus, _ = hostile_corpus
    index = tmp_path / "index"
    first, _ = policysearch(corpus, index, "ingest", "--json")
    again, _ = policysearch(corpus, index, "ingest", "--json")
    assert first.returncode == again.returncode == 0
    a, b = json.loads(first.stdout), json.loads(again.stdout)
    assert a["skipped"] == b["skipped"] and len(b["skipped"]) >= 12
    assert b["documents"] == a["documents"] and not b["added"]


def test_limits_can_be_raised(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    notice = (ROOT / "corpus" / SEEDS[1]).read_bytes()
    (corpus / "big.txt").write_bytes(notice * (3_000_000 // len(notice) + 1))
    done, _ = policysearch(corpus, tmp_path / "i1", "ingest", env={"POLICYSEARCH_MAX_FILE_MB": "2"})
    assert "skipped  big.txt: too large: 3.0 MB, over the limit for a file (2 MB) by 1.0 MB; raise it with " \
           "--max-file-mb or POLICYSEARCH_MAX_FILE_MB" in done.stdout
    done, _ = policysearch(corpus, tmp_path / "i2", "ingest", "--max-file-mb", "4",
                           env={"POLICYSEARCH_MAX_FILE_MB": "2"})
    assert done.returncode == 0 and "skipped" not in done.stdout and "added    big.txt" in done.stdout
    done, _ = policysearch(corpus, tmp_path / "i3", "ingest", env={"POLICYSEARCH_MAX_FILE_MB": "lots"})
    assert done.returncode == 2 and done.stderr.strip().count("\n") == 0
    assert "POLICYSEARCH_MAX_FILE_MB='lots' is not a number" in done.stderr


def test_no_command_without_a_terminal_prints_usage(tmp_path):
    done = subprocess.run([sys.executable, "-c", "from policysearch.cli import main; main()"], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "Usage:" in done.stderr and "no terminal" in done.stderr and "\x1b" not in done.stdout + done.stderr


def test_a_reader_that_kills_its_worker_fails_only_its_file(tmp_path):
    """A reader that ends its process (as a crash in native code or the kernel's OOM killer does) breaks the
    pool of reading workers: that file is skipped with its line; every other file is read."""
    from policysearch.config import Settings
    from policysearch.ingest.readers import READERS, SourceText, reader
    from tests.conftest import run_ingest

    @reader(".crash")
    def crash(path: Path, rel: str, limits: object) -> list[SourceText]:
        os._exit(9)

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ["2013-chengdu-ecommerce-plan.txt", "2014-mofcom-767.md", *SEEDS]:
        shutil.copy(ROOT / "corpus" / name, corpus / name)
    (corpus / "b.crash").write_text("x")
    (corpus / "c.crash").write_text("x")
    try:
        report = run_ingest(Settings(corpus, tmp_path / "index"), workers=2)
    finally:
        READERS.pop(".crash")
    assert [(p.source, p.reason) for p in report.problems] == [
        (name, "could not be read (the reader's process ended while reading it)") for name in ("b.crash", "c.crash")]
    assert sorted(report.added) == sorted(["2013-chengdu-ecommerce-plan.txt", "2014-mofcom-767.md", *SEEDS])


def test_a_file_with_no_structure_gets_bounded_paragraphs_and_no_line_as_title(tmp_path):
    """40 real regulations run together on one line of 200,000 characters (a dump, a bad export): the title is
    the file name, not the line; every paragraph is bounded; every character is still there."""
    from policysearch.ingest.pipeline import read_documents
    from tests._laws import LAWS

    if not LAWS.is_dir():
        pytest.skip("../shared/real/laws is not beside the checkout")
    text = "".join(f.read_text("utf-8").split("<!-- INFO END -->")[-1].replace("\n", "").replace("#", "")
                   for f in sorted(LAWS.glob("*.md"))[:40])
    (tmp_path / "dump.txt").write_text(text, "utf-8")
    [doc] = read_documents(tmp_path / "dump.txt", tmp_path)
    assert doc.title == "dump"
    assert max(len(line) for line in doc.text.split("\n")) <= 1_000
    assert doc.text.replace("\n", "").replace(" ", "") == text.replace(" ", "").replace("\u3000", "")
