"""Ingest: bring the store up to date with the corpus — plan, read, write, publish.

* plan    — which files are new, changed, removed or unchanged (size and mtime, then content hash); whether
            the store can be updated in place or a new generation must be built (no store yet, an older
            schema or JSON index, a fingerprint that no longer matches the parsing code), and whether a crash
            left Whoosh and SQLite out of step.
* read    — the files to read, parsed in worker processes (jieba segmentation and index material too).
* write   — one SQLite transaction and one Whoosh writer: rows of removed and re-read files out, new rows
            in, effective metadata recomputed for what the change touches.
* publish — Whoosh commits, then SQLite commits with Whoosh's generation recorded; a new generation is
            switched in atomically (``DIR/CURRENT``).  A kill at any moment leaves the previous state or the
            new one; a crash between the two commits is noticed and repaired by the next ingest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from ...config import Settings
from ...errors import IndexBusy, IndexFull, IndexReadOnly, PolicySearchError, SourceError
from ...ingest.limits import Limits
from ...ingest.pipeline import corpus_files, is_standalone_attachment, load_manifest, read_documents
from ...model import Progress, SourceProblem
from ..base import Store
from ..fingerprint import code_stamp, fingerprint
from . import rows as store_rows
from .compact import add_removed, compact, merge_if_due, merge_segments, record_word_commit
from .links import relink
from .lock import IngestLock
from .rows import LiteralMismatch, ParsedDocument, prepare_document
from .schema import SCHEMA_VERSION
from .state import CURRENT, current_store, index_state
from .store import DATABASE, QUERY_DICT, WORDS, connect, create
from .words import WordIndex


@dataclass
class IngestReport:
    """What an ingest did, file by file; ``cancelled`` when it was stopped (nothing changed then)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # unreadable now, previous version kept
    documents: int = 0
    clauses: int = 0
    seconds: float = 0.0
    rebuilt: str = ""  # why a new generation was built, if it was
    repaired: str = ""  # what a crash had left out of step, if anything
    compacted: str = ""  # the space of removed documents given back (compact.py), or why it was not
    generation: str = ""
    cancelled: bool = False


# --- plan ------------------------------------------------------------------------------------------

@dataclass
class Plan:
    store_dir: Path
    rebuild: str  # "" when the live store is updated in place
    files: dict[str, tuple[str, int, int]]  # corpus file -> (sha1, size, mtime_ns)
    to_read: list[Path]
    removed: list[str]
    unchanged: list[str]
    touched: list[str]  # same content, new mtime
    previous: dict[str, tuple[str, int, int, str | None]]  # stored files -> (sha1, size, mtime_ns, problem)
    manifest: dict[str, dict]
    manifest_json: str
    manifest_changed: set[str]
    refused: dict[str, str] = field(default_factory=dict)  # files not to be read, newly so -> why

    @property
    def nothing_to_do(self) -> bool:
        return not (self.rebuild or self.to_read or self.removed or self.manifest_changed or self.refused)


def _hash_file(path: Path) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _new_generation(index_dir: Path) -> Path:
    nums = [int(p.name.split("-")[1]) for p in index_dir.glob("*-*") if p.is_dir() and p.name.split("-")[1].isdigit()]
    gen = index_dir / f"store-{max(nums, default=0) + 1:06d}"
    gen.mkdir()
    return gen


