"""The errors a user can cause.  Each carries one line naming the thing and the reason; the faces (CLI, TUI)
catch :class:`PolicySearchError` and show that line, never a traceback."""

from __future__ import annotations


class PolicySearchError(Exception):
    """Base of every error a user can cause (bad file, bad query, unknown document, busy index …)."""


class SourceError(PolicySearchError):
    """A file that cannot be read, and why."""


class QueryError(PolicySearchError, ValueError):
    """A query the user typed cannot be run; the message says why."""


class DocumentNotFound(PolicySearchError, LookupError):
    """A DOC reference matched no document, or several (the message lists them)."""


class SectionNotFound(PolicySearchError, LookupError):
    """A clause path that the document does not have."""


class IndexBusy(PolicySearchError):
    """Another ingest holds the index's lock."""


class IndexMissing(PolicySearchError):
    """There is no usable index where one was asked for (and building one was not allowed)."""


class IndexReadOnly(PolicySearchError):
    """The index is on a disk or in a folder the user may not write (it can still be read)."""


class IndexFull(PolicySearchError):
    """The disk filled while the index was written (the index is as it was)."""
