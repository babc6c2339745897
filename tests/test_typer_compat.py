"""bptrack's reach into Typer's internals, all in cli/typer_compat.py: each workaround still
finds what it needs in the installed Typer. A new Typer that breaks one fails here, by name,
rather than silently in a shell's completion or a usage line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bptrack.cli.typer_compat import WORKAROUNDS

SRC = Path(__file__).resolve().parents[1] / "src" / "bptrack"


@pytest.mark.parametrize("name", sorted(WORKAROUNDS))
def test_the_workaround_still_fits_this_typer(name: str) -> None:
    try:
        WORKAROUNDS[name]()
    except (AttributeError, ImportError, AssertionError) as exc:
        pytest.fail(f"Typer changed under the workaround {name!r} of cli/typer_compat.py: "
                    f"{type(exc).__name__}: {exc}")


def test_typer_internals_are_reached_from_one_module_only() -> None:
    reaching = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                      if re.search(r"typer\._|registered_(?:commands|groups)|"
                                   r"_main_shell_completion|_TYPER_COMPLETE", p.read_text()))
    assert reaching == ["cli/typer_compat.py"]
