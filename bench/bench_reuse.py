"""Benchmark: planted text reuse, found by `trace` (issue 19).

    python bench/bench_reuse.py [--plants 40] [--seed 7]

Passages of 30–300 characters are taken from real clauses of ../shared/real/laws and planted into excerpts of
real government work reports (../shared/bench-corpus), with the edits copying makes: local names inserted,
phrases deleted, parts reordered, numbers changed, a traditional copy, 5–20% of characters changed, and several
at once.  Every host also gets a paragraph of boilerplate that hundreds of regulations share (本条例自发布之日起施行。).
The laws and the hosts are ingested together; each host is traced whole.  Measured PAN-style, on characters of
the host's text:

* recall: of the planted characters, the share inside a passage `trace` reports from a law clause that holds the
  passage's source text (the law it was taken from, another version of it, or another law with the same words);
  a plant counts as found when over half of it is covered;
* precision: of the characters `trace` reports as shared with a law, the share inside a planted passage and
  reported from its source text; printed also counting as right the reports of text the report excerpts
  already shared with the laws before anything was planted (the reports quote the Party's formulas as some
  regulations do: "以邓小平理论和“三个代表”重要思想为指导"): real reuse, but nobody planted it;
* boilerplate: passages reported over the planted boilerplate line (target 0).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from policysearch.config import Settings  # noqa: E402
from policysearch.search.reuse import BOILERPLATE_DOCS  # noqa: E402
from policysearch.service import Library  # noqa: E402
from policysearch.text.normalise import norm  # noqa: E402

SHARED = ROOT.parent / "shared"
BOILERPLATE = "本条例自发布之日起施行。"
NAMES = ["本市", "上海市", "浙江省", "各区县", "市人民政府"]
LENGTHS = [30, 45, 60, 90, 120, 180, 240, 300]
EDITS = ["exact", "names", "delete", "reorder", "numbers", "traditional", "noise5", "noise10", "noise20", "mixed"]
_CN_DIGITS = "一二三四五六七八九十"


def _names(text: str, rng: random.Random) -> str:
    """A local name inserted after a comma (or in the middle)."""
    commas = [m.end() for m in re.finditer("，", text)] or [len(text) // 2]
    at = rng.choice(commas)
    return text[:at] + rng.choice(NAMES) + text[at:]


def _delete(text: str, rng: random.Random) -> str:
    n = rng.randint(4, 8)
    at = rng.randint(len(text) // 4, max(len(text) // 4, len(text) * 3 // 4 - n))
    return text[:at] + text[at + n:]


def _reorder(text: str, rng: random.Random) -> str:
    parts = [p for p in re.split(r"(?<=[；，。])", text) if p]
    if len(parts) < 3:
        return _delete(text, rng)
    i = rng.randrange(len(parts) - 1)
    parts[i], parts[i + 1] = parts[i + 1], parts[i]
    return "".join(parts)


def _numbers(text: str, rng: random.Random) -> str:
    out = re.sub(r"\d", lambda m: str((int(m.group(0)) + rng.randint(1, 8)) % 10), text)
    out = re.sub(f"[{_CN_DIGITS}]", lambda m: rng.choice(_CN_DIGITS), out)
    return out if out != text else _names(text, rng)


def _noise(text: str, rng: random.Random, share: float) -> str:
    chars = list(text)
    pool = [c for c in text if "\u4e00" <= c <= "\u9fff"] or ["的"]
    for k in rng.sample(range(len(chars)), max(1, int(share * len(chars)))):
        chars[k] = rng.choice(pool)
    return "".join(chars)


def edit(text: str, kind: str, rng: random.Random) -> str:
    if kind == "exact":
        return text
    if kind == "names":
        return _names(text, rng)
    if kind == "delete":
        return _delete(text, rng)
    if kind == "reorder":
        return _reorder(text, rng)
    if kind == "numbers":
        return _numbers(text, rng)
    if kind == "traditional":
        import opencc

        return opencc.OpenCC("s2t").convert(text)
    if kind.startswith("noise"):
        return _noise(text, rng, int(kind[5:]) / 100)
    return _numbers(_delete(_names(text, rng), rng), rng)  # mixed


def law_texts(laws: Path) -> dict[str, str]:
    return {f.name: f.read_text("utf-8") for f in sorted(laws.glob("*.md"))}


def pick_passages(texts: dict[str, str], n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(file, passage): passages from articles, starting at a sentence, not shared by unrelated laws (a passage
    every regulation has is boilerplate, which the benchmark plants separately)."""
    articles = [(name, m.group(1)) for name, t in texts.items()
                for m in re.finditer(r"^第[一二三四五六七八九十百零]+条\s+(.+)$", t, re.M) if len(m.group(1)) >= 40]
    rng.shuffle(articles)
    out: list[tuple[str, str]] = []
    for name, body in articles:
        length = LENGTHS[len(out) % len(LENGTHS)]
        if len(body) < length:
            continue
        starts = [0] + [m.end() for m in re.finditer("[。；]", body[:len(body) - length])]
        start = rng.choice(starts)
        passage = body[start:start + length]
        work = name.split("(")[0]
        holders = {f.split("(")[0] for f, t in texts.items() if passage[:16] in t or passage[-16:] in t}
        if holders != {work}:
            continue  # shared with another law: not a clean plant
        out.append((name, passage))
        if len(out) == n:
            break
    return out


