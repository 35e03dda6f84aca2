"""The simulator's layers import one way: http/ -> model/ -> styles/ -> hashes.py,
no module imports back up (TYPE_CHECKING imports included), and none imports the
client it is the independent reading of."""

from __future__ import annotations

import ast
from pathlib import Path

# Read as text, not imported: a cycle would fail the import before any assert.
ROOT = Path(__file__).resolve().parents[1] / "aomlog" / "simulator"
# Lower imports higher never; the package's __init__ and __main__ sit above all.
RANK = {"hashes": 0, "styles": 1, "model": 2, "http": 3}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path):
    """The simulator modules (relative names) and outside modules that ``path`` imports."""
    here = _module(path).split(".") if path.name == "__init__.py" else _module(path).split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[:len(here) - (node.level - 1)] + ([node.module] if node.module else [])
            for alias in node.names:
                yield ".".join(base + [alias.name]).strip(".")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            yield from ("/" + name for name in names)  # "/": outside the simulator


def _graph():
    modules = {_module(p): p for p in ROOT.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        targets = set()
        for imported in _imports(path):
            # "from .model import Job" names a module's attribute: keep the module.
            while imported and not imported.startswith("/") and imported not in modules:
                imported = imported.rpartition(".")[0]
            targets.add(imported)
        graph[name] = targets - {name}
    return graph


def test_layers_import_downward_only():
    for name, targets in _graph().items():
        if name in ("", "__main__"):
            continue
        for target in targets:
            if not target.startswith("/"):
                assert RANK.get(target.split(".")[0], 4) <= RANK[name.split(".")[0]], (name, target)


def test_no_import_cycles():
    graph = _graph()
    done, path = set(), []

    def visit(name):
        assert name not in path, " -> ".join(path[path.index(name):] + [name])
        if name in done:
            return
        path.append(name)
        for target in graph.get(name, ()):
            visit(target)
        path.pop()
        done.add(name)

    for name in graph:
        visit(name)


def test_nothing_of_aomlog_outside_the_simulator():
    for name, targets in _graph().items():
        outside = {t for t in targets if t.startswith("/aomlog")}
        assert not outside, (name, outside)
