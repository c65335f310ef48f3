"""One ingest at a time: an exclusive lock on the index directory (a second ingest waits, or says who holds it)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class IngestLock:
    """An exclusive lock on the index directory; a second ingest waits for the first."""

    NAME = "ingest.lock"

    def __init__(self, index_dir: Path):
        index_dir.mkdir(parents=True, exist_ok=True)
        self.path = index_dir / self.NAME
        self.fd: int | None = None

    def acquire(self, wait: bool = True) -> bool:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                os.close(self.fd)
                self.fd = None
                return False
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        os.ftruncate(self.fd, 0)
        os.write(self.fd, str(os.getpid()).encode())
        return True

    def holder(self) -> str:
        try:
            return self.path.read_text().strip()
        except OSError:
            return "?"

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
