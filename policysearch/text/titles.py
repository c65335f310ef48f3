"""Titles as keys: how two ways of writing a document's title are found to name the same document."""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from .lexicon import ABOUT_RE
from .normalise import norm

TITLE_MATCH = 85.0  # least fuzz.ratio of two titles of one document (see same_title)


def title_key(title: str) -> str:
    """A title for matching: normalised, issuer prefix before 关于 dropped, punctuation dropped."""
    t = norm(title, traditional=True)
    m = ABOUT_RE.search(t)
    if m and m.start() > 0:
        t = t[m.start():]
    return re.sub(r"[\W_]+", "", t)


def work_name(key: str) -> str:
    """A title key as a work's name: without a leading 中华人民共和国 (unless that is all there is)."""
    return key[len("中华人民共和国"):] if key.startswith("中华人民共和国") and len(key) > 9 else key


def same_title(a: str, b: str) -> bool:
    """Whether two title keys name one document: equal, or one is the other with a few characters
    added or dropped (组织开展 / 开展).  A substitution (示范城市 / 示范基地) names another document,
    although its fuzz.ratio is as high, so the shorter title must survive whole in the longer one."""
    if a == b:
        return True
    if not a or not b:
        return False
    short = min(len(a), len(b))
    return LCSseq.similarity(a, b) >= short - 1 and fuzz.ratio(a, b) >= TITLE_MATCH