def plan(corpus: Path, index_dir: Path, report: IngestReport) -> Plan:
    live, why = index_state(index_dir)
    previous: dict[str, tuple[str, int, int, str | None]] = {}
    old_manifest = "{}"
    if live is None:
        store_dir = _new_generation(index_dir)
        if why != "no index yet":
            report.rebuilt = why
    else:
        store_dir = live
        con = connect(live / DATABASE, readonly=True)
        try:
            previous = {r[0]: tuple(r[1:]) for r in con.execute(  # type: ignore[misc]
                "SELECT rel, sha1, size, mtime_ns, problem FROM files")}
            row = con.execute("SELECT value FROM meta WHERE key = 'manifest'").fetchone()
            old_manifest = row[0] if row else "{}"
        finally:
            con.close()
    files: dict[str, tuple[str, int, int]] = {}
    to_read: list[Path] = []
    unchanged: list[str] = []
    touched: list[str] = []
    refused_now: list[tuple[str, str]] = []
    for rel, st in corpus_files(corpus, refused_now):
        prev = previous.get(rel)
        if prev and prev[1] == st.st_size and prev[2] == st.st_mtime_ns:
            files[rel] = (prev[0], st.st_size, st.st_mtime_ns)
            unchanged.append(rel)
            continue
        try:
            digest = _hash_file(corpus / rel)
        except OSError:
            digest = ""  # its reader says why it cannot be read
        files[rel] = (digest, st.st_size, st.st_mtime_ns)
        if prev and prev[0] == digest and prev[3] is None:
            unchanged.append(rel)
            touched.append(rel)
        else:
            to_read.append(corpus / rel)
    refused: dict[str, str] = {}
    for rel, why in refused_now:  # links out of the folder: recorded as problems, never read
        files[rel] = ("", 0, 0)
        if rel in previous and previous[rel][3] == why:
            unchanged.append(rel)
        else:
            refused[rel] = why
    manifest = load_manifest(corpus)
    manifest_json = json.dumps(manifest, ensure_ascii=False, sort_keys=True)
    old = json.loads(old_manifest)
    changed_ids = {k for k in set(old) | set(manifest) if old.get(k) != manifest.get(k)}
    removed = sorted(rel for rel in previous if rel not in files)
    report.unchanged, report.removed = unchanged, removed
    return Plan(store_dir, report.rebuilt or ("" if live is not None else "new"), files, to_read, removed, unchanged,
                touched, previous, manifest, manifest_json, changed_ids, refused)


# --- read ------------------------------------------------------------------------------------------

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


_Task = tuple[str, str, int, int, Limits | None]  # path, corpus, part, parts, limits


def _read_file(args: _Task) -> tuple[str, list[ParsedDocument] | None, str | None]:
    """Read one file (or one part of a many-document file) into documents with their index material."""
    path, corpus, part, parts, limits = args
    try:
        docs = read_documents(Path(path), Path(corpus), part, parts, limits)
        return path, [prepare_document(d, is_standalone_attachment(d)) for d in docs], None
    except SourceError as e:
        return path, None, str(e)
    except Exception as e:  # noqa: BLE001 - any library's failure on one file is that file's (lxml, pdfium …)
        return path, None, failure_reason(e)


def failure_reason(e: BaseException) -> str:
    """One line for a file a library failed on, as plain text (lxml's errors carry objects that cannot be
    pickled back from a worker)."""
    first = str(e).strip().splitlines()[0][:200] if str(e).strip() else ""
    kind = {"MemoryError": "too large to read in memory", "RecursionError": "nested too deeply"}.get(
        type(e).__name__, type(e).__name__)
    return f"could not be read ({kind}{': ' + first if first and kind == type(e).__name__ else ''})"


def _whole_files(results: Iterator, args: list[_Task]) -> Iterator[tuple]:
    """Join the parts of a file read by several workers (they arrive in order) into one result."""
    so_far: list[ParsedDocument] = []
    error: str | None = None
    for (path, docs, err), (_, _, part, parts, _) in zip(results, args, strict=True):
        if part == 0:
            so_far, error = [], None
        if err is not None:
            error = error or err
        else:
            so_far.extend(docs or [])
        if part == parts - 1:
            so_far.sort(key=lambda d: d.doc.source_line or 0)  # back in file order (stable)
            yield path, (None if error else so_far), error


