"""Decoding the bytes of a Chinese text file: BOMs, UTF-8, UTF-16, GB18030, Big5, charset-normalizer."""

from __future__ import annotations

import codecs
from functools import lru_cache

from ...errors import SourceError
from ...text import data_file


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    text = data_file("common_chars.txt").read_text("utf-8")
    return frozenset("".join(ln for ln in text.splitlines() if not ln.startswith("#")))


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters that are common Chinese characters or CJK punctuation
    (ASCII control characters other than whitespace count against it)."""
    sample = text[:20000]
    if not sample:
        return 0.0
    common = _common_chars()
    good = total = 0
    for ch in sample:
        if ch.isascii():
            if not (ch.isprintable() or ch in "\n\r\t"):
                total += 1
            continue
        total += 1
        good += ch in common or ch in "，。、；：？！“”‘’（）《》〔〕【】—…·　［］０１２３４５６７８９"
    return good / total if total else 1.0


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" not in head:
        return False
    # UTF-16 without a BOM has NULs in every other byte for ASCII; binary data has them anywhere.
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    return not (even > len(head) * 0.2 and odd < len(head) * 0.02 or odd > len(head) * 0.2
                and even < len(head) * 0.02)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of a Chinese text file; returns (text, encoding)."""
    if not data.strip():
        raise SourceError("empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "")
            except UnicodeDecodeError as e:
                raise SourceError(f"not valid {enc} despite its byte-order mark ({e.reason})") from e
    if _looks_binary(data):
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if plausibility(text) > 0.9:
                return text, enc
        raise SourceError("binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for enc in ("gb18030", "big5hkscs", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((plausibility(text), enc, text))
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200000]).best()
    if best is not None and best.encoding not in {c[1] for c in candidates}:
        try:
            text = data.decode(best.encoding)
            candidates.append((plausibility(text), best.encoding, text))
        except (UnicodeDecodeError, LookupError):
            pass
    if candidates:
        score, enc, text = max(candidates, key=lambda c: c[0])
        if score >= 0.85:
            return text, {"big5hkscs": "big5"}.get(enc, enc)
    raise SourceError("cannot decode: not UTF-8, UTF-16, GB18030 or Big5 Chinese text")
