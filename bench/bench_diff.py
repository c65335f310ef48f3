"""Benchmark: clause-by-clause comparison of long reports.

    python bench/bench_diff.py [--bench-corpus ../shared/bench-corpus]

Compares the 2024 and 2025 government work reports (target: <= 300 ms of compute) and every pair of
consecutive years, with the time per pair.  The floor printed beside it is rapidfuzz's plain ratio of
the two whole texts plus jieba's segmentation of both (the least any word-level comparison must do).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policysearch.compare.changes import compare  # noqa: E402
from policysearch.ingest.pipeline import parse_source  # noqa: E402
from policysearch.ingest.readers import SourceText  # noqa: E402
from policysearch.text.segment import tokenizer  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench-corpus", default=str(ROOT.parent / "shared" / "bench-corpus"))
    args = ap.parse_args()
    path = Path(args.bench_corpus) / "government_work_reports.jsonl"
    by_year = {}
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        row = json.loads(line)
        if row.get("year"):
            src = SourceText(path.name, row["content"], "jsonl", fields={"title": row["title"]}, line=n)
            by_year[int(row["year"])] = parse_source(src)[0]
    tk = tokenizer()  # load jieba once, outside the timings
    a, b = by_year[2024], by_year[2025]
    t0 = time.perf_counter()
    for text in (a.text, b.text):
        list(tk.tokenize(text, HMM=False))
    from rapidfuzz import fuzz

    fuzz.ratio(a.text, b.text)
    floor = time.perf_counter() - t0
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        c = compare(a, b)
        times.append(time.perf_counter() - t0)
    s = c.summary()
    print(f"2024 vs 2025 reports: {len(a.text):,} and {len(b.text):,} characters, "
          f"{sum(1 for _ in a.walk())} and {sum(1 for _ in b.walk())} clauses")
    print(f"  compare: {min(times) * 1000:.0f} ms (best of 3; target <= 300 ms); floor (segment both + one ratio): "
          f"{floor * 1000:.0f} ms; statuses {s['status']}")
    years = sorted(by_year)
    per_pair = []
    t_all = time.perf_counter()
    for y0, y1 in zip(years, years[1:], strict=False):
        t0 = time.perf_counter()
        compare(by_year[y0], by_year[y1])
        per_pair.append((y0, y1, time.perf_counter() - t0))
    total = time.perf_counter() - t_all
    ms = [p[2] * 1000 for p in per_pair]
    print(f"consecutive-year pairs: {len(per_pair)} in {total:.1f} s; per pair median {statistics.median(ms):.0f} ms, "
          f"max {max(ms):.0f} ms ({max(per_pair, key=lambda p: p[2])[:2]})")
    for y0, y1, t in per_pair:
        print(f"  {y0}→{y1}: {t * 1000:.0f} ms")


if __name__ == "__main__":
    main()