def read(p: Plan, corpus: Path, workers: int | None, lock_fd: int | None,
         limits: Limits | None = None) -> Iterator[tuple]:
    """(path, parsed documents or None, error) of every file to read, largest first when in parallel."""
    total = len(p.to_read)
    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    # Worker processes are forked (the loaded dictionary comes along), which is safe only while no other
    # thread runs: an ingest started from the TUI's worker thread reads in its own thread.
    parallel = n_workers > 1 and threading.active_count() == 1 and (
        total > 4 or sum(x.stat().st_size for x in p.to_read) > 1_000_000)
    order = sorted(p.to_read, key=lambda x: -x.stat().st_size) if parallel else p.to_read
    args = [(str(x), str(corpus), part, parts, limits) for x in order
            for parts in [n_workers * 2 if parallel and x.suffix == ".jsonl" and x.stat().st_size > 500_000 else 1]
            for part in range(parts)]
    if not parallel:
        yield from _whole_files(map(_read_file, args), args)
        return
    from ...text.segment import tokenizer

    tokenizer()  # load jieba's dictionary once, before the workers fork
    import multiprocessing

    def pool(n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_worker_init, initargs=(lock_fd, os.getpid()))

    yield from _whole_files(_pooled(args, n_workers, pool), args)


def _pooled(args: list[_Task], n_workers: int,
            pool: Callable[[int], ProcessPoolExecutor]) -> Iterator[tuple]:
    """_read_file's results in order, read by a pool of workers.  A worker that dies (a reader crashing in
    native code, a process killed for its memory) breaks the pool without saying which file it held: the first
    unfinished file is then read again alone, and fails alone if it breaks that worker too; the rest go on in a
    new pool."""
    from concurrent.futures.process import BrokenProcessPool

    pending = list(args)
    while pending:
        ex = pool(n_workers)
        try:
            futures = [ex.submit(_read_file, a) for a in pending]
            done = 0
            try:
                for fut in futures:
                    result = fut.result()
                    done += 1
                    yield result
            except BrokenProcessPool:
                pass
        finally:
            ex.shutdown(cancel_futures=True)
        pending = pending[done:]
        if not pending:
            return
        alone = pool(1)
        try:
            yield alone.submit(_read_file, pending[0]).result()
        except BrokenProcessPool:
            yield pending[0][0], None, "could not be read (the reader's process ended while reading it)"
        finally:
            alone.shutdown(cancel_futures=True)
        pending = pending[1:]


# --- write and publish -----------------------------------------------------------------------------

class _Cancelled(Exception):
    pass


WORD_FLUSH = 6_000_000  # postings held in memory before the word index writes a segment (about 50 MB)


