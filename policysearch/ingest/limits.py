"""How large a file may be before it is read: limits a user can see and raise.

A file over a limit is refused before anything large is read or inflated, with one line saying which limit and
by how much.  The defaults are far above any real notice (the largest of ../shared/real is 1.5 MB): a notice
is kilobytes of text; these are there so that a hostile or mistaken file (a zip bomb, a 200 MB dump) costs
nothing but its line in the report.

Raise them with ``policysearch ingest --max-file-mb N --max-part-mb N --max-chars N`` or the environment
(``POLICYSEARCH_MAX_FILE_MB``, ``POLICYSEARCH_MAX_PART_MB``, ``POLICYSEARCH_MAX_CHARS``), which every command,
and the TUI, reads.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError

ENV_MAX_FILE_MB = "POLICYSEARCH_MAX_FILE_MB"
ENV_MAX_PART_MB = "POLICYSEARCH_MAX_PART_MB"
ENV_MAX_CHARS = "POLICYSEARCH_MAX_CHARS"
MB = 1_000_000
MAX_PARTS = 5_000  # members of one container (a long .docx has a few dozen)


@dataclass(frozen=True)
class Limits:
    file_mb: float = 64.0  # one file, as it lies on disk
    part_mb: float = 128.0  # a container's parts (.docx), inflated, in all
    chars: float = 4_000_000  # the text of one document, as read (the Civil Code is 110,000 characters)

    @classmethod
    def from_env(cls, file_mb: float | None = None, part_mb: float | None = None,
                 chars: float | None = None) -> Limits:
        """Flags win over the environment, which wins over the defaults."""
        def pick(flag: float | None, env: str, default: float) -> float:
            if flag is not None:
                return _positive(flag, env)
            raw = os.environ.get(env, "").strip()
            if not raw:
                return default
            try:
                return _positive(float(raw), env)
            except ValueError:
                raise SourceError(f"{env}={raw!r} is not a number of megabytes") from None

        return cls(pick(file_mb, ENV_MAX_FILE_MB, cls.file_mb), pick(part_mb, ENV_MAX_PART_MB, cls.part_mb),
                   pick(chars, ENV_MAX_CHARS, cls.chars))

    def check_file(self, path: Path) -> int:
        """The file's size; SourceError if it is over the file limit."""
        try:
            size = path.stat().st_size
        except OSError as e:
            raise SourceError(f"cannot read ({e.strerror or e})") from e
        if size > self.file_mb * MB:
            raise SourceError(_over("file", size, self.file_mb, "--max-file-mb", ENV_MAX_FILE_MB))
        return size

    def check_container(self, path: Path) -> None:
        """A zip container (.docx) read from its directory, before anything is inflated: its parts in all must
        fit the part limit.  (Python's zipfile stops inflating a part at the size its directory declares, so a
        directory that lies gets a corrupt part, never a larger one.)"""
        try:
            with zipfile.ZipFile(path) as z:
                infos = z.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return  # not a zip after all: the reader says what it is not
        if len(infos) > MAX_PARTS:
            raise SourceError(f"a container of {len(infos):,} parts (at most {MAX_PARTS:,} are read)")
        total = sum(i.file_size for i in infos)
        if total > self.part_mb * MB:
            biggest = max(infos, key=lambda i: i.file_size)
            raise SourceError(_over("container's parts", total, self.part_mb, "--max-part-mb", ENV_MAX_PART_MB)
                              + f"; the largest is {biggest.filename} ({biggest.file_size / MB:,.0f} MB)")


    def check_text(self, text: str, where: str = "") -> None:
        """SourceError if one document's text is over the text limit (memory follows the text: a 60 MB notice
        took 1.6 GB to structure and index)."""
        if len(text) > self.chars:
            raise SourceError(f"too large: {where}{len(text):,} characters of text, over the limit for one "
                              f"document ({self.chars:,.0f}) by {len(text) - self.chars:,.0f}; raise it with "
                              f"--max-chars or {ENV_MAX_CHARS}")


def _positive(value: float, name: str) -> float:
    if not value > 0:
        raise SourceError(f"{name} must be a positive number of megabytes (got {value:g})")
    return float(value)


def _over(what: str, size: int, limit_mb: float, flag: str, env: str) -> str:
    return (f"too large: {size / MB:,.1f} MB, over the limit for a {what} ({limit_mb:g} MB) by "
            f"{size / MB - limit_mb:,.1f} MB; raise it with {flag} or {env}")
