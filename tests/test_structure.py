"""The package's shape: no module imports another that imports it back, even lazily, and the
everyday modules import no ORM at module level (ruff's TID253 checks the latter too)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "bptrack").rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The bptrack modules `path` imports, anywhere in it (lazy imports count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module in known:
            names = [f"{node.module}.{a.name}" for a in node.names]
            found.update(n for n in names if n in known)  # a submodule, not its package
            if not all(n in known for n in names):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
    return found


def test_no_import_cycles() -> None:
    known = modules()
    graph = {name: imports(path, known) - {name} for name, path in known.items()}
    cycles = []

    def visit(start: str, node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt == start:
                cycles.append([*path, start])
            elif nxt not in path and len(path) < 6:
                visit(start, nxt, [*path, nxt])

    for name in sorted(graph):
        visit(name, name, [name])
    assert not cycles, cycles[0]


def test_storage_is_a_package() -> None:
    store = SRC / "bptrack" / "store"
    parts = {p.stem for p in store.glob("*.py")} | {
        p.parent.name for p in store.glob("*/__init__.py")}
    assert parts >= {"db", "dialect", "queries", "schema", "engine", "transfer", "target",
                     "migrations"}