class _Writer:
    """The one transaction and the one Whoosh writer of an ingest."""

    def __init__(self, p: Plan):
        self.plan = p
        db = p.store_dir / DATABASE
        fresh = not db.exists()
        self.con = create(db) if fresh else connect(db)
        if p.rebuild:  # an unpublished generation: no journal needed until it is switched in
            self.con.execute("PRAGMA journal_mode = OFF")
            self.con.execute("PRAGMA synchronous = OFF")
        self.words = WordIndex(p.store_dir / WORDS)
        self.con.execute("BEGIN IMMEDIATE")
        row = self.con.execute("SELECT seq FROM sqlite_sequence WHERE name = 'clauses'").fetchone()
        self.next_clause = (row[0] if row else 0) + 1
        self.writer = self.words.writer()
        self.changed: set[str] = set()
        self.removed_docs: set[str] = set()
        self.new_words: set[str] = set()
        self.literal_stale = False
        self.removed_text = 0  # compressed size of the texts deleted (compact.py)

    def drop_file(self, rel: str) -> None:
        ids = [r[0] for r in self.con.execute("SELECT id FROM documents WHERE file = ?", (rel,))]
        self.removed_docs.update(ids)
        try:
            self.removed_text += store_rows.delete_file(self.con, self.writer, rel)
        except LiteralMismatch:
            self.literal_stale = True
            self.removed_text += store_rows.delete_file(self.con, self.writer, rel, literal=False)

    def add_file(self, rel: str, docs: list[ParsedDocument]) -> None:
        for k, pd in enumerate(docs):
            self.next_clause = store_rows.insert_document(self.con, self.writer, rel, k, pd, self.next_clause)
            self.changed.add(pd.doc.id)
        if self.writer.posting_count > WORD_FLUSH:  # a segment now, another for what follows
            self._commit_words(merge=False)
            self.writer = self.words.writer()

    def _commit_words(self, merge: bool = True) -> None:
        """Commit the word index's writer and record, in this transaction, where merges moved clauses."""
        w = self.writer
        w.commit(merge=merge)
        self.new_words |= w.vocabulary
        record_word_commit(self.con, w)

    def set_file(self, rel: str, entry: tuple[str, int, int], problem: str | None) -> None:
        self.con.execute("INSERT OR REPLACE INTO files (rel, sha1, size, mtime_ns, problem) VALUES (?,?,?,?,?)",
                         (rel, *entry, problem))

    def cancel(self) -> None:
        try:
            if not self.writer.is_closed:
                self.writer.cancel()
        finally:
            self.con.execute("ROLLBACK")
            self.con.close()
            self.words.close()

    def discard(self) -> None:
        """Cancel after an error, whatever state the writer was left in."""
        try:
            self.cancel()
        except Exception:  # noqa: BLE001 - the writer may be half closed
            pass

    def commit(self, report: IngestReport) -> None:
        p = self.plan
        for rel in p.removed:
            self.con.execute("DELETE FROM files WHERE rel = ?", (rel,))
        if self.literal_stale:
            store_rows.rebuild_literal_tables(self.con)
            report.repaired = (report.repaired + "; " if report.repaired else "") + \
                "the literal index no longer matched the stored texts and was rebuilt"
        relink(self.con, self.changed, self.removed_docs - self.changed, p.manifest, p.manifest_changed)
        _count(self.con, report)
        add_removed(self.con, self.removed_text)
        if p.rebuild:  # a new generation: its literal tables as one segment each (compact.py: SEGMENTS)
            merge_segments(self.con)
        self._commit_words()
        meta = {"schema_version": str(SCHEMA_VERSION), "fingerprint": fingerprint(), "code_stamp": code_stamp(),
                "manifest": p.manifest_json, "updated": str(time.time()), "documents": str(report.documents),
                "clauses": str(report.clauses)}
        self.con.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", meta.items())
        # The query dictionary before the commit: should the disk fill here, nothing is committed yet (it only
        # ever grows, so the words of a transaction that then fails cost nothing).
        from ...text.segment import update_query_dictionary

        self.new_words.discard("")
        update_query_dictionary(str(p.store_dir / QUERY_DICT), self.new_words, replace=bool(p.rebuild))
        self.con.execute("COMMIT")
        if p.rebuild:  # the pages the merged segments freed (a sixth of a fresh index: 0.3 s at 16x, unjournalled)
            self.con.execute("VACUUM")
            self.con.execute("PRAGMA journal_mode = WAL")
        self.con.close()
        self.words.close()


def _settle_words(p: Plan, report: IngestReport) -> None:
    """Bring the word index to the generation the store recorded: roll back what an interrupted ingest wrote
    after it, drop older generations; rebuild it from the stored clauses if it cannot be (it is missing or does
    not hold the store's clauses)."""
    con = connect(p.store_dir / DATABASE)
    words = WordIndex(p.store_dir / WORDS)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'whoosh_generation'").fetchone()
        generation = int(row[0]) if row else -1
        (clauses,) = con.execute("SELECT coalesce(sum(clause_count), 0) FROM documents").fetchone()
        try:
            if words.settle(generation):
                report.repaired = (f"an interrupted ingest had written the word index past what the store recorded: "
                                   f"rolled back to generation {generation}")
            if words.live_count(generation) == clauses:
                return
            why = "did not hold the store's clauses"
        except (OSError, ValueError) as e:
            why = f"could not be read ({type(e).__name__})"
        words.close()
        shutil.rmtree(p.store_dir / WORDS, ignore_errors=True)
        words = WordIndex(p.store_dir / WORDS)
        _rebuild_words(con, words)
        report.repaired = f"the word index {why} and was rebuilt from the stored clauses"
    finally:
        con.close()
        words.close()


