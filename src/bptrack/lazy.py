"""Names a package offers whose modules load on first use: the packages that every command
loads (the service, the queries, the output door) would otherwise load all their modules,
and most commands need one or two of them."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any


def loader(package: str, homes: dict[str, tuple[str, ...]]) -> Callable[[str], Any]:
    """The package's module `__getattr__`: a name of `homes` (module: its names) is taken from
    its module, which loads then, and kept in the package for the next time."""
    home = {name: module for module, names in homes.items() for name in names}

    def __getattr__(name: str) -> Any:
        if name not in home:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home[name]), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
