"""Scoreboard on real documents nobody here wrote (../shared/real).

    python bench/score_real.py [--real ../shared/real] [--show-misses]

Reads every file of real/laws (regulations, Markdown with an information block), real/govcn-dev (pages of
the State Council policy library, truth in truth.json) and real/files-dev (files of city and county governments:
PDF, Word, WPS, web pages; truth read by hand in truth.json) with read_documents, and prints per set:

- fields right: govcn-dev against truth.json (title, issuers, doc_number, written → date, published);
  laws against their own information block, read here from the raw file with plain rules independent of
  the pipeline: number = the order (…令第N号) of the latest 公布/发布/修订 line that names one, date = that
  line's date (else the latest 公布/发布 line's), effective = the last 施行 line's date;
- articles as clauses: every 第X条 at the start of a line of the raw body that became a clause with kind
  "article" and its own label; and (laws) the regulations whose article clauses are numbered 1 … N, none missing
  (an article run on inside another's paragraph is missing from its clauses);
- text coverage: characters of the body (laws: the raw text below <!-- INFO END -->; pages: the display
  text less its header and 版记) found in clause texts, and characters duplicated;
- documents refused, and why.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policysearch.errors import SourceError  # noqa: E402
from policysearch.ingest.layout import analyse_layout  # noqa: E402
from policysearch.ingest.pipeline import read_documents  # noqa: E402
from policysearch.model import Document  # noqa: E402

ARTICLE_RE = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+条(?:之[一二三四五六七八九十]+)?")
_DATE = r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日"
_ORDER = re.compile(r"令第(\d+)号")


def _iso(m: re.Match) -> str:
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def expected_from_info(raw: str) -> dict[str, str | None]:
    """What a law's information block states, read with plain rules from the raw file."""
    head = raw.split("<!-- INFO END -->", 1)[0]
    entries: list[str] = []
    for ln in head.split("\n")[1:]:
        entries.extend(p for p in re.split(rf"(?=(?<![据于至在到从自]){_DATE}\s)", ln.strip()) if p and p.strip())
    number = date = effective = None
    first_issue = None
    for e in entries:
        m = re.match(_DATE, e.strip())
        if not m:
            continue
        body = e.strip()[m.end():].strip(" \u3000）)")
        order = _ORDER.search(body)
        if body.endswith(("施行",)) and "公布" not in body[-4:]:
            effective = first_issue if "之日" in body else _iso(m)
            continue
        if order and re.search(r"(公布|发布|修订)$", body):
            number, date = order.group(1), _iso(m)
            first_issue = date
        elif re.search(r"(公布|发布)$", body) and number is None:
            date = _iso(m)
            first_issue = date
    return {"number": number, "date": date, "effective": effective}


