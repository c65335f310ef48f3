"""A throwaway PostgreSQL server from the installed binaries, for the tests that run against a server store.

initdb and pg_ctl as an unprivileged user (PostgreSQL refuses root; CI runs as root), on a free loopback port,
with a log file (without one, pg_ctl keeps the output open and never returns), stopped however the tests end.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin directory, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    return Path(found[-1]) if found and (Path(found[-1]) / "initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextlib.contextmanager
def server() -> Iterator[str]:
    """A running server's URL (database ``postgres``, user ``postgres``, trust on loopback)."""
    bin_dir = binaries()
    assert bin_dir is not None
    base = Path(tempfile.mkdtemp(prefix="ps-pg-"))
    port = _free_port()
    try:
        os.chmod(base, 0o755)
        (base / "sock").mkdir()
        if os.geteuid() == 0:
            shutil.chown(base, "postgres")
            shutil.chown(base / "sock", "postgres")
        subprocess.run(_as_owner([str(bin_dir / "initdb"), "-D", str(base / "data"), "-E", "UTF8",
                                  "--locale=C.UTF-8", "-A", "trust", "-U", "postgres"]),
                       check=True, capture_output=True, timeout=120)
        subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(base / "data"), "-l", str(base / "log"),
                                  "-w", "-t", "60", "-o",
                                  f"-p {port} -k {base / 'sock'} -c listen_addresses=127.0.0.1 -c fsync=off",
                                  "start"]),
                       check=True, capture_output=True, timeout=120)
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if (base / "data" / "postmaster.pid").exists():
            subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(base / "data"), "-m", "immediate", "-w",
                                      "stop"]), capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)
