"""Highlights: where a query's words and phrases are in a clause's original text, in its own script.

Matches are found in the normalised forms and mapped back to the original with the offset maps, so a
query typed in simplified script lights up the traditional wording it matched.
"""

from __future__ import annotations

from collections.abc import Callable

from ..text.normalise import NormalisedText, normalise, normalise_raw
from .query import Phrase, Word


def window_around(text: str, highlights: list[Word | Phrase], radius: int = 150) -> tuple[int, int] | None:
    """A span of a long text around the first place where a query term appears as typed or in a matching
    form (a cheap look before normalising only that window); None when no form appears verbatim."""
    best: int | None = None
    for t in highlights:
        for needle in (t.raw, *t.forms.matching(traditional=True)):
            i = text.find(needle) if needle else -1
            if i >= 0:
                best = i if best is None else min(best, i)
    if best is None:
        return None
    return max(0, best - radius), min(len(text), best + radius)


def highlight_spans(text: str, highlights: list[Word | Phrase], *, traditional: bool,
                    window: tuple[int, int] | None = None,
                    segment: Callable[[str], list[str]] | None = None) -> list[tuple[int, int]]:
    """Spans of text (the original) that match the query's words and phrases (within window, if given)."""
    if not highlights:
        return []
    offset = 0
    if window is not None:
        offset = window[0]
        text = text[window[0]:window[1]]
    nt = normalise(text, traditional=traditional)
    rt: NormalisedText | None = None
    spans: list[tuple[int, int]] = []
    for t in highlights:
        matching = t.forms.matching(traditional=traditional)
        found = _find(nt, matching, spans)
        if t.raw and t.raw not in matching:  # as written (else a match of the literal form is one of nt's)
            rt = rt or normalise_raw(text)
            found = _find(rt, (t.raw,), spans) or found
        if not found and isinstance(t, Word):
            if segment is None:
                from ..text.segment import words as segment_words

                segment = segment_words
            for w in segment(t.norm):  # a word matched by its jieba words: light each word
                i = nt.text.find(w)
                while i >= 0:
                    spans.append(nt.to_original(i, i + len(w)))
                    i = nt.text.find(w, i + len(w))
    return [(s + offset, e + offset) for s, e in merge_spans(spans)]


def _find(form: NormalisedText, needles: tuple[str, ...], spans: list[tuple[int, int]]) -> bool:
    """Add the original spans of every occurrence of the needles in a normalised text; whether there was one."""
    found = False
    for needle in needles:
        if not needle:
            continue
        i = form.text.find(needle)
        while i >= 0:
            spans.append(form.to_original(i, i + len(needle)))
            found = True
            i = form.text.find(needle, i + len(needle))
    return found


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def make_snippet(text: str, spans: list[tuple[int, int]], width: int = 90) -> tuple[str, list[tuple[int, int]]]:
    """A window of the original text around the first match, with match spans relative to it."""
    flat = text.replace("\n", " ")
    if len(flat) <= width:
        return flat, spans
    first = spans[0][0] if spans else 0
    start = max(0, min(first - width // 4, len(flat) - width))
    end = min(len(flat), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    inner = [(max(s, start) - start + len(prefix), min(e, end) - start + len(prefix))
             for s, e in spans if e > start and s < end]
    return prefix + flat[start:end] + suffix, inner
