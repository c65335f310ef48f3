"""The clause index: incremental, crash-safe generations of a Whoosh index plus the clause store.

Layout of the index directory::

    CURRENT            name of the live generation (replaced atomically)
    gen-000012/        one generation: Whoosh files, docs.json (linked), parsed.json (as read), clauses.json,
                       files.json, meta.json, querydict.marshal
    ingest.lock        held by the one ingest that may run at a time

An ingest copies the live generation, updates the copy (only new, changed and deleted files), and
switches CURRENT to it with os.replace.  A crash or kill at any point leaves CURRENT naming an intact
generation; readers keep the generation they opened.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import Settings
from .corpus import MANIFEST, discover, link_attachments, load_manifest, read_documents
from .model import Document, Progress, SourceProblem
from .sources import SourceError

SCHEMA_VERSION = 7
CURRENT = "CURRENT"


class IndexBusy(Exception):
    pass


@dataclass
class IngestReport:
    """What an ingest did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # unreadable now, previous version kept
    documents: int = 0
    clauses: int = 0
    seconds: float = 0.0
    rebuilt: str = ""  # why the whole index was rebuilt, if it was
    generation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added, "updated": self.updated, "removed": self.removed,
            "unchanged": len(self.unchanged), "kept_previous": self.kept,
            "skipped": [{"source": p.source, "reason": p.reason} for p in self.problems],
            "documents": self.documents, "clauses": self.clauses, "seconds": round(self.seconds, 3),
            "rebuilt": self.rebuilt or None, "generation": self.generation,
        }


# --- Whoosh schema and analyzer -------------------------------------------------------------------

def _schema():  # noqa: ANN202
    from whoosh import fields

    from .whoosh_words import WordsAnalyzer

    return fields.Schema(
        key=fields.ID(stored=True, unique=True),
        doc_id=fields.ID(stored=True),
        source=fields.ID(),
        path=fields.STORED,
        words=fields.TEXT(analyzer=WordsAnalyzer(), phrase=False),
    )


# --- generations ----------------------------------------------------------------------------------

def current_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / CURRENT).read_text().strip()
    except OSError:
        return None
    gen = index_dir / name
    return gen if (gen / "meta.json").exists() else None


def _read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError):
        return default


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def index_state(index_dir: Path) -> tuple[Path | None, str]:
    """The live generation and, if it cannot be used, why."""
    gen = current_generation(index_dir)
    if gen is None:
        return None, "no index yet"
    meta = _read_json(gen / "meta.json", {})
    if meta.get("schema_version") != SCHEMA_VERSION:
        return None, (f"the index was built by an older version (schema {meta.get('schema_version')}, "
                      f"now {SCHEMA_VERSION})")
    return gen, ""


def load_documents(gen: Path) -> list[Document]:
    return [Document.from_dict(d) for d in _read_json(gen / "docs.json", [])]


# --- locking ------------------------------------------------------------------------------------

class IngestLock:
    """An exclusive lock on the index directory; a second ingest waits for the first."""

    def __init__(self, index_dir: Path):
        index_dir.mkdir(parents=True, exist_ok=True)
        self.path = index_dir / "ingest.lock"
        self.fd: int | None = None

    def acquire(self, wait: bool = True) -> bool:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                os.close(self.fd)
                self.fd = None
                return False
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        os.ftruncate(self.fd, 0)
        os.write(self.fd, str(os.getpid()).encode())
        return True

    def holder(self) -> str:
        try:
            return self.path.read_text().strip()
        except OSError:
            return "?"

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


# --- ingest -------------------------------------------------------------------------------------

