"""The installed command in a real terminal (tmux): it opens, a query shows results, the trend screen charts two
queries, ctrl+q quits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import run_ingest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def tmux(socket: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=False)


def wait_for(socket: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.time() + timeout
    screen = ""
    while time.time() < deadline:
        screen = tmux(socket, "capture-pane", "-t", "ps", "-p").stdout
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")


def test_installed_command_in_tmux(tmp_corpus):
    run_ingest(tmp_corpus)
    command = Path(sys.executable).parent / "policysearch"
    assert command.exists(), "the policysearch command is not installed in this environment"
    socket = f"policysearch-test-{os.getpid()}"
    env = f"POLICYSEARCH_CORPUS={tmp_corpus.corpus} POLICYSEARCH_INDEX={tmp_corpus.index} TERM=xterm-256color"
    tmux(socket, "new-session", "-d", "-s", "ps", "-x", "120", "-y", "36", f"env {env} {command}")
    try:
        wait_for(socket, "Type to search")
        tmux(socket, "send-keys", "-t", "ps", "智能物流")
        screen = wait_for(socket, "6 clauses match")
        assert "二/(二)" in screen and "智慧物流" in screen  # the traditional hit, in its own script
        # the trend screen's chart in a real terminal: two queries over the years, whole years on the axis
        tmux(socket, "send-keys", "-t", "ps", "F4")
        wait_for(socket, "Queries")
        tmux(socket, "send-keys", "-t", "ps", '电子商务; "智慧物流"', "Enter")
        screen = wait_for(socket, "电子商务 7 documents, 135 clauses")
        assert '"智慧物流" 4 documents' in screen
        axis = next(line for line in screen.splitlines() if "2013" in line and "2016" in line and "电子商务" not in line)
        assert "2014" in axis and "2015" in axis and "." not in axis  # whole years
        assert any(ch in screen for ch in "⠉⠒⠤⣀")  # the lines, drawn in braille
        tmux(socket, "send-keys", "-t", "ps", "C-q")
        deadline = time.time() + 10
        while time.time() < deadline and tmux(socket, "has-session", "-t", "ps").returncode == 0:
            time.sleep(0.2)
        assert tmux(socket, "has-session", "-t", "ps").returncode != 0, "ctrl+q did not quit"
    finally:
        tmux(socket, "kill-server")
