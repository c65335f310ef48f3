"""Benchmark: comparing two versions of the longest regulation of ../shared/real/laws by article.

    python bench/bench_versions.py [--laws ../shared/real/laws]

Of the regulations held in several versions, the one with the longest text is compared with its previous
version (best of 3), beside the floor the diff benchmark uses: jieba's segmentation of both texts plus one
rapidfuzz ratio of the two whole texts (the least any word-level comparison must do).  Then every pair of
consecutive versions, and the 新旧对照 table written as .docx.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policysearch.compare.changes import compare  # noqa: E402
from policysearch.ingest.versions import articles  # noqa: E402
from policysearch.render.versions_table import table_rows, to_docx  # noqa: E402
from policysearch.text.segment import tokenizer  # noqa: E402
from tests._laws import law, version_pairs  # noqa: E402  (as ingested)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.parse_args()
    pairs = version_pairs()
    old, new = max(pairs, key=lambda p: len(law(p[1]).text))
    a, b = law(old), law(new)
    tk = tokenizer()  # load jieba once, outside the timings
    from rapidfuzz import fuzz

    t0 = time.perf_counter()
    for text in (a.text, b.text):
        list(tk.tokenize(text, HMM=False))
    fuzz.ratio(a.text, b.text)
    floor = time.perf_counter() - t0
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        c = compare(a, b)
        times.append(time.perf_counter() - t0)
    print(f"{re.sub(r'[.]md$', '', old)} → {re.sub(r'[.]md$', '', new)}: {len(a.text):,} and {len(b.text):,} "
          f"characters, {len(articles(a))} and {len(articles(b))} articles")
    print(f"  compare by article: {min(times) * 1000:.0f} ms (best of 3); floor (segment both + one ratio): "
          f"{floor * 1000:.0f} ms = {min(times) / floor:.2f}× floor")
    print(f"  {c.summary_line()}")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        to_docx(c, Path(tmp) / "t.docx")
        print(f"  新旧对照 .docx ({len(table_rows(c))} rows): {(time.perf_counter() - t0) * 1000:.0f} ms")
    per = []
    for x, y in pairs:
        da, db = law(x), law(y)
        t0 = time.perf_counter()
        compare(da, db)
        per.append(time.perf_counter() - t0)
    median = statistics.median(per) * 1000
    print(f"all {len(pairs)} consecutive version pairs: {sum(per):.2f} s, median {median:.0f} ms, "
          f"at most {max(per) * 1000:.0f} ms a pair")


if __name__ == "__main__":
    main()