def _hash_file(path: Path) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _worker_init(lock_fd: int | None, parent: int) -> None:
    """A reading worker must neither hold the ingest lock nor outlive a killed ingest."""
    if lock_fd is not None:
        try:
            os.close(lock_fd)  # the forked copy of the lock's descriptor: the lock dies with the parent
        except OSError:
            pass
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: end when the parent ends
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _parse_file(args: tuple[str, str, int, int]) -> tuple[str, list[dict] | None, str | None]:
    """Read one file (or one part of a many-document file) into documents, each clause's words
    segmented (runs in worker processes)."""
    from .segment import words

    path, corpus, part, parts = args
    try:
        docs = read_documents(Path(path), Path(corpus), part, parts)
    except SourceError as e:
        return path, None, str(e)
    except (ValueError, RecursionError, MemoryError) as e:  # a parser limit on a hostile file
        return path, None, f"could not be parsed ({type(e).__name__}: {e})"
    out = []
    for d in docs:
        data = d.to_dict()
        rows = clause_rows(d)
        for row, c in zip(rows, d.walk(), strict=True):
            row["words"] = " ".join(words(c.norm))
        data["_rows"] = rows
        out.append(data)
    return path, out, None


def clause_rows(doc: Document) -> list[dict[str, Any]]:
    """The clause store's rows for one document (what search needs without reopening files)."""
    from .normalise import raw

    rows = []
    for order, c in enumerate(doc.walk()):
        rows.append({
            "key": f"{doc.id}#{c.path}", "doc_id": doc.id, "path": c.path, "label": c.label,
            "heading": c.heading, "text": c.text, "norm": c.norm, "raw": raw(c.text), "order": order,
        })
    return rows


def ingest(settings: Settings, cancel: threading.Event | None = None, *, wait: bool = True,
           workers: int | None = None) -> Iterator[Progress | IngestReport]:
    """(Re)index the corpus: yields Progress events, then one IngestReport."""
    t0 = time.perf_counter()
    report = IngestReport()
    corpus, index_dir = settings.corpus, settings.index
    if not corpus.is_dir():
        raise SourceError(f"corpus directory {corpus} does not exist")
    lock = IngestLock(index_dir)
    if not lock.acquire(wait=False):
        if not wait:
            raise IndexBusy(f"another ingest (pid {lock.holder()}) is updating {index_dir}")
        yield Progress("waiting for another ingest", 0, 0, f"pid {lock.holder()}")
        lock.acquire(wait=True)
    try:
        yield from _ingest_locked(corpus, index_dir, report, cancel, workers, lock.fd)
    finally:
        lock.release()
    report.seconds = time.perf_counter() - t0
    yield report


