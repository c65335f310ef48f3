"""Benchmark: same wording in either script (issue 14).

    python bench/bench_variants.py [--shared ../shared] [--laws 60]

Every simplified real notice (the seeds, the gov.cn policy-library pages and the first --laws regulations) is
converted with OpenCC s2t, s2tw and s2twp, which is how traditional-script reproductions are made, and compared
with its original.  Every change reported as substantive is a false one.  Printed per configuration: substantive
changes per 1,000 clause pairs before (POLICYSEARCH_OPENCC_VARIANTS=0, and the variant table matching anywhere,
as it did) and after; then what it costs: compare time, reading the copies (normalisation is part of it), and
query_forms per query, cold (caches empty) and warm.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policysearch.compare.changes import compare  # noqa: E402
from policysearch.ingest.pipeline import parse_source  # noqa: E402
from policysearch.ingest.readers import SourceText, read_source  # noqa: E402
from policysearch.model import Document  # noqa: E402
from policysearch.text import normalise as normalise_mod  # noqa: E402
from policysearch.text import variants  # noqa: E402
from policysearch.text.normalise import query_forms  # noqa: E402
from policysearch.text.segment import tokenizer  # noqa: E402


@contextmanager
def before():
    """The code as it was: no OpenCC equivalence, and variant-table entries matched anywhere."""
    old_env = os.environ.get(variants.ENV_SWITCH)
    old_edges = normalise_mod._at_word_edges
    os.environ[variants.ENV_SWITCH] = "0"
    normalise_mod._at_word_edges = lambda s, a, b: True
    try:
        yield
    finally:
        normalise_mod._at_word_edges = old_edges
        if old_env is None:
            os.environ.pop(variants.ENV_SWITCH, None)
        else:
            os.environ[variants.ENV_SWITCH] = old_env


@contextmanager
def _nothing():
    yield


def cpu(fn) -> float:  # noqa: ANN001
    clear_caches()
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def clear_caches() -> None:
    for fn in (variants.convert, variants.renderings, variants._verified, variants.simplified_readings):
        fn.cache_clear()


def sources(shared: Path, laws: int) -> list[SourceText]:
    files = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".txt", ".md"))
    files += sorted((shared / "real" / "govcn-dev").glob("*.html"))
    files += sorted((shared / "real" / "laws").glob("*.md"))[:laws]
    out = []
    for p in files:
        for src in read_source(p, p.parent):
            if not parse_source(src)[0].traditional:
                out.append(src)
    return out


def copy_of(src: SourceText, config: str) -> list[Document]:
    text = variants.convert(src.text, config)
    return parse_source(SourceText(f"{config}-{src.source}", text, src.fmt, src.encoding, dict(src.fields), src.line))


def run(srcs: list[SourceText], config: str) -> dict:
    t0 = time.perf_counter()
    originals = [parse_source(s) for s in srcs]
    copies = [copy_of(s, config) for s in srcs]
    t_read = time.perf_counter() - t0
    pairs = substantive = variant = 0
    docs_with = 0
    examples: Counter = Counter()
    t0 = time.perf_counter()
    for docs, copy in zip(originals, copies, strict=True):
        n_doc = 0
        for a, b in zip(docs, copy, strict=False):
            c = compare(a, b)
            pairs += len(c.pairs)
            for p in c.pairs:
                for ch in p.changes:
                    if ch.kind == "substantive":
                        substantive += 1
                        n_doc += 1
                        examples[(ch.a[:12], ch.b[:12])] += 1
                    elif ch.kind == "variant":
                        variant += 1
        docs_with += n_doc > 0
    t_compare = time.perf_counter() - t0
    return {"pairs": pairs, "substantive": substantive, "variant": variant, "docs_with": docs_with,
            "read": t_read, "compare": t_compare, "examples": examples}


def query_sample(srcs: list[SourceText], n: int) -> list[str]:
    rng = random.Random(14)
    words: set[str] = set()
    for s in srcs[:20]:
        ws = [w for w in tokenizer().cut(s.text, HMM=False) if all("\u4e00" <= ch <= "\u9fff" for ch in w)]
        words.update(w for w in ws if len(w) >= 2)
        words.update(ws[i] + ws[i + 1] for i in range(len(ws) - 1))
    picked = rng.sample(sorted(words), n // 2)
    return picked + [variants.convert(w, "s2twp") for w in picked]  # asked in either script


def time_queries(queries: list[str]) -> tuple[float, float]:
    """(cold µs per query with empty caches, warm µs per query)."""
    clear_caches()
    t0 = time.perf_counter()
    for q in queries:
        query_forms(q)
    cold = (time.perf_counter() - t0) / len(queries) * 1e6
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        for q in queries:
            query_forms(q)
        warm.append((time.perf_counter() - t0) / len(queries) * 1e6)
    return cold, min(warm)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--laws", type=int, default=60, help="how many regulations of shared/real/laws to add")
    ap.add_argument("--queries", type=int, default=1000)
    args = ap.parse_args()
    shared = Path(args.shared)
    tokenizer()
    t0 = time.perf_counter()
    variants.taiwan_phrase_sources()
    print(f"OpenCC {variants.opencc_version()}; inverted TWPhrases ready in {(time.perf_counter() - t0) * 1000:.0f} ms "
          "(first use reads the package's dictionary, then a cache file)")
    srcs = sources(shared, args.laws)
    print(f"{len(srcs)} simplified documents (seeds, gov.cn pages, {args.laws} regulations), "
          f"{sum(len(s.text) for s in srcs):,} characters\n")
    print(f"{'config':7} {'pairs':>6} {'subst. before':>14} {'/1000':>7} {'after':>6} {'/1000':>6} "
          f"{'docs before→after':>18} {'variants':>8}")
    worst: dict[str, Counter] = {}
    for config in variants.CONFIGS:
        with before():
            b = run(srcs, config)
        clear_caches()
        a = run(srcs, config)
        worst[config] = a["examples"]
        print(f"{config:7} {a['pairs']:6} {b['substantive']:14} {1000 * b['substantive'] / b['pairs']:7.1f} "
              f"{a['substantive']:6} {1000 * a['substantive'] / a['pairs']:6.1f} "
              f"{b['docs_with']:>8}→{a['docs_with']:<9} {a['variant']:8}")
    # costs: CPU time of this process, best of five, before and after alternating (the counts above are
    # deterministic; wall time on a shared machine is not)
    copies = [copy_of(s, "s2twp") for s in srcs]
    originals = [parse_source(s) for s in srcs]
    texts = [c.text for docs in copies for d in docs for c in d.walk()]
    costs: dict[str, list[list[float]]] = {"before": [[], [], []], "after": [[], [], []]}
    for _ in range(5):
        for label, ctx in (("before", before), ("after", _nothing)):
            with ctx():
                costs[label][0].append(cpu(lambda: [normalise_mod.norm(t, traditional=True) for t in texts]))
                costs[label][1].append(cpu(lambda: [copy_of(s, "s2twp") for s in srcs]))
                costs[label][2].append(cpu(lambda: [compare(a, b) for docs, cp in zip(originals, copies, strict=True)
                                                    for a, b in zip(docs, cp, strict=False)]))
    for label, (t_norm, t_read, t_cmp) in costs.items():
        print(f"s2twp copies, {label:6}: normalise every clause {min(t_norm):.3f} s; read the copies "
              f"(convert + parse) {min(t_read):.2f} s; compare with the originals {min(t_cmp):.2f} s (CPU, best of 5)")
    for config, ex in worst.items():
        if ex:
            print(f"  left in {config}: " + "; ".join(f"{x}→{y} ×{n}" for (x, y), n in ex.most_common(6)))
    queries = query_sample(srcs, args.queries)
    with before():
        cold_b, warm_b = time_queries(queries)
    cold_a, warm_a = time_queries(queries)
    extra = [query_forms(q) for q in queries]
    n_trad = sum(bool(f.for_traditional) for f in extra)
    n_all = sum(bool(f.for_all) for f in extra)
    print(f"\nquery_forms over {len(queries)} queries (half simplified words and phrases, half their s2twp "
          "renderings):")
    print(f"  before: {cold_b:.0f} µs cold, {warm_b:.1f} µs warm per query; after: {cold_a:.0f} µs cold, "
          f"{warm_a:.1f} µs warm")
    print(f"  queries with forms for traditional documents: {n_trad}; with simplified readings for every document: "
          f"{n_all}; forms per query at most {max(len(f.for_traditional) + len(f.for_all) for f in extra)}, "
          f"median {statistics.median(len(f.for_traditional) + len(f.for_all) for f in extra)}")


if __name__ == "__main__":
    main()
