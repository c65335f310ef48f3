"""How large a file may be before it is read (the values: :class:`..config.Limits`).

A file over a limit is refused before anything large is read or inflated, with one line saying which limit and
by how much.  The defaults are far above any real notice (the largest of ../shared/real is 1.5 MB): a notice
is kilobytes of text; these are there so that a hostile or mistaken file (a zip bomb, a 200 MB dump) costs
nothing but its line in the report.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..config import ENV_MAX_CHARS, ENV_MAX_FILE_MB, ENV_MAX_PART_MB, Limits
from ..errors import SourceError

MB = 1_000_000
MAX_PARTS = 5_000  # members of one container (a long .docx has a few dozen)

__all__ = ["Limits", "check_container", "check_file", "check_text"]


def check_file(limits: Limits, path: Path) -> int:
    """The file's size; SourceError if it is over the file limit."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise SourceError(f"cannot read ({e.strerror or e})") from e
    if size > limits.file_mb * MB:
        raise SourceError(_over("file", size, limits.file_mb, "--max-file-mb", ENV_MAX_FILE_MB))
    return size


def check_container(limits: Limits, path: Path) -> None:
    """A zip container (.docx) read from its directory, before anything is inflated: its parts in all must fit
    the part limit.  (Python's zipfile stops inflating a part at the size its directory declares, so a directory
    that lies gets a corrupt part, never a larger one.)"""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip after all: the reader says what it is not
    if len(infos) > MAX_PARTS:
        raise SourceError(f"a container of {len(infos):,} parts (at most {MAX_PARTS:,} are read)")
    total = sum(i.file_size for i in infos)
    if total > limits.part_mb * MB:
        biggest = max(infos, key=lambda i: i.file_size)
        raise SourceError(_over("container's parts", total, limits.part_mb, "--max-part-mb", ENV_MAX_PART_MB)
                          + f"; the largest is {biggest.filename} ({biggest.file_size / MB:,.0f} MB)")


def check_text(limits: Limits, text: str, where: str = "") -> None:
    """SourceError if one document's text is over the text limit (memory follows the text: a 60 MB notice took
    1.6 GB to structure and index)."""
    if len(text) > limits.chars:
        raise SourceError(f"too large: {where}{len(text):,} characters of text, over the limit for one document "
                          f"({limits.chars:,.0f}) by {len(text) - limits.chars:,.0f}; raise it with --max-chars "
                          f"or {ENV_MAX_CHARS}")


def _over(what: str, size: int, limit_mb: float, flag: str, env: str) -> str:
    return (f"too large: {size / MB:,.1f} MB, over the limit for a {what} ({limit_mb:g} MB) by "
            f"{size / MB - limit_mb:,.1f} MB; raise it with {flag} or {env}")