SHARED_RUN = 12  # characters: a report paragraph sharing a run this long with a law is not used as a host


def _runs(text: str) -> set[str]:
    """The runs of SHARED_RUN characters of a text's normalised form."""
    t = norm(text)
    return {t[i:i + SHARED_RUN] for i in range(len(t) - SHARED_RUN + 1)}


def hosts(n: int, rng: random.Random, texts: dict[str, str]) -> tuple[list[tuple[str, list[str]]], int]:
    """(title, paragraphs): excerpts of six paragraphs of government work reports, of the paragraphs that share no
    run of SHARED_RUN characters with any law (compared after normalisation, exactly: no part of the product is
    asked), so that the text a host shares with the laws is what was planted, as in PAN's corpora; and how many
    paragraphs were left out for sharing one."""
    rows = [json.loads(line) for line in (SHARED / "bench-corpus" / "government_work_reports.jsonl")
            .read_text("utf-8").splitlines() if line.strip()]
    paras_of = [[p.strip() for p in row["content"].split("\n") if len(p.strip()) >= 60] for row in rows]
    runs_of = [[_runs(p) for p in paras] for paras in paras_of]
    runs = set().union(*(r for rs in runs_of for r in rs))
    shared = set().union(*(_runs(law) & runs for law in texts.values()))
    usable = []
    left_out = 0
    for row, paras, rs in zip(rows, paras_of, runs_of, strict=True):
        clean = [p for p, r in zip(paras, rs, strict=True) if not r & shared]
        left_out += len(paras) - len(clean)
        if len(clean) >= 2:  # a paragraph either side of the plant
            usable.append((row["title"], clean))
    out = []
    for k in range(n):
        title, clean = usable[k % len(usable)]
        at = rng.randrange(max(1, len(clean) - 6))
        out.append((f"{title}（节选{k + 1}）", clean[at:at + 6]))
    return out, left_out