def _ingest_locked(corpus: Path, index_dir: Path, report: IngestReport, cancel: threading.Event | None,
                   workers: int | None, lock_fd: int | None = None) -> Iterator[Progress]:
    old_gen, why = index_state(index_dir)
    if old_gen is None and why != "no index yet":
        report.rebuilt = why
    old_files: dict[str, dict] = _read_json(old_gen / "files.json", {}) if old_gen else {}
    old_meta = _read_json(old_gen / "meta.json", {}) if old_gen else {}
    paths = discover(corpus)
    manifest_path = corpus / MANIFEST
    manifest_hash = _hash_file(manifest_path) if manifest_path.exists() else ""
    current: dict[str, dict] = {}
    changed: list[Path] = []
    for p in paths:
        rel = str(p.relative_to(corpus))
        st = p.stat()
        prev = old_files.get(rel)
        if prev and prev["size"] == st.st_size and prev["mtime_ns"] == st.st_mtime_ns:
            current[rel] = prev
            continue
        digest = _hash_file(p)
        entry = {"sha1": digest, "size": st.st_size, "mtime_ns": st.st_mtime_ns, "doc_ids": []}
        if prev and prev["sha1"] == digest:
            entry["doc_ids"] = prev["doc_ids"]
            current[rel] = entry
            continue
        current[rel] = entry
        changed.append(p)
    removed = [rel for rel in old_files if rel not in current]
    changed_rel = {str(p.relative_to(corpus)) for p in changed}
    unchanged = [rel for rel in current if rel not in changed_rel]
    report.unchanged = unchanged
    report.removed = removed
    if old_gen and not changed and not removed and old_meta.get("manifest") == manifest_hash:
        if any(current[r] != old_files.get(r) for r in current):  # touched but same content
            _write_json(old_gen / "files.json", current)
        docs_meta = old_meta.get("counts", {})
        report.documents, report.clauses = docs_meta.get("documents", 0), docs_meta.get("clauses", 0)
        report.generation = old_gen.name
        report.problems = [SourceProblem(s, r) for s, r in old_meta.get("problems", [])]
        return

    # Read what changed (in worker processes when there is enough work) and index it as it arrives.
    # Documents are kept as read from their files, before attachment links and the manifest, which
    # are applied afresh on every ingest.
    old_docs = {d["id"]: Document.from_dict(d) for d in _read_json(old_gen / "parsed.json", [])} if old_gen else {}
    old_rows: dict[str, list[dict]] = {}
    if old_gen is not None and not report.rebuilt:
        for row in _read_json(old_gen / "clauses.json", []):
            old_rows.setdefault(row["doc_id"], []).append(row)
    parsed: dict[str, list[Document]] = {}
    new_rows: dict[str, list[dict]] = {}  # doc id -> clause rows of re-read documents
    total = len(changed)
    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    # Worker processes are forked (the loaded dictionary comes along), which is safe only while no other
    # thread runs: an ingest started from the TUI's worker thread reads in its own thread.
    parallel = n_workers > 1 and threading.active_count() == 1 and (
        total > 4 or sum(p.stat().st_size for p in changed) > 1_000_000)
    index_dir.mkdir(parents=True, exist_ok=True)
    gen = _new_generation_dir(index_dir)
    writer = None
    try:
        # one writer in this process: the reading workers already keep both cores busy (measured:
        # Whoosh's multi-process writer beside them was slower)
        writer = _open_writer(gen, old_gen if old_gen is not None and not report.rebuilt else None)
        for src in removed:
            writer.delete_by_term("source", src)
        yield Progress("reading", 0, total)
        # largest files first, so that no worker is left with a big one at the end; a large .jsonl
        # file holds many documents: several workers share it
        order = sorted(changed, key=lambda p: -p.stat().st_size) if parallel else changed
        args = [(str(p), str(corpus), part, parts) for p in order
                for parts in [n_workers * 2 if parallel and p.suffix == ".jsonl" and p.stat().st_size > 500_000 else 1]
                for part in range(parts)]
        if parallel:
            from .segment import tokenizer

            tokenizer()  # load jieba's dictionary once, before the workers fork
            import multiprocessing

            pool = ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_worker_init, initargs=(lock_fd, os.getpid()))
            results: Iterator = pool.map(_parse_file, args)
        else:
            pool = None
            results = map(_parse_file, args)
        try:
            for i, (path, docs, err) in enumerate(_whole_files(results, args), 1):
                if docs is not None:  # a file that fails now keeps its previous entries
                    writer.delete_by_term("source", str(Path(path).relative_to(corpus)))
                for d, rows in _take(path, docs, err, corpus, parsed, report, old_files, current):
                    new_rows[d.id] = rows
                    for row in rows:
                        writer.add_document(key=row["key"], doc_id=d.id, source=d.source, path=row["path"],
                                            words=row.pop("words"))
                yield Progress("reading", i, total, Path(path).name)
                if cancel is not None and cancel.is_set():
                    raise _Cancelled
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        yield Progress("indexing", total, total)
        writer.commit()
        writer = None
    except _Cancelled:
        if writer is not None:
            writer.cancel()
        shutil.rmtree(gen, ignore_errors=True)
        return
    except BaseException:
        if writer is not None:
            try:
                writer.cancel()
            except Exception:  # noqa: BLE001 - the writer may be half closed
                pass
        shutil.rmtree(gen, ignore_errors=True)
        raise
    # The full document set: unchanged files keep their previous documents and rows.
    all_docs: list[Document] = []
    for rel, entry in current.items():
        if rel in parsed:
            all_docs.extend(parsed[rel])
        else:
            all_docs.extend(old_docs[i] for i in entry["doc_ids"] if i in old_docs)
    _write_json(gen / "parsed.json", [d.to_dict() for d in all_docs])
    link_attachments(all_docs, load_manifest(corpus))  # metadata only: the Whoosh index holds none
    _write_json(gen / "docs.json", [d.to_dict() for d in all_docs])
    _write_json(gen / "clauses.json", [r for d in all_docs for r in new_rows.get(d.id, old_rows.get(d.id, []))])
    from whoosh import index as windex

    from .segment import QUERY_DICT, write_query_dictionary

    with windex.open_dir(str(gen / "whoosh")).reader() as reader:
        lexicon = {t.decode("utf-8") for t in reader.lexicon("words")}
    write_query_dictionary(str(gen / QUERY_DICT), lexicon)
    clauses = sum(1 for d in all_docs for _ in d.walk())
    report.documents, report.clauses = len(all_docs), clauses
    _write_json(gen / "files.json", current)
    _write_json(gen / "meta.json", {
        "schema_version": SCHEMA_VERSION, "manifest": manifest_hash, "created": time.time(),
        "counts": {"documents": len(all_docs), "clauses": clauses},
        "problems": [[p.source, p.reason] for p in report.problems],
    })
    tmp = index_dir / (CURRENT + ".tmp")
    tmp.write_text(gen.name)
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, index_dir / CURRENT)
    report.generation = gen.name
    report.added.sort()
    report.updated.sort()
    _prune(index_dir, keep={gen.name, old_gen.name if old_gen else ""})


