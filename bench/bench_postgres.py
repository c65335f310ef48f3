"""Benchmark: the PostgreSQL store beside the embedded one, on the corpora of bench_scale  (issue 18)

    python bench/bench_postgres.py [--quick] [--scale N] [--clients N]

A throwaway server from the installed binaries (tests/pg.py: initdb and pg_ctl as an unprivileged user, fsync
off), one database per corpus.  In one run, on the bench corpus at 1x, at N x (default 16) and on
../shared/real/laws (bench_scale writes them the same way), it measures, for each store:

* build: the embedded ``ingest``; for the server, the copy of that index into it (``ingest --store URL`` is the
  two one after the other);
* the store's size (index directory; ``pg_database_size``);
* a warm ``policysearch search`` process (``--store URL`` for the server; median over bench_scale's four process
  queries, 3 rounds after one warm-up);
* in-process query latency p50/p95 (bench_scale's 20 queries x 3, limit 20, snippets), the stores taking
  turns, and whether the server's top 20 equals the embedded store's (ids and order);
* adding one file: a new file, the embedded ingest, then the copy (3 files, one each; median).

Then a concurrency run on the laws: the server holds the laws without every third file; ``--clients`` processes
(default 8) search it with the laws' queries in turn while this process ingests the full laws into it; every
answer a client got must be the old corpus's or the new one's (never a mix), the answers after the ingest must
equal those of a fresh store built from the full laws, and no search may fail.  Latency p50/p95 of the clients.

Targets: query p95 at N x ≤ 2x the embedded store's; add one file ≤ 1 s; 0 errors; answers as a fresh store's.
``--quick``: 1x and the laws only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_scale import (  # noqa: E402
    PROCESS_QUERIES,
    QUERIES,
    SHARED,
    build,
    cli,
    disk_size,
    log,
    new_file,
    percentile,
    print_targets,
    run_child,
    write_bench,
    write_laws,
)

from policysearch.config import Settings  # noqa: E402
from policysearch.search.searcher import Searcher  # noqa: E402
from policysearch.store import open_store  # noqa: E402
from policysearch.store.postgres import PostgresStore, copy_in, init_db  # noqa: E402
from policysearch.store.sqlite.state import current_store  # noqa: E402
from tests import pg  # noqa: E402

TARGETS = {"p95_ratio": 2.0, "add_s": 1.0}


@dataclass
class Column:
    build_s: float = 0.0
    size_mb: float = 0.0
    proc_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    add_s: float = 0.0
    add_all: list[float] = field(default_factory=list)


@dataclass
class Corpus:
    name: str
    kind: str
    settings: Settings
    url: str
    embedded: Column = field(default_factory=Column)
    server: Column = field(default_factory=Column)
    same_top: int = 0
    queries: int = 0


def database(base_url: str, name: str) -> str:
    """A new database on the server (UTF-8, C.UTF-8 character classes: pg_trgm must see CJK), with the schema."""
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}" ENCODING UTF8 LC_COLLATE "C.UTF-8" LC_CTYPE "C.UTF-8" '
                    "TEMPLATE template0")
    url = base_url.rsplit("/", 1)[0] + "/" + name
    init_db(url)
    return url


def copy(settings: Settings, url: str) -> float:
    t0 = time.perf_counter()
    source = current_store(settings.index)
    assert source is not None
    for _ in copy_in(source, url):
        pass
    return time.perf_counter() - t0


def db_size(url: str) -> float:
    import psycopg

    with psycopg.connect(url) as con:
        return con.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 1e6


def top(searcher: Searcher, query: str) -> list[int]:
    return [h.clause_id for h in searcher.search(query, limit=20).hits]


def in_process(runs: list[Corpus], rounds: int = 3) -> None:
    log("in-process queries, the two stores taking turns")
    for run in runs:
        emb, srv = Searcher(open_store(run.settings.index)), Searcher(PostgresStore(run.url))
        for s in (emb, srv):
            s.search("政策", limit=20)
        times: dict[str, list[float]] = {"embedded": [], "server": []}
        for _ in range(rounds):
            for q in QUERIES[run.kind]:
                for name, s in (("embedded", emb), ("server", srv)):
                    t0 = time.perf_counter()
                    s.search(q, limit=20)
                    times[name].append((time.perf_counter() - t0) * 1000)
        run.queries = len(QUERIES[run.kind])
        run.same_top = sum(top(emb, q) == top(srv, q) for q in QUERIES[run.kind])
        for name, col in (("embedded", run.embedded), ("server", run.server)):
            col.p50_ms, col.p95_ms = statistics.median(times[name]), percentile(times[name], 0.95)
        emb.close()
        srv.close()


def processes(runs: list[Corpus], rounds: int = 3) -> None:
    log("search processes")
    for run in runs:
        for extra in ((), ("--store", run.url)):
            run_child(cli(run.settings, *extra, "search", PROCESS_QUERIES[run.kind]["common"]))
        seen: dict[str, list[float]] = {"embedded": [], "server": []}
        for _ in range(rounds):
            for q in PROCESS_QUERIES[run.kind].values():
                seen["embedded"].append(run_child(cli(run.settings, "search", q))[0])
                seen["server"].append(run_child(cli(run.settings, "--store", run.url, "search", q))[0])
        run.embedded.proc_s = statistics.median(seen["embedded"])
        run.server.proc_s = statistics.median(seen["server"])


def updates(runs: list[Corpus], rounds: int = 3) -> None:
    log("adding files")
    for k in range(rounds):
        for run in runs:
            added = new_file(run.settings.corpus, k)
            seconds, report = build(run.settings)
            if report.added != [added.name]:
                raise RuntimeError(f"adding {added.name}: unexpected report {report.added}")
            run.embedded.add_all.append(seconds)
            run.server.add_all.append(seconds + copy(run.settings, run.url))
    for run in runs:
        for col in (run.embedded, run.server):
            col.add_s = statistics.median(col.add_all)


# --- the concurrency run ---------------------------------------------------------------------------

CLIENT = """
import json, sys, time
from pathlib import Path
from policysearch.search.searcher import Searcher
from policysearch.store.postgres import PostgresStore
url, stop, out, queries, k = sys.argv[1], Path(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4]), int(sys.argv[5])
searcher = Searcher(PostgresStore(url))
seen, errors, i = [], [], k
while not stop.exists():
    q = queries[i % len(queries)]
    i += 1
    t0 = time.perf_counter()
    try:
        result = searcher.search(q, limit=20)
        seen.append([q, (time.perf_counter() - t0) * 1000, result.total, [h.clause_id for h in result.hits]])
    except Exception as e:  # noqa: BLE001 - every failure is counted
        errors.append(f"{q}: {type(e).__name__}: {e}")
