"""Importing a library without the parts of it a command never uses.

A `search` process has a budget of 0.15 s, and the libraries it needs import, when they are imported, modules that
answering a query rarely or never calls: whoosh imports urllib.request (for a download helper; it loads http.client,
email and ssl) and its English stemming tables, jieba its HMM tables (used only for runs of characters its
dictionary does not know), and cached_property imports asyncio.  While such a library is imported, those modules
are stand-ins that import the real module when first used, so nothing is lost: a query that does need jieba's HMM
loads it then.  Only names not imported yet are stood in for, and only during the import.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _StandIn(types.ModuleType):
    """Stands in for a module while a library is imported; the real module is imported when first used."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.importing = True

    def real(self) -> types.ModuleType:
        """The module stood in for, imported (out of the way first, should it still be in place)."""
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return importlib.import_module(self.__name__)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        if self.__dict__.get("importing"):  # `from urllib.request import urlretrieve`: a function that forwards
            def forward(*args: Any, **kwargs: Any) -> Any:
                return getattr(self.real(), attr)(*args, **kwargs)

            return forward
        return getattr(self.real(), attr)


def _cached_property_module() -> types.ModuleType:
    """The cached_property package is functools.cached_property plus coroutine properties, for which it imports
    asyncio (9 ms); a library whose cached properties are plain methods is served by the standard one."""
    module = types.ModuleType("cached_property")
    module.cached_property = functools.cached_property  # type: ignore[attr-defined]
    return module


_SUBSTITUTES = {"cached_property": _cached_property_module}


@contextmanager
def deferring(*names: str) -> Iterator[None]:
    """While the block imports a library, the modules ``names`` are stand-ins (see the module's text); a name of
    :data:`_SUBSTITUTES` is served by its substitute instead."""
    placed: dict[str, types.ModuleType] = {}
    for name in names:
        if name not in sys.modules:
            placed[name] = _SUBSTITUTES[name]() if name in _SUBSTITUTES else _StandIn(name)
    sys.modules.update(placed)
    try:
        yield
    finally:
        for name, module in placed.items():
            if isinstance(module, _StandIn):
                module.importing = False
            if sys.modules.get(name) is module:
                del sys.modules[name]