def _whole_files(results: Iterator, args: list[tuple[str, str, int, int]]) -> Iterator[tuple]:
    """Join the parts of a file read by several workers (they arrive in order) into one result."""
    docs_so_far: list[dict] = []
    error: str | None = None
    for (path, docs, err), (_, _, part, parts) in zip(results, args, strict=True):
        if part == 0:
            docs_so_far, error = [], None
        if err is not None:
            error = error or err
        else:
            docs_so_far.extend(docs or [])
        if part == parts - 1:
            docs_so_far.sort(key=lambda d: d.get("source_line") or 0)  # back in file order (stable)
            yield path, (None if error else docs_so_far), error


class _Cancelled(Exception):
    pass


def _take(path: str, docs: list[dict] | None, err: str | None, corpus: Path, parsed: dict[str, list[Document]],
          report: IngestReport, old_files: dict, current: dict) -> list[tuple[Document, list[dict]]]:
    """Record one file's result; returns its documents with their clause rows (words included)."""
    rel = str(Path(path).relative_to(corpus))
    if docs is None:
        report.problems.append(SourceProblem(rel, err or "unreadable"))
        if rel in old_files:  # keep what was ingested before
            current[rel] = old_files[rel]
            report.kept.append(rel)
        else:
            current[rel]["doc_ids"] = []
        return []
    out = []
    for data in docs:
        rows = data.pop("_rows")
        out.append((Document.from_dict(data), rows))
    parsed[rel] = [d for d, _ in out]
    current[rel]["doc_ids"] = [d.id for d in parsed[rel]]
    (report.updated if rel in old_files else report.added).append(rel)
    return out


def _new_generation_dir(index_dir: Path) -> Path:
    nums = [int(p.name[4:]) for p in index_dir.glob("gen-*") if p.name[4:].isdigit()]
    gen = index_dir / f"gen-{max(nums, default=0) + 1:06d}"
    gen.mkdir()
    return gen


def _prune(index_dir: Path, keep: set[str]) -> None:
    for p in index_dir.glob("gen-*"):
        if p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)


def _open_writer(gen: Path, old_gen: Path | None):  # noqa: ANN202 - whoosh writer
    """A writer on a copy of the live generation's Whoosh index (or on a new one)."""
    from whoosh import index as windex

    if old_gen is not None and (old_gen / "whoosh").exists():
        shutil.copytree(old_gen / "whoosh", gen / "whoosh")
        ix = windex.open_dir(str(gen / "whoosh"))
    else:
        (gen / "whoosh").mkdir()
        ix = windex.create_in(str(gen / "whoosh"), _schema())
    return ix.writer(limitmb=256)