def _chars(text: str) -> Counter:
    """Characters that carry text (whitespace and invisible format characters such as U+200B left out)."""
    return Counter(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def _clause_chars(docs: list[Document]) -> Counter:
    c: Counter = Counter()
    for d in docs:
        for cl in d.walk():
            c.update(_chars(cl.text))
    return c


def _articles(docs: list[Document]) -> Counter:
    return Counter(c.label for d in docs for c in d.walk() if c.kind == "article")


def score_laws(folder: Path, show: bool) -> dict:
    files = sorted(folder.glob("*.md"))
    right = Counter()
    stated = Counter()
    arts_total = arts_ok = 0
    numbered = gapless = 0  # regulations with articles; those whose article clauses are 第一条 … 第N条, none missing
    body_chars = lost = dup = 0
    refused: list[str] = []
    misses: list[str] = []
    t0 = time.perf_counter()
    for f in files:
        raw = f.read_text("utf-8")
        try:
            docs = read_documents(f, folder)
        except SourceError as e:
            refused.append(f"{f.name}: {e}")
            continue
        d = docs[0]
        exp = expected_from_info(raw)
        got = {"number": (_ORDER.search(d.doc_number or "") or [None, None])[1], "date": d.date,
               "effective": d.effective}
        for k, v in exp.items():
            if v is not None:
                stated[k] += 1
                if got[k] == v:
                    right[k] += 1
                elif show:
                    misses.append(f"{f.name}: {k} {got[k]} != {v}")
        body = raw.split("<!-- INFO END -->", 1)[-1]
        lines = [re.sub(r"^\s{0,3}#{1,6}\s*", "", ln).replace("**", "").strip() for ln in body.split("\n")]
        want = Counter(m.group() for ln in lines if (m := ARTICLE_RE.match(ln)))
        have = _articles(docs)
        arts_total += sum(want.values())
        ok = sum(min(n, have[k]) for k, n in want.items())
        arts_ok += ok
        if show and ok < sum(want.values()):
            misses.append(f"{f.name}: {sum(want.values()) - ok} articles not clauses")
        numbers = sorted({c.number for c in docs[0].walk() if c.kind == "article" and "之" not in c.label})
        if numbers:
            numbered += 1
            gapless += numbers == list(range(1, numbers[-1] + 1))
            if show and numbers != list(range(1, numbers[-1] + 1)):
                misses.append(f"{f.name}: articles {len(numbers)} clauses, numbered up to {numbers[-1]}")
        # attachment headings and titles (附件2 / 海洋倾废许可证) and a 版记 are metadata of their documents
        lay = analyse_layout(d.text)
        info_end = d.text.find("<!-- INFO END -->")
        meta = "\n".join(p for o, p in lay.metadata_lines if o > info_end)
        src = _chars("\n".join(lines)) - _chars(meta)
        got_chars = _clause_chars(docs)
        body_chars += sum(src.values())
        file_lost, file_dup = sum((src - got_chars).values()), sum((got_chars - src).values())
        lost += file_lost
        dup += file_dup
        if show and (file_lost or file_dup):
            misses.append(f"{f.name}: {file_lost} characters lost ({''.join((src - got_chars).elements())[:40]}), "
                          f"{file_dup} duplicated")
    return {"files": len(files), "seconds": time.perf_counter() - t0, "right": right, "stated": stated,
            "articles": (arts_ok, arts_total), "gapless": (gapless, numbered), "chars": (body_chars, lost, dup),
            "refused": refused,
            "misses": misses}


def score_govcn(folder: Path, show: bool) -> dict:
    truth = json.loads((folder / "truth.json").read_text("utf-8"))
    right = Counter()
    refused: list[str] = []
    misses: list[str] = []
    body_chars = lost = dup = 0
    arts_total = arts_ok = 0
    t0 = time.perf_counter()
    for name, t in sorted(truth.items()):
        f = folder / name
        try:
            docs = read_documents(f, folder)
        except SourceError as e:
            refused.append(f"{name}: {e}")
            continue
        d = docs[0]
        checks = {"title": d.title == t["title"], "issuers": d.issuers == t["issuers"],
                  "doc_number": d.doc_number == t["doc_number"], "date": d.date == t["written"],
                  "published": d.published == t["published"]}
        for k, ok in checks.items():
            right[k] += ok
            if show and not ok:
                misses.append(f"{name}: {k} {getattr(d, k)!r} (truth {t.get(k, t.get('written'))!r})")
        lay = analyse_layout(d.text)
        meta = "\n".join(p for _, p in lay.metadata_lines)
        src = _chars(d.text) - _chars(meta)
        got_chars = _clause_chars(docs)
        body_chars += sum(src.values())
        lost += sum((src - got_chars).values())
        dup += sum((got_chars - src).values())
        want = Counter(m.group() for ln in d.text.split("\n") if (m := ARTICLE_RE.match(ln.strip())))
        have = _articles(docs)
        arts_total += sum(want.values())
        arts_ok += sum(min(n, have[k]) for k, n in want.items())
    return {"files": len(truth), "seconds": time.perf_counter() - t0, "right": right, "refused": refused,
            "misses": misses, "chars": (body_chars, lost, dup), "articles": (arts_ok, arts_total)}


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def score_files(folder: Path, show: bool) -> dict:
    """files-dev: files of city and county governments (PDF, Word, WPS, web pages) against fields read by hand.
    A notice is whole when title, number, issuers and date are right and its first and last sentences are in its
    clauses; a PDF whose text layer is scanned or garbage is read by OCR and scored like the others, or refused,
    never kept as junk (over a tenth of its characters punctuation a notice hardly uses)."""
    truth = json.loads((folder / "truth.json").read_text("utf-8"))
    right: Counter[str] = Counter()
    counted: Counter[str] = Counter()
    refused: list[str] = []
    misses: list[str] = []
    junk_kept: list[str] = []
    unreadable = unreadable_refused = notices = ocr_read = 0
    pdf_pages, pdf_seconds = 0, 0.0  # PDFs with a text layer: how fast they are read
    t0 = time.perf_counter()
    for name, t in sorted(truth.items()):
        bad_pdf = t.get("pdf_text") in ("scanned", "garbage")
        unreadable += bad_pdf
        counted[t["format"]] += 1
        t1 = time.perf_counter()
        try:
            docs = read_documents(folder / name, folder)
        except SourceError as e:
            refused.append(f"{name} ({t['format']}): {e}")
            unreadable_refused += bad_pdf
            continue
        if name.lower().endswith(".pdf") and not bad_pdf:
            pdf_seconds += time.perf_counter() - t1
            pdf_pages += len(pypdfium2.PdfDocument(str(folder / name)))
        if bad_pdf:
            chars = [c for d in docs for c in d.text if not c.isspace()]
            if not chars or sum(c in '!"#$&\'*+;<=>?@[\\]^_`{|}~' for c in chars) > 0.1 * len(chars):
                junk_kept.append(name)
                continue
            ocr_read += 1
        if t.get("kind") != "notice":
            continue  # forms and other files: read (or refused) above, no fields to score
        notices += 1
        d = next((x for x in docs if not x.attachment_of), docs[0])
        body = _squeeze("".join(c.text for x in docs for top in x.clauses for c in top.walk()))
        checks = {"title": _squeeze(d.title) == _squeeze(t["title"] or ""),
                  "doc_number": (d.doc_number or None) == t["doc_number"],
                  "issuers": (d.issuers or None) == t["issuers"], "date": d.date == t["date"],
                  "first": bool(t["first"]) and _squeeze(t["first"]) in body,
                  "last": bool(t["last"]) and _squeeze(t["last"]) in body}
        for k, ok in checks.items():
            right[k] += ok
            if show and not ok:
                got = getattr(d, k) if hasattr(d, k) else "(not in the clauses)"
                misses.append(f"{name} ({t['format']}): {k} {got!r} (truth {t.get(k)!r})")
        right["whole"] += all(checks.values())
    return {"files": len(truth), "readable": notices, "formats": counted, "seconds": time.perf_counter() - t0,
            "right": right, "refused": refused, "misses": misses, "junk_kept": junk_kept,
            "unreadable": (unreadable_refused, unreadable), "ocr": ocr_read, "pdf": (pdf_pages, pdf_seconds)}


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.2f}%)" if b else "0/0"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--real", default=str(ROOT.parent / "shared" / "real"))
    ap.add_argument("--show-misses", action="store_true")
    args = ap.parse_args()
    real = Path(args.real)
    if not real.exists():
        sys.exit(f"{real} not found (the real documents sit in ../shared/real beside the checkout)")
    g = score_govcn(real / "govcn-dev", args.show_misses)
    print(f"govcn-dev: {g['files']} pages in {g['seconds']:.1f} s")
    for k in ("title", "issuers", "doc_number", "date", "published"):
        print(f"  {k:<11} right on {g['right'][k]}/{g['files']}")
    n, lost, dup = g["chars"]
    print(f"  articles as clauses {_pct(*g['articles'])}")
    print(f"  text coverage {_pct(n - lost, n)}, duplicated characters {dup}")
    print(f"  refused {len(g['refused'])}" + "".join(f"\n    {r}" for r in g["refused"]))
    fd = score_files(real / "files-dev", args.show_misses)
    formats = ", ".join(f"{n} {k}" for k, n in sorted(fd["formats"].items()))
    print(f"files-dev: {fd['files']} files ({formats}) in {fd['seconds']:.1f} s")
    pages, secs = fd["pdf"]
    if secs:
        print(f"  PDFs with a text layer: {pages} pages read into documents in {secs:.2f} s "
              f"= {pages / secs:.0f} pages/s")
    print(f"  whole record right (title, number, issuers, date, first and last sentence) on "
          f"{_pct(fd['right']['whole'], fd['readable'])} of the readable notices")
    for k in ("title", "doc_number", "issuers", "date", "first", "last"):
        print(f"  {k:<11} right on {fd['right'][k]}/{fd['readable']}")
    ok, n = fd["unreadable"]
    print(f"  PDFs without a usable text layer: {n}: {fd['ocr']} read by OCR (scored above), {ok} refused, "
          f"{len(fd['junk_kept'])} kept as junk"
          + (f" ({', '.join(fd['junk_kept'])})" if fd["junk_kept"] else ""))
    print(f"  refused {len(fd['refused'])}" + "".join(f"\n    {r}" for r in fd["refused"]))
    laws = score_laws(real / "laws", args.show_misses)
    print(f"laws: {laws['files']} regulations in {laws['seconds']:.1f} s")
    for k in ("number", "date", "effective"):
        print(f"  {k:<10} right on {_pct(laws['right'][k], laws['stated'][k])} of those whose information block "
              "states it")
    print(f"  articles as clauses {_pct(*laws['articles'])}")
    print(f"  article clauses numbered 第一条 … 第N条 with none missing {_pct(*laws['gapless'])} of the regulations")
    n, lost, dup = laws["chars"]
    print(f"  text coverage {_pct(n - lost, n)} of body characters, duplicated characters {dup}")
    print(f"  refused {len(laws['refused'])}" + "".join(f"\n    {r}" for r in laws["refused"]))
    if args.show_misses:
        for m in g["misses"] + fd["misses"] + laws["misses"]:
            print("  miss:", m)


if __name__ == "__main__":
    main()
