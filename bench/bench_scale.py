"""Benchmark: does the store cost the same at 16x the corpus as at 1x?  (issue 10)

    python bench/bench_scale.py [--quick] [--scale N] [--keep DIR]

In one run, on (a) the bench corpus (../shared/bench-corpus, 88 reports written as one file each), (b) the
same at N x (default 16: copies with their paragraphs shuffled and distinct titles, so the index is not fed
identical documents) and (c) ../shared/real/laws (683 regulations, Markdown), it measures:

* full build: ``ingest`` into an empty index, beside the floor — jieba's own segmentation of every
  document's text with the project's tokenizer, single process, measured in this run;
* a warm ``policysearch search`` process (the installed command, its bytecode compiled as an install leaves it;
  median over a common word, a rare word, a quoted phrase and a
  document number, each run 3 times after one warm-up run) and its peak memory (the rusage of that process,
  started from a small launcher so that this process's own memory is not counted);
* in-process query latency p50/p95 with snippets (one Searcher on an open store, 20 queries x 3, limit 20);
* opening a document in process (``store.document``) and as a ``show`` process;
* ``trace`` of a document in process (5 of the documents ``show`` opens, spread over the corpus: the median, its
  length, and the slowest);
* adding one file to the built index (3 files, one ingest each) and re-ingesting the unchanged corpus;
* the index on disk against the documents' text (UTF-8);
* TUI first paint: a fresh process runs ``make_app(settings).run_test()`` until the search screen's status
  line shows the documents count (timed from ``make_app``; the time since launching the process is shown
  beside it).

The builds (each with its floor right after it) run one corpus after the other; every other figure is taken
with the corpora taking turns, so that a change of load on the (shared) machine touches all of them alike.
Then the ratios Nx/1x and the targets (PASS/FAIL).  ``--quick``: 1x and the laws only (a smoke run).
``--keep DIR``: build in DIR and keep it (for profiling); otherwise temp dirs are removed.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import policysearch
from policysearch.config import Settings
from policysearch.search.reuse import trace
from policysearch.search.searcher import Searcher
from policysearch.store import IngestReport, ingest, open_store
from policysearch.text.markers import parse_marker

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# Queries of the `search` process: a common word, a rare word, a quoted phrase, a document number.
PROCESS_QUERIES = {
    "bench": {"common": "发展", "rare": "尾气", "phrase": '"全面建成小康社会"', "number": "国务院令第656号"},
    "laws": {"common": "发展", "rare": "无人机", "phrase": '"依法追究刑事责任"', "number": "国务院令第656号"},
}
# In-process queries (20 each): words, phrases, OR, NOT, traditional script, filters, numbers.
QUERIES = {
    "bench": [
        "经济发展", "改革开放", "人民生活", "科技创新", "乡村振兴", '"全面建成小康社会"', "农业 OR 农村",
        "教育 -高等", "國民經濟", '"供给侧结构性改革"', "就业 year:2020-2025", "生态文明 环境保护",
        '"一带一路"', "财政赤字", "社会主义现代化", "(市场 OR 计划) 经济", "医疗卫生", "产业结构调整",
        '"新质生产力"', "住房",
    ],
    "laws": [
        "行政处罚", "罚款", "许可证", "安全生产", "环境保护", '"依法追究刑事责任"', "没收 OR 吊销",
        "登记 -不动产", "國務院", '"县级以上地方人民政府"', "监督检查", "税收 征收管理", "国务院令第656号",
        "知识产权", "食品安全", "(海关 OR 边检) 检查", "劳动合同", "公安机关", '"自公布之日起施行"', "档案",
    ],
}
TARGETS = {"search_ratio": 1.3, "memory_ratio": 1.3, "add_ratio": 2.0, "add_s": 1.0, "p95_ms": 30.0,
           "index_x_text": 3.0, "build_x_floor": 2.0, "tui_s": 1.0, "search_proc_s": 0.15, "trace_s": 1.0}
TRACED = 5  # documents traced in each corpus (of those `show` opens, spread over the corpus)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --- corpora ---------------------------------------------------------------------------------------

def bench_reports(bench: Path) -> list[tuple[str, str, str]]:
    """(file stem, title, content) of every report of the bench corpus's .jsonl files."""
    out = []
    for name in sorted(bench.glob("*.jsonl")):
        for i, line in enumerate(name.read_text("utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                out.append((f"{name.stem}-{i:03d}", row.get("title", "").strip(), row["content"]))
    return out


def shuffled(content: str, rng: random.Random) -> str:
    """The paragraphs shuffled within each numbered part: a paragraph that opens with a numbering marker
    (一、 （一） 第一条 …) stays where it is and the paragraphs between two markers change places, so the
    copy keeps the original's clause structure (shuffling across headings would leave a few huge clauses)."""
    out: list[str] = []
    run: list[str] = []
    for para in (p.strip() for p in content.split("\n")):
        if not para:
            continue
        if parse_marker(para):
            rng.shuffle(run)
            out += run
            out.append(para)
            run = []
        else:
            run.append(para)
    rng.shuffle(run)
    return "\n\n".join(out + run)


def write_bench(bench: Path, out: Path, scale: int) -> int:
    """The bench corpus as one text file per report (title on the first line); copy k > 0 of each report
    has its paragraphs shuffled and a title of its own."""
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for stem, title, content in bench_reports(bench):
        for k in range(scale):
            if k == 0:
                name, text = f"{stem}.txt", f"{title}\n{content}"
            else:
                rng = random.Random(f"{stem}/{k}")
                name, text = f"{stem}-x{k:02d}.txt", f"{title}（汇编本第{k}册）\n\n{shuffled(content, rng)}"
            (out / name).write_text(text, "utf-8")
            n += 1
    return n


def write_laws(laws: Path, out: Path) -> int:
    """A private copy of the laws (the benchmark adds files to its corpus)."""
    shutil.copytree(laws, out)
    return sum(1 for p in out.rglob("*") if p.is_file())


def new_file(corpus: Path, k: int) -> Path:
    """A file not yet in the corpus: a mid-sized file of it with a title of its own (first non-empty line)."""
    files = sorted((p for p in corpus.iterdir() if p.is_file() and not p.name.startswith("新增")),
                   key=lambda p: (p.stat().st_size, p.name))
    src = files[len(files) // 2 + k]
    lines = src.read_text("utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    lines[first] = lines[first].rstrip() + f"（增补本{k + 1}）"
    dest = corpus / f"新增{k + 1}-{src.name}"
    dest.write_text("\n".join(lines), "utf-8")
    return dest


# --- measuring -------------------------------------------------------------------------------------

def build(settings: Settings) -> tuple[float, IngestReport]:
    t0 = time.perf_counter()
    report = None
    for event in ingest(settings):
        report = event
    assert isinstance(report, IngestReport)
    return time.perf_counter() - t0, report


# A child's ru_maxrss counts the memory of the process it was forked from (Linux keeps the high-water mark
# across exec), and this process holds jieba's dictionary and more: children are therefore started by this
# small launcher, which times the command and reports the command's own peak memory.
LAUNCHER = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
rc = subprocess.call(sys.argv[2:], stdin=subprocess.DEVNULL)
wall = time.perf_counter() - t0
with open(sys.argv[1], "w") as f:
    json.dump({"rc": rc, "wall": wall, "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, f)
"""


def run_child(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one process running cmd."""
    with tempfile.TemporaryDirectory() as tmp:
        result, log_file = Path(tmp) / "result.json", Path(tmp) / "output"
        with open(log_file, "wb") as out:
            subprocess.run([sys.executable, "-c", LAUNCHER, str(result), *cmd], stdout=out,
                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, check=True)
        r = json.loads(result.read_text())
        if r["rc"] != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({r['rc']}):\n{log_file.read_text(errors='replace')}")
    return r["wall"], r["maxrss_kb"] / 1024


def cli(settings: Settings, *args: str) -> list[str]:
    """The installed `policysearch` command (beside this interpreter) with the corpus and index."""
    script = shutil.which("policysearch", path=str(Path(sys.executable).parent))
    launch = [script] if script else [sys.executable, "-c", "from policysearch.cli import main; main()"]
    return [*launch, "--corpus", str(settings.corpus), "--index", str(settings.index), *args]


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * len(s)) - 1))]


def disk_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


@dataclass
class Figures:
    name: str
    files: int = 0
    documents: int = 0
    clauses: int = 0
    chars: int = 0
    text_mb: float = 0.0
    index_mb: float = 0.0
    build_s: float = 0.0
    floor_s: float = 0.0
    search_proc_s: float = 0.0
    search_proc_by_query: dict[str, float] = field(default_factory=dict)
    search_mb: float = 0.0
    grep_s: float = 0.0  # the peer: rg -F -c (else grep -rFc) for the common word over the corpus's files
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    open_ms: float = 0.0
    open_max_ms: float = 0.0
    show_proc_s: float = 0.0
    show_mb: float = 0.0
    add_s: float = 0.0
    add_all: list[float] = field(default_factory=list)
    reingest_s: float = 0.0
    tui_s: float = 0.0
    tui_launch_s: float = 0.0
    trace_s: float = 0.0  # `trace` of a document, in process (median of TRACED documents)
    trace_max_s: float = 0.0
    trace_chars: int = 0  # the median traced document's length


@dataclass
class Run:
    """One corpus under measurement."""

    figures: Figures
    kind: str  # which query set: bench or laws
    settings: Settings
    doc: str = ""  # the document `show` opens


def build_and_floor(run: Run) -> None:
    """Full build, then the jieba floor over the same documents' text (measured back to back)."""
    f, settings = run.figures, run.settings
    log(f"{f.name}: building the index of {f.files} files")
    f.build_s, report = build(settings)
    f.documents, f.clauses = report.documents, report.clauses
    if report.problems:
        log(f"{f.name}: {len(report.problems)} files not read, e.g. {report.problems[0]}")
    f.index_mb = disk_size(settings.index) / 1e6
    log(f"{f.name}: built in {f.build_s:.1f} s; the jieba floor")
    from policysearch.text.segment import tokenizer

    tk = tokenizer()
    store = open_store(settings.index)
    try:
        texts = [d.text for d in (store.document(i) for i in store.document_ids()) if d is not None]
    finally:
        store.close()
    f.chars = sum(len(t) for t in texts)
    f.text_mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    t0 = time.perf_counter()
    for t in texts:
        tk.lcut(t)
    f.floor_s = time.perf_counter() - t0


def in_process(runs: list[Run], rounds: int = 3) -> None:
    """Query latency (20 queries x rounds, limit 20, snippets) and opening documents, one Searcher per
    corpus, the corpora taking turns (so that a change of load on the machine touches all of them)."""
    log("in-process queries and documents")
    open_runs = []
    for run in runs:
        store = open_store(run.settings.index)
        searcher = Searcher(store)
        searcher.search("政策", limit=20)  # warm: the query segmenter and the Whoosh reader
        ids = store.document_ids()
        sample = ids[:: max(1, len(ids) // 20)][:20]
        run.doc = sample[len(sample) // 2]
        open_runs.append((run, store, searcher, sample, [], []))
    for _ in range(rounds):
        for run, store, searcher, sample, latencies, opens in open_runs:
            for q in QUERIES[run.kind]:
                latencies.append(timed(lambda s=searcher, q=q: s.search(q, limit=20)) * 1000)
            opens.extend(timed(lambda s=store, i=i: s.document(i)) * 1000 for i in sample)
    for run, store, _, sample, latencies, opens in open_runs:
        f = run.figures
        f.p50_ms, f.p95_ms = statistics.median(latencies), percentile(latencies, 0.95)
        f.open_ms, f.open_max_ms = statistics.median(opens), max(opens)
        traced = []
        for doc_id in sample[:: max(1, len(sample) // TRACED)][:TRACED]:
            doc = store.document(doc_id)
            assert doc is not None
            traced.append((timed(lambda s=store, d=doc: trace(s, d)), sum(len(c.text) for c in doc.walk())))
        traced.sort()
        f.trace_s, f.trace_chars = traced[len(traced) // 2]
        f.trace_max_s = traced[-1][0]
        store.close()


def processes(runs: list[Run], rounds: int = 3) -> None:
    """`search` (each query of PROCESS_QUERIES) and `show` processes, the corpora taking turns."""
    log("search and show processes")
    # as installed: pip byte-compiles a package it installs, and an editable install writes the bytecode on first
    # import, unless PYTHONDONTWRITEBYTECODE is set (as on the machines these figures come from)
    compileall.compile_dir(str(Path(policysearch.__file__).parent), quiet=1)
    for run in runs:  # warm the OS cache and jieba's pickle
        run_child(cli(run.settings, "search", PROCESS_QUERIES[run.kind]["common"]))
    search: dict[str, dict[str, list[tuple[float, float]]]] = {r.figures.name: {} for r in runs}
    show: dict[str, list[tuple[float, float]]] = {r.figures.name: [] for r in runs}
    grep: dict[str, list[tuple[float, float]]] = {r.figures.name: [] for r in runs}
    for _ in range(rounds):
        for run in runs:
            for label, q in PROCESS_QUERIES[run.kind].items():
                search[run.figures.name].setdefault(label, []).append(run_child(cli(run.settings, "search", q)))
            show[run.figures.name].append(run_child(cli(run.settings, "show", run.doc)))
            grep[run.figures.name].append(run_child(grep_cmd(PROCESS_QUERIES[run.kind]["common"], run.settings)))
    for run in runs:
        f = run.figures
        by_query = search[f.name]
        f.search_proc_by_query = {label: statistics.median(w for w, _ in v) for label, v in by_query.items()}
        f.search_proc_s = statistics.median(w for v in by_query.values() for w, _ in v)
        f.search_mb = max(m for v in by_query.values() for _, m in v)
        f.show_proc_s = statistics.median(w for w, _ in show[f.name])
        f.show_mb = max(m for _, m in show[f.name])
        f.grep_s = statistics.median(w for w, _ in grep[f.name])


def grep_cmd(word: str, settings: Settings) -> list[str]:
    """The user's own grep over the corpus's files: ripgrep when installed, else GNU grep."""
    if shutil.which("rg"):
        return ["rg", "-F", "-c", word, str(settings.corpus)]
    return ["grep", "-rFc", word, str(settings.corpus)]


def tui(runs: list[Run], rounds: int = 3) -> None:
    """TUI first paint in a fresh process (median of rounds), the corpora taking turns."""
    log("TUI first paint")
    seen: dict[str, list[tuple[float, float]]] = {r.figures.name: [] for r in runs}
    for _ in range(rounds):
        for run in runs:
            probe = subprocess.run([sys.executable, __file__, "--tui-probe", str(run.settings.corpus),
                                    str(run.settings.index), repr(time.time())],
                                   capture_output=True, text=True, check=False)
            if probe.returncode != 0:
                raise RuntimeError(f"TUI probe failed:\n{probe.stdout}\n{probe.stderr}")
            r = json.loads(probe.stdout.strip().splitlines()[-1])
            seen[run.figures.name].append((r["first_paint"], r["since_launch"]))
    for run in runs:
        f = run.figures
        f.tui_s = statistics.median(a for a, _ in seen[f.name])
        f.tui_launch_s = statistics.median(b for _, b in seen[f.name])


def updates(runs: list[Run], rounds: int = 3) -> None:
    """Adding one new file (one ingest each, rounds files), then re-ingesting the unchanged corpus."""
    log("adding files and re-ingesting")
    for k in range(rounds):
        for run in runs:
            added = new_file(run.settings.corpus, k)
            seconds, report = build(run.settings)
            if report.added != [added.name] or report.updated or report.removed:
                raise RuntimeError(f"adding {added.name}: unexpected report {report.added} {report.updated}")
            run.figures.add_all.append(seconds)
    for run in runs:
        run.figures.add_s = statistics.median(run.figures.add_all)
    again: dict[str, list[float]] = {r.figures.name: [] for r in runs}
    for _ in range(rounds):
        for run in runs:
            seconds, report = build(run.settings)
            if report.added or report.updated or report.removed:
                raise RuntimeError(f"re-ingesting the unchanged corpus changed it: {report}")
            again[run.figures.name].append(seconds)
    for run in runs:
        run.figures.reingest_s = statistics.median(again[run.figures.name])


# --- TUI probe (runs in a child process) ------------------------------------------------------------

def tui_probe(corpus: str, index: str, launched: float) -> None:
    from policysearch.tui.app import make_app
    from policysearch.tui.screens.search import SearchScreen

    async def run() -> float:
        t0 = time.perf_counter()
        app = make_app(Settings(Path(corpus), Path(index)), blink=False)
        async with app.run_test(size=(120, 36)):
            while True:
                screen = app.screen
                if isinstance(screen, SearchScreen) and screen.is_mounted:
                    status = str(screen.query_one("#status").render())
                    if " documents, " in status:
                        return time.perf_counter() - t0
                if time.perf_counter() - t0 > 120:
                    raise TimeoutError("the TUI never showed the documents count")
                await asyncio.sleep(0.005)

    first = asyncio.run(run())
    print(json.dumps({"first_paint": first, "since_launch": time.time() - launched}))


# --- report ----------------------------------------------------------------------------------------

def table(figs: list[Figures], big: Figures | None, small: Figures | None) -> list[str]:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "-"

    rows: list[tuple[str, Callable[[Figures], str], str]] = [
        ("files / documents / clauses", lambda f: f"{f.files} / {f.documents} / {f.clauses:,}", ""),
        ("text (characters, UTF-8 MB)", lambda f: f"{f.chars / 1e6:.2f} M, {f.text_mb:.1f} MB", ""),
        ("index on disk", lambda f: f"{f.index_mb:.1f} MB = {f.index_mb / f.text_mb:.2f}x text", ""),
        ("full build", lambda f: f"{f.build_s:.1f} s", ""),
        ("jieba floor (1 process)", lambda f: f"{f.floor_s:.1f} s", ""),
        ("build / floor", lambda f: f"{f.build_s / f.floor_s:.2f}x", ""),
        ("`search` process (median)", lambda f: f"{f.search_proc_s:.2f} s",
         ratio(big.search_proc_s, small.search_proc_s) if big and small else ""),
        ("  peer: rg -F -c / grep -rFc (common word)", lambda f: f"{f.grep_s:.2f} s", ""),
        ("  common / rare / phrase / number",
         lambda f: " / ".join(f"{v:.2f}" for v in f.search_proc_by_query.values()), ""),
        ("`search` peak memory", lambda f: f"{f.search_mb:.0f} MB",
         ratio(big.search_mb, small.search_mb) if big and small else ""),
        ("query p50 / p95 (in process)", lambda f: f"{f.p50_ms:.1f} / {f.p95_ms:.1f} ms",
         ratio(big.p95_ms, small.p95_ms) + " (p95)" if big and small else ""),
        ("open document (median / max)", lambda f: f"{f.open_ms:.1f} / {f.open_max_ms:.1f} ms",
         ratio(big.open_ms, small.open_ms) if big and small else ""),
        ("`show` process, peak memory", lambda f: f"{f.show_proc_s:.2f} s, {f.show_mb:.0f} MB",
         ratio(big.show_proc_s, small.show_proc_s) if big and small else ""),
        ("add one file (median of 3)", lambda f: f"{f.add_s:.2f} s",
         ratio(big.add_s, small.add_s) if big and small else ""),
        ("  each", lambda f: " / ".join(f"{v:.2f}" for v in f.add_all), ""),
        ("re-ingest unchanged", lambda f: f"{f.reingest_s * 1000:.0f} ms",
         ratio(big.reingest_s, small.reingest_s) if big and small else ""),
        ("`trace` a document (median, its length / max)",
         lambda f: f"{f.trace_s:.2f} s ({f.trace_chars:,} chars) / {f.trace_max_s:.2f} s",
         ratio(big.trace_s, small.trace_s) if big and small else ""),
        ("TUI first paint (from launch)", lambda f: f"{f.tui_s:.2f} s ({f.tui_launch_s:.2f} s)",
         ratio(big.tui_s, small.tui_s) if big and small else ""),
    ]
    head = ["", *(f.name for f in figs)] + ([f"{big.name}/{small.name}"] if big and small else [])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, cell, r in rows:
        cells = [label, *(cell(f) for f in figs)] + ([r] if big and small else [])
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def checks(figs: list[Figures], big: Figures | None, small: Figures | None) -> list[tuple[str, bool]]:
    t = TARGETS
    out: list[tuple[str, bool]] = []
    if big and small:
        r = big.search_proc_s / small.search_proc_s
        out.append((f"search process {big.name}/{small.name} {r:.2f}x <= {t['search_ratio']}x", r <= t["search_ratio"]))
        for f in (small, big):
            out.append((f"search process {f.name} {f.search_proc_s:.2f} s <= {t['search_proc_s']} s",
                        f.search_proc_s <= t["search_proc_s"]))
        r = big.search_mb / small.search_mb
        out.append((f"search memory {big.name}/{small.name} {r:.2f}x <= {t['memory_ratio']}x", r <= t["memory_ratio"]))
        r = big.add_s / small.add_s
        out.append((f"add one file {big.name}/{small.name} {r:.2f}x <= {t['add_ratio']}x", r <= t["add_ratio"]))
        out.append((f"add one file at {big.name} {big.add_s:.2f} s < {t['add_s']} s", big.add_s < t["add_s"]))
        out.append((f"query p95 at {big.name} {big.p95_ms:.1f} ms <= {t['p95_ms']} ms", big.p95_ms <= t["p95_ms"]))
        out.append((f"trace a document at {big.name} {big.trace_s:.2f} s <= {t['trace_s']} s",
                    big.trace_s <= t["trace_s"]))
    for f in figs:
        r = f.index_mb / f.text_mb
        out.append((f"index {f.name} {r:.2f}x text <= {t['index_x_text']}x", r <= t["index_x_text"]))
    for f in figs:
        r = f.build_s / f.floor_s
        out.append((f"build {f.name} {r:.2f}x floor <= {t['build_x_floor']}x", r <= t["build_x_floor"]))
    for f in figs:
        out.append((f"TUI first paint {f.name} {f.tui_s:.2f} s <= {t['tui_s']} s", f.tui_s <= t["tui_s"]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="1x and the laws only (a smoke run)")
    ap.add_argument("--scale", type=int, default=16, help="copies of the bench corpus for the large run")
    ap.add_argument("--keep", type=Path, default=None, help="build in this directory and keep it")
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared data (default: ../shared)")
    ap.add_argument("--tui-probe", nargs=3, metavar=("CORPUS", "INDEX", "LAUNCHED"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.tui_probe:
        tui_probe(args.tui_probe[0], args.tui_probe[1], float(args.tui_probe[2]))
        return 0
    bench, laws = args.shared / "bench-corpus", args.shared / "real" / "laws"
    if not bench.is_dir() or not laws.is_dir():
        print(f"needs {bench} and {laws}", file=sys.stderr)
        return 2
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp(prefix="policysearch-scale-", dir=args.keep))
    figs: list[Figures] = []
    small = big = None
    load = os.getloadavg()
    try:
        plans: list[tuple[str, str, Callable[[Path], int]]] = [
            ("1x", "bench", lambda out: write_bench(bench, out, 1))]
        if not args.quick:
            plans.append((f"{args.scale}x", "bench", lambda out: write_bench(bench, out, args.scale)))
        plans.append(("laws", "laws", lambda out: write_laws(laws, out)))
        runs = []
        for name, kind, write in plans:
            settings = Settings(base / name / "corpus", base / name / "index")
            run = Run(Figures(name, write(settings.corpus)), kind, settings)
            build_and_floor(run)
            runs.append(run)
        in_process(runs)
        processes(runs)
        tui(runs)
        updates(runs)
        figs = [r.figures for r in runs]
        small = figs[0]
        big = figs[1] if not args.quick else None
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        else:
            log(f"kept {base}")
    import platform

    print(f"policysearch bench_scale — {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{time.strftime('%Y-%m-%d %H:%M')}; load average at start {load[0]:.2f}, at end {os.getloadavg()[0]:.2f}")
    print()
    print("\n".join(table(figs, big, small)))
    print()
    return print_targets(checks(figs, big, small))


def print_targets(results: list[tuple[str, bool]]) -> int:
    """Each target PASS or FAIL, the count met; the exit status (0: all met)."""
    for label, ok in results:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    print(f"\n{sum(ok for _, ok in results)}/{len(results)} targets met")
    return 0 if all(ok for _, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())