Path(out).write_text(json.dumps({"seen": seen, "errors": errors}))
"""


@dataclass
class Concurrency:
    clients: int = 0
    searches: int = 0
    errors: list[str] = field(default_factory=list)
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    ingest_s: float = 0.0
    copied_docs: int = 0
    mixed: int = 0  # answers that were neither the old corpus's nor the new one's
    fresh_equal: int = 0
    queries: int = 0


def answers(url: str, queries: list[str]) -> dict[str, tuple[int, list[int]]]:
    s = Searcher(PostgresStore(url))
    try:
        out = {}
        for q in queries:
            r = s.search(q, limit=20)
            out[q] = (r.total, [h.clause_id for h in r.hits])
        return out
    finally:
        s.close()


def concurrency(base: Path, server_url: str, laws: Path, clients: int) -> Concurrency:
    log(f"concurrency: {clients} clients search while the laws are ingested")
    c = Concurrency(clients=clients)
    queries = QUERIES["laws"]
    corpus, held = base / "conc" / "corpus", base / "conc" / "held-back"
    write_laws(laws, corpus)
    held.mkdir()
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    for p in files[::3]:
        shutil.move(str(p), held / p.name)
    settings = Settings(corpus, base / "conc" / "index")
    url = database(server_url, "conc")
    build(settings)
    copy(settings, url)
    before = answers(url, queries)
    stop, outs = base / "conc" / "stop", [base / "conc" / f"client{k}.json" for k in range(clients)]
    procs = [subprocess.Popen([sys.executable, "-c", CLIENT, url, str(stop), str(out), json.dumps(queries), str(k)])
             for k, out in enumerate(outs)]
    try:
        time.sleep(3)  # the clients connect and search the old corpus
        for p in held.iterdir():
            shutil.move(str(p), corpus / p.name)
        t0 = time.perf_counter()
        build(settings)
        source = current_store(settings.index)
        assert source is not None
        for event in copy_in(source, url):
            c.copied_docs = max(c.copied_docs, event.total)
        c.ingest_s = time.perf_counter() - t0
        time.sleep(3)  # and the new one
    finally:
        stop.touch()
        for p in procs:
            p.wait(timeout=120)
    after = answers(url, queries)
    fresh_url = database(server_url, "fresh")
    copy(settings, fresh_url)
    fresh = answers(fresh_url, queries)
    c.queries = len(queries)
    c.fresh_equal = sum(after[q] == fresh[q] for q in queries)
    latencies = []
    for out in outs:
        r = json.loads(out.read_text())
        c.errors += r["errors"]
        for q, ms, total, ids in r["seen"]:
            c.searches += 1
            latencies.append(ms)
            if (total, ids) != before[q] and (total, ids) != after[q]:
                c.mixed += 1
    c.p50_ms, c.p95_ms = statistics.median(latencies), percentile(latencies, 0.95)
    return c


# --- report ----------------------------------------------------------------------------------------

def table(runs: list[Corpus]) -> list[str]:
    head = ["", *(f"{r.name} {s}" for r in runs for s in ("embedded", "PostgreSQL"))]
    rows = [
        ("build (PostgreSQL: the copy of that index)", lambda c: f"{c.build_s:.1f} s"),
        ("store on disk", lambda c: f"{c.size_mb:.1f} MB"),
        ("`search` process (median)", lambda c: f"{c.proc_s:.2f} s"),
        ("query p50 / p95 (in process)", lambda c: f"{c.p50_ms:.1f} / {c.p95_ms:.1f} ms"),
        ("add one file (median of 3)", lambda c: f"{c.add_s:.2f} s"),
        ("  each", lambda c: " / ".join(f"{v:.2f}" for v in c.add_all)),
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, cell in rows:
        lines.append("| " + " | ".join([label, *(cell(col) for r in runs for col in (r.embedded, r.server))]) + " |")
    lines.append("| same top 20 as embedded | " + " | ".join(f"| {r.same_top}/{r.queries}" for r in runs) + " |")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="1x and the laws only")
    ap.add_argument("--scale", type=int, default=16)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args()
    bench, laws = args.shared / "bench-corpus", args.shared / "real" / "laws"
    if not bench.is_dir() or not laws.is_dir():
        print(f"needs {bench} and {laws}", file=sys.stderr)
        return 2
    if pg.binaries() is None:
        print("needs the PostgreSQL server binaries (apt-get install postgresql)", file=sys.stderr)
        return 2
    base = Path(tempfile.mkdtemp(prefix="policysearch-pg-"))
    load = os.getloadavg()
    try:
        with pg.server() as server_url:
            plans = [("1x", "bench", lambda out: write_bench(bench, out, 1))]
            if not args.quick:
                plans.append((f"{args.scale}x", "bench", lambda out: write_bench(bench, out, args.scale)))
            plans.append(("laws", "laws", lambda out: write_laws(laws, out)))
            runs = []
            for name, kind, write in plans:
                settings = Settings(base / name / "corpus", base / name / "index")
                n = write(settings.corpus)
                run = Corpus(name, kind, settings, database(server_url, f"c{name}"))
                log(f"{name}: {n} files: the embedded build, then the copy into the server")
                run.embedded.build_s, _ = build(settings)
                run.server.build_s = copy(settings, run.url)
                run.embedded.size_mb = disk_size(settings.index) / 1e6
                run.server.size_mb = db_size(run.url)
                runs.append(run)
            in_process(runs)
            processes(runs)
            updates(runs)
            conc = concurrency(base, server_url, laws, args.clients)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    import platform

    print(f"policysearch bench_postgres — Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{time.strftime('%Y-%m-%d %H:%M')}; load average at start {load[0]:.2f}, at end {os.getloadavg()[0]:.2f}")
    print()
    print("\n".join(table(runs)))
    print()
    print(f"concurrency on the laws: {conc.clients} clients, {conc.searches} searches while the ingest copied "
          f"{conc.copied_docs} documents in {conc.ingest_s:.1f} s; latency p50 {conc.p50_ms:.1f} ms, "
          f"p95 {conc.p95_ms:.1f} ms; errors {len(conc.errors)}; answers neither the old corpus's nor the new "
          f"one's: {conc.mixed}; after the ingest equal to a fresh store's: {conc.fresh_equal}/{conc.queries}")
    for e in conc.errors[:5]:
        print(f"  error: {e}")
    print()
    big = runs[1] if not args.quick else runs[0]
    ratio = big.server.p95_ms / big.embedded.p95_ms
    results = [
        (f"query p95 at {big.name}: PostgreSQL {big.server.p95_ms:.1f} ms = {ratio:.2f}x embedded "
         f"<= {TARGETS['p95_ratio']}x", ratio <= TARGETS["p95_ratio"]),
        *((f"add one file, {r.name}, PostgreSQL {r.server.add_s:.2f} s <= {TARGETS['add_s']} s",
           r.server.add_s <= TARGETS["add_s"]) for r in runs),
        (f"concurrency: {len(conc.errors)} errors", not conc.errors),
        (f"concurrency: {conc.mixed} mixed answers, {conc.fresh_equal}/{conc.queries} as a fresh store's",
         conc.mixed == 0 and conc.fresh_equal == conc.queries),
        *((f"{r.name}: the same top 20 as embedded on {r.same_top}/{r.queries} queries", r.same_top == r.queries)
          for r in runs),
    ]
    return print_targets(results)


if __name__ == "__main__":
    sys.exit(main())