def _rebuild_words(con: sqlite3.Connection, words: WordIndex) -> None:
    """Segment every stored clause again into a new word index and record where each document's clauses are."""
    from ...text.normalise import norm
    from ...text.segment import words as segment

    writer = words.writer()
    con.execute("BEGIN IMMEDIATE")
    try:
        for num, script, first, count in con.execute(
                "SELECT num, script, first_clause, clause_count FROM documents WHERE clause_count > 0 "
                "ORDER BY num").fetchall():
            con.execute("UPDATE documents SET w_seg = ?, w_doc = ? WHERE num = ?",
                        (writer.segment_name, writer.docnum, num))
            for _, body in store_rows.stored_clause_texts(con, num, first, count):
                writer.add_clause(" ".join(segment(norm(body, traditional=script == "traditional"))))
        writer.commit(merge=False)
        con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('whoosh_generation', ?)",
                    (str(writer.generation),))
        con.execute("COMMIT")
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        con.execute("ROLLBACK")
        raise


def _write(p: Plan, corpus: Path, report: IngestReport, cancel: threading.Event | None, workers: int | None,
           lock_fd: int | None, limits: Limits | None) -> Iterator[Progress]:
    w = _Writer(p)
    try:
        for rel in p.removed:
            w.drop_file(rel)
        for rel in p.touched:
            w.set_file(rel, p.files[rel], None)
        for rel, why in p.refused.items():
            if rel in p.previous:
                w.drop_file(rel)
            w.set_file(rel, p.files[rel], why)
        total = len(p.to_read)
        yield Progress("reading", 0, total)
        for i, (path, docs, err) in enumerate(read(p, corpus, workers, lock_fd, limits), 1):
            rel = str(Path(path).relative_to(corpus))
            if docs is None:
                report.problems.append(SourceProblem(rel, err or "unreadable"))
                if rel in p.previous and p.previous[rel][3] is None:
                    report.kept.append(rel)  # keep what was ingested before; try again next time
                else:
                    w.set_file(rel, p.files[rel], err or "unreadable")
            else:
                if rel in p.previous:
                    w.drop_file(rel)
                w.add_file(rel, docs)
                w.set_file(rel, p.files[rel], None)
                (report.updated if rel in p.previous else report.added).append(rel)
            yield Progress("reading", i, total, Path(path).name)
            if cancel is not None and cancel.is_set():
                raise _Cancelled
        yield Progress("indexing", total, total)
        w.commit(report)
    except _Cancelled:
        w.cancel()
        report.cancelled = True
        report.added, report.updated = [], []
        return
    except BaseException:
        w.discard()
        raise


def _prepare_queries(store_dir: Path) -> None:
    """With traditional-script documents in the corpus, what a query needs to be matched against them is found
    now (once per OpenCC version, 2.5 s; text/variants.py), not by the first search."""
    con = connect(store_dir / DATABASE, readonly=True)
    try:
        traditional = con.execute("SELECT 1 FROM documents WHERE script = 'traditional' LIMIT 1").fetchone()
    finally:
        con.close()
    if traditional:
        from ...text import variants

        variants.prepare()


def _publish(index_dir: Path, p: Plan, report: IngestReport) -> None:
    if p.rebuild:
        tmp = index_dir / (CURRENT + ".tmp")
        old = current_store(index_dir)
        tmp.write_text(p.store_dir.name)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, index_dir / CURRENT)
        keep = {p.store_dir.name, old.name if old is not None else ""}
        for x in index_dir.iterdir():  # older generations (a reader may still hold the previous one)
            if x.is_dir() and x.name not in keep and (x.name.startswith(("store-", "gen-"))):
                shutil.rmtree(x, ignore_errors=True)
    report.generation = p.store_dir.name
    report.added.sort()
    report.updated.sort()


