"""Text from documents on its way to a terminal: nothing in it may act as a control sequence.

Reading already removes control characters from what is stored; this is the last guard for everything a face
prints (file names, metadata, text of an index built by an older version)."""

from __future__ import annotations

import json
import re
from typing import Any

_CONTROL_RE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?"  # escape sequences
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # other C0 (not tab, newline), DEL, C1


def printable(text: str) -> str:
    """text without C0 (except tab and newline), DEL, C1 or escape sequences."""
    return _CONTROL_RE.sub("", text)


def one_line(text: str) -> str:
    """A file name or another short datum on one line: every control character (newline and tab too) shown
    escaped, as Python writes it (``\\n``, ``\\x1b``), so that it can neither split a report line nor act."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def to_json(data: Any) -> str:
    """JSON for a terminal or a pipe: C0 controls are escaped by json; C1 and DEL are escaped here too."""
    out = json.dumps(data, ensure_ascii=False, indent=2)
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", out)
