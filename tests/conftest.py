from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from policysearch.config import Settings
from policysearch.ingest.pipeline import discover, link_attachments, read_documents
from policysearch.model import Document
from policysearch.store.sqlite.build import ingest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
BENCH = ROOT.parent / "shared" / "bench-corpus"


TUI_FILES = {"test_tui.py", "test_snapshots.py", "test_tmux.py"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test is unit, tui or slow: tui by its file, slow by its own mark, unit otherwise."""
    for item in items:
        if item.path.name in TUI_FILES:
            item.add_marker(pytest.mark.tui)
        elif item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.unit)


def run_ingest(settings: Settings, **kw):
    report = None
    for ev in ingest(settings, **kw):
        report = ev
    return report


@pytest.fixture(scope="session")
def seed_docs() -> dict[str, Document]:
    docs: list[Document] = []
    for p in discover(CORPUS):
        docs.extend(read_documents(p, CORPUS))
    link_attachments(docs)
    return {d.id: d for d in docs}


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Settings:
    """The bundled corpus, copied and indexed once for the session."""
    base = tmp_path_factory.mktemp("seed")
    shutil.copytree(CORPUS, base / "corpus")
    settings = Settings(base / "corpus", base / "index")
    run_ingest(settings)
    return settings


def stored_documents(settings: Settings) -> dict[str, Document]:
    """Every document of an index, with its text and clauses, as the store gives them back."""
    from policysearch.store import open_store

    store = open_store(settings.index)
    return {i: d for i in store.document_ids() if (d := store.document(i)) is not None}


def open_searcher(settings: Settings):  # noqa: ANN201 - Searcher
    from policysearch.search.searcher import Searcher
    from policysearch.store import open_store

    return Searcher(open_store(settings.index))


@pytest.fixture(scope="session")
def searcher(seed_index):
    s = open_searcher(seed_index)
    yield s
    s.close()


@pytest.fixture(scope="session")
def stored_docs(seed_index) -> dict[str, Document]:
    return stored_documents(seed_index)


@pytest.fixture
def tmp_corpus(tmp_path) -> Settings:
    """A writable copy of the bundled corpus with its own index directory."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    return Settings(tmp_path / "corpus", tmp_path / "index")


def bench_rows(limit: int | None = None) -> list[dict]:
    rows = []
    for name in ("government_work_reports.jsonl", "cpc_congress_reports.jsonl"):
        path = BENCH / name
        if path.exists():
            rows.extend(json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip())
    return rows[:limit] if limit else rows
