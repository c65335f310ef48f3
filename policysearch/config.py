"""Explicit configuration: where the corpus and the index live (flags, then environment, then defaults)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_CORPUS = "POLICYSEARCH_CORPUS"
ENV_INDEX = "POLICYSEARCH_INDEX"
CHECKOUT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    corpus: Path
    index: Path

    @classmethod
    def resolve(cls, corpus: str | Path | None = None, index: str | Path | None = None) -> Settings:
        """Flags win over the environment, which wins over the checkout's corpus/ and indexes/."""
        c = corpus or os.environ.get(ENV_CORPUS) or CHECKOUT / "corpus"
        i = index or os.environ.get(ENV_INDEX) or CHECKOUT / "indexes"
        return cls(Path(c).expanduser().resolve(), Path(i).expanduser().resolve())