def ingest(settings: Settings, cancel: threading.Event | None = None, *, wait: bool = True,
           workers: int | None = None) -> Iterator[Progress | IngestReport]:
    """(Re)index the corpus: yields Progress events, then one IngestReport."""
    t0 = time.perf_counter()
    report = IngestReport()
    corpus, index_dir = settings.corpus, settings.index
    if not corpus.is_dir():
        raise SourceError(f"corpus directory {corpus} does not exist")
    lock = yield from _take_lock(index_dir, wait)
    p: Plan | None = None
    try:
        p = plan(corpus, index_dir, report)
        if not p.rebuild:
            _settle_words(p, report)
        if p.nothing_to_do:
            _record_unchanged(p, report)
        else:
            yield from _write(p, corpus, report, cancel, workers, lock.fd, settings.limits)
            if not report.cancelled:
                _publish(index_dir, p, report)
                _prepare_queries(p.store_dir)
                if not p.rebuild:
                    yield from _compact(p, report, cancel)
                    yield from _merge(p, report)
            elif p.rebuild:
                shutil.rmtree(p.store_dir, ignore_errors=True)
    except (OSError, sqlite3.Error) as e:
        if p is not None and p.rebuild and current_store(index_dir) != p.store_dir:
            shutil.rmtree(p.store_dir, ignore_errors=True)  # an unpublished generation
        elif p is not None:
            _drop_unrecorded_words(p)
        _raise_mapped(e, index_dir)
    finally:
        lock.release()
    report.seconds = time.perf_counter() - t0
    yield report


def copy_store(source: Store, index_dir: Path, cancel: threading.Event | None = None, *,
               wait: bool = True) -> Iterator[Progress | IngestReport]:
    """Copy every document of a store (a PostgreSQL store, for one) into a new embedded store generation in
    ``index_dir``, switched in when complete (a reader of an index there sees the old one or the copy); yields
    progress, then a report.  Each document is indexed from its text and clauses as the source holds them, with
    its effective metadata as read; its file is recorded without a checksum, so that an ingest of a corpus into
    this index reads every file of it again."""
    t0 = time.perf_counter()
    report = IngestReport()
    if index_dir.is_file() or (index_dir.is_dir() and not (index_dir / CURRENT).exists() and
                               any(x.name != IngestLock.NAME for x in index_dir.iterdir())):
        raise SourceError(f"{index_dir} holds other files and no index: give a new or empty folder, or an index's")
    lock = yield from _take_lock(index_dir, wait)
    p = Plan(_new_generation(index_dir), "a copy", {}, [], [], [], [], {}, {}, "{}", set())
    try:
        ids = source.document_ids()
        yield Progress("copying", 0, len(ids))
        w = _Writer(p)
        try:
            rel, parsed = "", list[ParsedDocument]()  # a file's documents (the source lists them file by file)
            for k, doc_id in enumerate([*ids, None], 1):
                doc = source.document(doc_id) if doc_id is not None else None
                if parsed and (doc is None or doc.source != rel):
                    w.add_file(rel, parsed)
                    p.files[rel] = ("", 0, 0)
                    w.set_file(rel, p.files[rel], None)
                    report.added.append(rel)
                    parsed = []
                if doc is not None:
                    rel = doc.source
                    parsed.append(prepare_document(doc, is_standalone_attachment(doc)))
                if doc_id is not None:
                    yield Progress("copying", k, len(ids), doc_id)
                if cancel is not None and cancel.is_set():
                    raise _Cancelled
            w.commit(report)
        except _Cancelled:
            w.cancel()
            report.cancelled = True
        except BaseException:
            w.discard()
            raise
        if report.cancelled:
            shutil.rmtree(p.store_dir, ignore_errors=True)
            report.added = []
        else:
            _publish(index_dir, p, report)
    except (OSError, sqlite3.Error) as e:
        if current_store(index_dir) != p.store_dir:
            shutil.rmtree(p.store_dir, ignore_errors=True)
        _raise_mapped(e, index_dir)
    finally:
        lock.release()
    report.seconds = time.perf_counter() - t0
    yield report


def _compact(p: Plan, report: IngestReport, cancel: threading.Event | None) -> Iterator[Progress]:
    """Give back the space of removed documents once it is due; the ingest stands whatever happens here."""
    before = 0  # measured only when there is a compaction to do (its first event comes before any work)
    done = False
    try:
        for ev in compact(p.store_dir, cancel):
            before = before or _size(p.store_dir)
            done = ev.done == ev.total
            yield ev
    except (OSError, sqlite3.Error) as e:
        report.compacted = f"not compacted ({_write_error(e, p.store_dir)}); the next ingest tries again"
        return
    if done:
        report.compacted = f"{before / 1e6:.1f} MB → {_size(p.store_dir) / 1e6:.1f} MB (space of removed documents)"


