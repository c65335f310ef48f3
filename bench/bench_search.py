"""Benchmark: index build, re-ingest, query latency and memory on the bench corpus.

    python bench/bench_search.py [--bench-corpus ../shared/bench-corpus] [--out DIR]

The floor is jieba's own segmentation of the same clause texts, measured in this run, single process.
Targets (2-core machine): build <= 2x floor, unchanged re-ingest < 1 s, p95 query <= 30 ms with
snippets, a warm `policysearch search` process <= 1.5 s end to end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policysearch.config import Settings  # noqa: E402
from policysearch.index import current_generation, ingest  # noqa: E402

QUERIES = [
    "经济发展", "改革开放", "人民生活", "科技创新", "乡村振兴", '"全面建成小康社会"', "农业 OR 农村",
    "教育 -高等", "國民經濟", '"供给侧结构性改革"', "就业 year:2020-2025", "生态文明 环境保护",
    '"一带一路"', "财政赤字", "社会主义现代化", "(市场 OR 计划) 经济", "医疗卫生", "产业结构调整",
    '"新质生产力"', "住房",
]


def write_corpus(bench: Path, out: Path) -> int:
    """The bench corpus written out as one text file per report."""
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for name in sorted(bench.glob("*.jsonl")):
        for i, line in enumerate(name.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            title = row.get("title", "").replace("/", "_")
            (out / f"{name.stem}-{i:03d}.txt").write_text(f"{title}\n{row['content']}", "utf-8")
            n += 1
    return n


def drain(events):
    last = None
    for ev in events:
        last = ev
    return last


def jieba_floor(index_dir: Path) -> tuple[float, int]:
    """jieba.cut over the same normalised clause texts the index segments, one process."""
    import jieba

    from policysearch.segment import tokenizer

    tk = tokenizer()
    rows = json.loads((current_generation(index_dir) / "clauses.json").read_text("utf-8"))
    texts = [r["norm"] for r in rows]
    jieba.setLogLevel(60)
    t0 = time.perf_counter()
    n = 0
    for t in texts:
        for _ in tk.cut(t):
            n += 1
    return time.perf_counter() - t0, sum(len(t) for t in texts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench-corpus", default=str(ROOT.parent / "shared" / "bench-corpus"))
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    base = Path(args.out or tempfile.mkdtemp(prefix="policysearch-bench-"))
    corpus, index = base / "corpus", base / "index"
    shutil.rmtree(base, ignore_errors=True)
    n_docs = write_corpus(Path(args.bench_corpus), corpus)
    settings = Settings(corpus, index)

    t0 = time.perf_counter()
    report = drain(ingest(settings))
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = drain(ingest(settings))
    reingest = time.perf_counter() - t0
    floor, chars = jieba_floor(index)

    from policysearch.search import Searcher

    t0 = time.perf_counter()
    searcher = Searcher(index)
    searcher.search("经济")  # warm: jieba dictionary and Whoosh reader
    open_s = time.perf_counter() - t0
    latencies = []
    totals = {}
    for _ in range(3):
        for q in QUERIES:
            t0 = time.perf_counter()
            r = searcher.search(q, limit=20)
            latencies.append((time.perf_counter() - t0) * 1000)
            totals[q] = r.total
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(len(latencies) * 0.95) - 1]

    env = {**os.environ, "POLICYSEARCH_CORPUS": str(corpus), "POLICYSEARCH_INDEX": str(index)}
    cmd = [sys.executable, "-m", "policysearch.cli", "search", "乡村振兴", "--limit", "10"]
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm the OS cache and jieba's cache
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        runs.append(time.perf_counter() - t0)
    proc = min(runs)
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"bench corpus: {n_docs} reports, {report.documents} documents, {report.clauses} clauses, "
          f"{chars:,} characters")
    print(f"jieba floor (same text, 1 process): {floor:6.2f} s")
    print(f"full build:                         {build:6.2f} s  = {build / floor:.2f}x floor   (target <= 2x)")
    print(f"unchanged re-ingest:                {reingest:6.3f} s                 (target < 1 s)"
          f"  [{len(again.unchanged)} files unchanged]")
    print(f"open searcher + first query:        {open_s:6.2f} s")
    print(f"query latency over {len(latencies)} queries:  p50 {p50:5.1f} ms   p95 {p95:5.1f} ms  "
          f"(target p95 <= 30 ms, 20 hits with snippets)")
    print(f"warm `policysearch search` process: {proc:6.2f} s                 (target <= 1.5 s)")
    print(f"peak memory: this process {peak_self:.0f} MB, largest child {peak_children:.0f} MB")
    ok = build <= 2 * floor and reingest < 1 and p95 <= 30 and proc <= 1.5
    print("all targets met" if ok else "some targets NOT met")
    if not args.out:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