def covered(spans: list[tuple[int, int]], lo: int, hi: int) -> int:
    """Characters of [lo, hi) inside the union of spans."""
    marks = bytearray(hi - lo)
    for a, b in spans:
        for i in range(max(a, lo), min(b, hi)):
            marks[i - lo] = 1
    return sum(marks)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plants", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--laws", default=str(SHARED / "real" / "laws"))
    ap.add_argument("--show", action="store_true", help="print each plant missed and each false report")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and index (their folder is printed)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    laws = Path(args.laws)
    texts = law_texts(laws)
    passages = pick_passages(texts, args.plants, rng)
    base = Path(tempfile.mkdtemp(prefix="bench-reuse-"))
    corpus = base / "corpus"
    shutil.copytree(laws, corpus)
    plants = []  # host id, edit kind, source file, original, planted
    original: dict[str, str] = {}  # host id -> its excerpt before the plant
    excerpts, left_out = hosts(len(passages), rng, texts)
    for k, ((source, passage), (title, paras)) in enumerate(zip(passages, excerpts, strict=True)):
        kind = EDITS[k % len(EDITS)]
        planted = edit(passage, kind, rng)
        mid = len(paras) // 2
        para = paras[mid]
        cut = [m.end() for m in re.finditer("。", para)][:1] or [len(para)]
        paras = [BOILERPLATE, *paras[:mid], para[:cut[0]] + planted + para[cut[0]:], *paras[mid + 1:]]
        name = f"host-{k + 1:02d}"
        original[name] = "".join(paras).replace(planted, "")
        (corpus / f"{name}.txt").write_text("\n".join([title, *paras]) + "\n", "utf-8")
        plants.append((name, kind, source, passage, planted))
    lib = Library(Settings(corpus, base / "index"))
    t0 = time.perf_counter()
    for _ in lib.ingest():
        pass
    ingest_s = time.perf_counter() - t0
    sources = {d.source: d for d in lib.documents()}
    works = {d.id: d.work or d.id for d in sources.values()}
    planted_chars = found_chars = reported = inside = boiler = natural = 0
    texts_of: dict[tuple[str, str], str] = {}

    def clause_text(doc_id: str, path: str) -> str:
        if (doc_id, path) not in texts_of:
            c = lib.document(doc_id).clause(path)
            texts_of[doc_id, path] = c.text if c is not None else ""
        return texts_of[doc_id, path]

    found_cases = 0
    seeds_removed = formula_reported = 0  # what the boilerplate filter removed
    formula_in_plants = 0
    by_kind: Counter[str] = Counter()
    trace_s = []
    for host, kind, source, passage, planted in plants:
        t = time.perf_counter()
        doc, traces = lib.trace(host)
        trace_s.append(time.perf_counter() - t)
        right_work = works[sources[source].id]
        holders = {d.id for f, d in sources.items() if f in texts and (passage[:16] in texts[f] or
                                                                      passage[-16:] in texts[f])}
        case_cover = 0
        for tr in traces:
            seeds_removed += tr.boilerplate_seeds
            formula_reported += len(tr.formula)
            at = tr.text.find(planted)
            if at >= 0:
                formula_in_plants += sum(covered([span], at, at + len(planted)) > 0 for span in tr.formula)
            lo, hi = (at, at + len(planted)) if at >= 0 else (0, 0)
            b_at = tr.text.find(BOILERPLATE)
            spans = []
            for p in tr.passages:
                if p.doc_id not in works or p.doc_id.startswith("host-"):
                    continue  # shared with another host: not what the benchmark plants
                a, b = p.span
                reported += b - a
                theirs = clause_text(p.doc_id, p.clause)[p.other_span[0]:p.other_span[1]]
                mine = tr.text[a:b]
                right = works.get(p.doc_id) == right_work or p.doc_id in holders or (
                    fuzz.partial_ratio(norm(theirs), norm(passage)) >= 80)  # another law with the same words
                if at >= 0 and right and covered([(a, b)], lo, hi):
                    inside += covered([(a, b)], lo, hi)
                    spans.append((a, b))
                elif not covered([(a, b)], lo, hi) and fuzz.ratio(norm(mine), norm(theirs)) >= 80:
                    natural += b - a  # text the excerpt shared with this law before anything was planted
                elif args.show:
                    print(f"  reported {host} {tr.clause} {tr.text[a:b]!r} <- {p.doc_id} {p.clause} {theirs!r} "
                          f"(planted {kind} from {source}: {planted[:40]!r}…)")
                if b_at >= 0 and covered([(a, b)], b_at, b_at + len(BOILERPLATE)) > len(BOILERPLATE) // 2:
                    boiler += 1
                    if args.show:
                        print(f"  boilerplate {host} {tr.clause} {tr.text[a:b]!r} <- {p.doc_id} {p.clause}")
            if at >= 0:
                case_cover = covered(spans, lo, hi)
        if args.show and case_cover <= len(planted) / 2:
            print(f"  missed {host} {kind} {len(planted)} chars ({case_cover} covered) from {source}: {planted!r}")
        planted_chars += len(planted)
        found_chars += case_cover
        if case_cover > len(planted) / 2:
            found_cases += 1
            by_kind[kind] += 1
    kinds = Counter(kind for _, kind, *_ in plants)
    print(f"{len(plants)} plants of 30-300 characters from {len(texts)} laws into {len(plants)} report excerpts; "
          f"ingest {ingest_s:.1f} s; trace a host median {sorted(trace_s)[len(trace_s) // 2]:.2f} s, "
          f"max {max(trace_s):.2f} s; {left_out} report paragraphs left out for sharing {SHARED_RUN} characters "
          f"with a law before any plant")
    print(f"recall    {found_chars / planted_chars:.4f} of planted characters; plants found "
          f"{found_cases}/{len(plants)}")
    print(f"precision {inside / reported:.4f} of reported characters; {(inside + natural) / reported:.3f} counting the "
          f"text the excerpts already shared with laws ({natural} characters)" if reported else "precision: nothing")
    print(f"boilerplate reported: {boiler} (planted in every host: {BOILERPLATE}); the filter removed "
          f"{seeds_removed} seeds held by more than {BOILERPLATE_DOCS} documents and {formula_reported} shared "
          f"passages of formula language ({formula_in_plants} of them "
          f"touching a plant)")
    print("found by edit: " + ", ".join(f"{k} {by_kind[k]}/{kinds[k]}" for k in EDITS if kinds[k]))
    if args.keep:
        print(f"kept in {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
