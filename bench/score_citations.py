"""Scoreboard of citation resolution on real regulations (../shared/real/laws).

    python bench/score_citations.py [--real ../shared/real] [--index DIR] [--show-misses]

The 683 State Council regulations cite each other and many laws outside the set, by title (《…》), often with
an article (第十条).  The truth is read from the files alone, with rules independent of the resolver: a cited
title names a file of the set when, spaces and punctuation removed and a leading 中华人民共和国 dropped, it equals
the file's own heading (``# title``); the versions of one regulation share that heading.  A regulation's own
title, cited in its text, names the earlier enactment it repeals (1992年…发布的《专利法实施细则》同时废止, in the
2010 and the 2023 versions alike): not itself, and not the other versions of its work in the set.  Then, for every
citation of a title that ``refs`` reports:

- in-set citations: resolved to one of the files it names (right), to another file (wrong), or to nothing;
- out-of-set citations (the work is not in the set): resolved to nothing (right) or to some file (wrong);
- article citations (``refs``' articles): the article reached is the cited 第X条 of a file the title names.

Prints precision (right resolutions / all resolutions) and recall (in-set resolved right / in-set).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policysearch.config import Settings  # noqa: E402
from policysearch.service import Library  # noqa: E402
from policysearch.store import ingest  # noqa: E402
from policysearch.text.markers import cn_number  # noqa: E402

_NOTE_RE = re.compile(r"[（(][^（）()]*(?:修订|修正|年)[^（）()]*[)）]$")


def truth_key(title: str) -> str:
    t = "".join(ch for ch in unicodedata.normalize("NFKC", title) if unicodedata.category(ch)[0] not in "PZS")
    t = _NOTE_RE.sub("", t)
    return t[len("中华人民共和国"):] if t.startswith("中华人民共和国") and len(t) > 9 else t


def headings(folder: Path) -> dict[str, str]:
    """File name -> its own heading (the first ``# `` line)."""
    out = {}
    for f in sorted(folder.glob("*.md")):
        for line in f.read_text("utf-8").splitlines():
            if line.startswith("# "):
                out[f.name] = line[2:].strip()
                break
    return out


_NAMED_RE = re.compile(r"《([^《》]+)》[（(][^（）()《》]{0,30}?以下简称\s*《([^《》]+)》")


def short_names(folder: Path) -> dict[str, dict[str, str]]:
    """File name -> the names its text gives the works it cites (《…暂行规定》（以下简称《暂行规定》）), read here
    by a rule of the scorer's own."""
    return {f.name: {short: full for full, short in _NAMED_RE.findall(f.read_text("utf-8"))}
            for f in sorted(folder.glob("*.md"))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--real", default=str(ROOT.parent / "shared" / "real"))
    ap.add_argument("--index", default=None, help="an index of the laws to reuse (built if missing)")
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    laws = Path(args.real) / "laws"
    index = Path(args.index) if args.index else Path(tempfile.mkdtemp(prefix="score-citations-"))
    settings = Settings(laws, index)
    t0 = time.perf_counter()
    for _ in ingest(settings):
        pass
    lib = Library(settings)
    by_key: dict[str, set[str]] = {}
    heads = headings(laws)
    names = short_names(laws)
    for name, heading in heads.items():
        by_key.setdefault(truth_key(heading), set()).add(name)
    counts: Counter[str] = Counter()
    misses: list[str] = []
    for doc in lib.documents():
        if doc.attachment_of:
            continue
        cites, _ = lib.citations.refs(doc)
        for c, e in cites:
            if not c.title:
                continue
            # a document's own title names the earlier enactment it repeals (…发布的《信访条例》同时废止): not
            # itself, nor the other versions of its work here (amendments of the citing one)
            own = by_key.get(truth_key(heads.get(doc.source, "")), set())
            expected = by_key.get(truth_key(c.title), set()) - own
            got = e.doc.source if e.doc is not None else None
            if expected:
                counts["in-set"] += 1
                if got in expected:
                    counts["in-set right"] += 1
                elif got:
                    counts["wrong"] += 1
                    misses.append(f"WRONG  {doc.source}: 《{c.title}》 -> {got}")
                else:
                    counts["in-set unresolved"] += 1
                    misses.append(f"MISSED {doc.source}: 《{c.title}》 (in the set: {sorted(expected)[0]})")
            else:
                counts["out-of-set"] += 1
                if got:
                    counts["wrong"] += 1
                    misses.append(f"WRONG  {doc.source}: 《{c.title}》 (not in the set) -> {got}")
        articles, _ = lib.article_refs(doc.id)
        for a in articles:
            m = re.search(r"《([^《》]+)》\s*第([一二三四五六七八九十百零〇两\d]+)条", a["as_written"])
            if not m:
                continue
            own = by_key.get(truth_key(heads.get(doc.source, "")), set())
            cited = names.get(doc.source, {}).get(m.group(1), m.group(1))  # 《暂行规定》第九条 after its definition
            expected = by_key.get(truth_key(cited), set()) - own
            if not expected:
                if a["to_doc"]:
                    counts["article wrong"] += 1
                    misses.append(f"WRONG  {doc.source}: {a['as_written']} (not in the set) -> {a['to_doc']}")
                continue
            counts["article in-set"] += 1
            target = lib.info(a["to_doc"]).source if a["to_doc"] else None
            label = re.match(r"第([一二三四五六七八九十百零〇两\d]+)条", a["to_label"] or "")
            if target in expected and label and cn_number(label.group(1)) == cn_number(m.group(2)):
                counts["article right"] += 1
            elif target:
                counts["article wrong"] += 1
                misses.append(f"WRONG  {doc.source}: {a['as_written']} -> {target} {a['to_label']}")
            else:
                misses.append(f"MISSED {doc.source}: {a['as_written']}")
    resolved = counts["in-set right"] + counts["wrong"]
    print(f"citations of a title: {counts['in-set'] + counts['out-of-set']} ({counts['in-set']} of works in the set)")
    print(f"  resolved right {counts['in-set right']}, wrong {counts['wrong']}, in-set unresolved "
          f"{counts['in-set unresolved']}")
    print(f"  precision {counts['in-set right'] / resolved:.2%}" if resolved else "  precision -")
    print(f"  recall    {counts['in-set right'] / counts['in-set']:.2%}" if counts["in-set"] else "  recall -")
    print(f"article citations of works in the set: {counts['article in-set']}: right {counts['article right']}, "
          f"wrong {counts['article wrong']}")
    print(f"({time.perf_counter() - t0:.1f} s)")
    if args.show_misses:
        for m in misses:
            print(m)


if __name__ == "__main__":
    main()