def _merge(p: Plan, report: IngestReport) -> Iterator[Progress]:
    """Merge the literal tables' segments when there are too many; the ingest stands whatever happens here (the
    next ingest tries again)."""
    try:
        yield from merge_if_due(p.store_dir)
    except (OSError, sqlite3.Error) as e:
        why = f"the literal index's segments were not merged ({_write_error(e, p.store_dir)})"
        report.repaired = (report.repaired + "; " if report.repaired else "") + why + "; the next ingest tries again"


def _size(directory: Path) -> int:
    return sum(f.stat().st_size for f in directory.rglob("*") if f.is_file())


def _take_lock(index_dir: Path, wait: bool) -> Generator[Progress, None, IngestLock]:
    """The index directory's ingest lock (made with the directory if need be): at once, or after waiting for the
    ingest that holds it (a progress event says so), or IndexBusy without ``wait``."""
    try:
        lock = IngestLock(index_dir)
        got = lock.acquire(wait=False)
    except OSError as e:
        raise _write_error(e, index_dir) from e
    if not got:
        if not wait:
            raise IndexBusy(f"another ingest (pid {lock.holder()}) is updating {index_dir}")
        yield Progress("waiting for another ingest", 0, 0, f"pid {lock.holder()}")
        lock.acquire(wait=True)
    return lock


def _raise_mapped(e: BaseException, index_dir: Path) -> NoReturn:
    """Raise the one line for an index that cannot be written (a full disk, a read-only index), or e as it is."""
    mapped = _write_error(e, index_dir)
    if mapped is e:
        raise e
    raise mapped from e


def _drop_unrecorded_words(p: Plan) -> None:
    """After a failed update in place: remove the word-index files the store never recorded (a full disk
    gets its space back)."""
    try:
        con = connect(p.store_dir / DATABASE, readonly=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'whoosh_generation'").fetchone()
        finally:
            con.close()
        words = WordIndex(p.store_dir / WORDS, create=False)
        try:
            words.settle(int(row[0]) if row else None)
        finally:
            words.close()
    except (OSError, ValueError, sqlite3.Error):
        pass  # the next ingest settles it


def _write_error(e: BaseException, index_dir: Path) -> BaseException:
    """The one line for an index that cannot be written: a full disk, a read-only index; other errors as
    they are."""
    import errno

    if isinstance(e, PolicySearchError):
        return e
    text = str(e).lower()
    code = getattr(e, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text or "no space" in text:
        return IndexFull(f"no space left for the index in {index_dir}; nothing was changed")
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text or "read-only" in text:
        return IndexReadOnly(f"the index in {index_dir} is read-only; nothing was changed")
    return e


def _record_unchanged(p: Plan, report: IngestReport) -> None:
    con = connect(p.store_dir / DATABASE)
    try:
        if p.touched:
            with con:
                con.executemany("UPDATE files SET size = ?, mtime_ns = ? WHERE rel = ?",
                                [(p.files[r][1], p.files[r][2], r) for r in p.touched])
        _count(con, report)
    finally:
        con.close()
    report.generation = p.store_dir.name


def _count(con: sqlite3.Connection, report: IngestReport) -> None:
    """The store's totals, and every file that cannot be read (recorded ones and those kept at their previous
    version this time)."""
    report.documents, report.clauses = con.execute(
        "SELECT count(*), coalesce(sum(clause_count - heads), 0) FROM documents").fetchone()
    kept = [p for p in report.problems if p.source in report.kept]
    recorded = [SourceProblem(r, why) for r, why in con.execute(
        "SELECT rel, problem FROM files WHERE problem IS NOT NULL")]
    report.problems = sorted(recorded + kept, key=lambda p: p.source)
