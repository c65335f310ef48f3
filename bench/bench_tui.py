"""Benchmark: TUI first paint and results refresh, on the seed corpus and the bench corpus.

    python bench/bench_tui.py [--bench-corpus ../shared/bench-corpus]

Runs the app headless (Textual's test driver).  First paint: from creating the app to the search
screen mounted (target <= 1 s with an existing index); ready: the index open.  Refresh: from the last
key of a query to its results on screen, debounce included (targets: 100 ms seeds, 300 ms bench).
The floor beside the refresh is the core search call alone for the same query.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_search import drain, write_corpus  # noqa: E402

from policysearch.config import Settings  # noqa: E402
from policysearch.index import ingest  # noqa: E402

QUERIES = {"seeds": ["智能物流", "信息共享", "最后一公里", "電子商務", "支付 OR 物流"],
           "bench": ["乡村振兴", "经济发展", "科技创新", "國民經濟", "生态文明 环境保护"]}


async def measure(settings: Settings, queries: list[str]) -> dict[str, float]:
    from policysearch.tui.app import make_app
    from policysearch.tui.screens.search import SearchScreen

    t0 = time.perf_counter()
    app = make_app(settings, blink=False)
    out: dict[str, float] = {}
    async with app.run_test(size=(120, 36)) as pilot:
        while not (isinstance(app.screen, SearchScreen) and app.screen.is_mounted):
            await asyncio.sleep(0.005)
        out["first_paint"] = time.perf_counter() - t0
        while not app.ready:
            await asyncio.sleep(0.005)
        out["ready"] = time.perf_counter() - t0
        refresh, core = [], []
        screen = app.screen
        for q in queries:
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press(*q[:-1])
            last_key = time.perf_counter()  # taken before the last key: the figure includes delivering it
            await pilot.press(q[-1])
            while screen.timings.get("results_shown", 0) < last_key:
                await asyncio.sleep(0.002)
            refresh.append(screen.timings["results_shown"] - last_key)
            c0 = time.perf_counter()
            app.library.searcher.search(q, limit=50)
            core.append(time.perf_counter() - c0)
        out["refresh_median"] = statistics.median(refresh)
        out["refresh_max"] = max(refresh)
        out["core_median"] = statistics.median(core)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench-corpus", default=str(ROOT.parent / "shared" / "bench-corpus"))
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="policysearch-tui-bench-"))
    try:
        seeds = Settings(base / "seeds", base / "seeds-index")
        shutil.copytree(ROOT / "corpus", seeds.corpus)
        drain(ingest(seeds))
        bench = Settings(base / "bench", base / "bench-index")
        write_corpus(Path(args.bench_corpus), bench.corpus)
        drain(ingest(bench))
        for name, settings, target in (("seeds", seeds, 0.1), ("bench", bench, 0.3)):
            r = asyncio.run(measure(settings, QUERIES[name]))
            print(f"{name:5}: first paint {r['first_paint'] * 1000:4.0f} ms (target <= 1000), index open "
                  f"{r['ready'] * 1000:4.0f} ms; refresh after the last key: "
                  f"median {r['refresh_median'] * 1000:4.0f} ms, max {r['refresh_max'] * 1000:4.0f} ms "
                  f"(target <= {target * 1000:.0f}; debounce 50 ms; "
                  f"core search alone {r['core_median'] * 1000:.0f} ms)")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
