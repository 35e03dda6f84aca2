"""The architecture of docs/ARCHITECTURE.md as rules, so that it stays true.

Everything is read from the source with ``ast``: no module of aomlog is imported
(an import cycle or a misplaced library must not be able to break the checker
itself). One test function per rule; each failure lists every offender with its
file and line. The checker is tested on small made-up trees too, and the real run
must find many modules and edges, so that no rule can pass by finding nothing.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "aomlog"

# -- the rules' tables ---------------------------------------------------------------

LEAVES = ("errors", "threads", "timefmt", "fsutil")  # aomlog/<leaf>.py: anything may import them
# Who may import whom (besides its own layer): imports point down only. "api-values" is the part
# of api/ that holds value types only (JobRef, Page, Phase...), which output/ may use.
ALLOWED = {
    "leaves": set(),
    "transport": {"leaves"},
    "api": {"transport", "retry-policy", "leaves"},
    "settings": {"transport", "retry-policy", "leaves"},
    "engine": {"api", "api-values", "retry-policy", "leaves"},
    "output": {"api-values", "leaves"},
    "metrics": {"output", "api", "api-values", "leaves"},
    "cli": {"leaves", "transport", "retry-policy", "api", "api-values", "settings", "engine", "output", "metrics", "simulator"},
    "simulator": {"leaves"},  # a separate program: it reads the API docs on its own, shares no code with the client
}
API_VALUE_MODULES = {"aomlog.api.family", "aomlog.api.story"}
# The one retry policy (exponential backoff with jitter): the transport's between tries, and the
# engine's between polls while the API fails. The one module of transport/ the engine may use.
RETRY_POLICY_MODULES = {"aomlog.transport.backoff"}
EXEMPT_FROM_LAYERS = {"aomlog", "aomlog.__main__"}  # the package's face and `python -m aomlog`
# A third-party library and the layers that may import it.
LIBRARY_HOMES = {
    "click": {"cli"},
    "requests": {"transport"},
    "urllib3": {"transport"},
    "rich": {"output", "metrics"},
    "plotext": {"output", "metrics"},
}
MAX_TOP_MODULES = 6
MAX_FUNCTION_LINES = 60
OPTION_NAME = re.compile(r"--[A-Za-z]")
OPTION_LAYERS = {"cli"}  # the command line words its options; nothing else knows their names
# Strings that may hold option names of OTHER programs: the simulated training scripts' command
# lines, which are log text (``COMMAND = "python train.py --epochs 100"``).
FOREIGN_COMMANDS = {"simulator": {"COMMAND"}}
OUTSIDE_FILES = ("shared/", "API-FACTS", "PERF-NOTES")  # notes that live outside the repository
TEXT_DIRS = ("aomlog", "bench", "docs")
DOC_REF = re.compile(r"docs/([\w.-]+\.md)")
# "(docs/api-v1.md, Errors)" and 'docs/api-v2.md ("Listing jobs")' name a section of the page.
SECTION_REF = re.compile(r"docs/([\w.-]+\.md)(?:, ([A-Z][\w /-]*?)\)| \(\"([^\"]+)\"\))")
# Between the pages: '[api-v1.md](api-v1.md), "Positions"' and '[api-v1.md](api-v1.md) ("Job lists")'.
LINKED_SECTION = re.compile(r"\]\(([\w.-]+\.md)\)(?:, | \()\"([^\"]+)\"")


# -- reading the source --------------------------------------------------------------

@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. aomlog.engine.tail; a package is named by its __init__
    path: str  # as messages show it: aomlog/engine/tail.py
    is_package: bool
    tree: ast.Module


@dataclass(frozen=True)
class Edge:
    source: str
    target: str  # an aomlog module, or a third-party library's top-level name
    line: int
    internal: bool


def load_modules(package: Path) -> Dict[str, Module]:
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        name = ".".join(parts)
        shown = str(path.relative_to(package.parent))
        modules[name] = Module(name, shown, is_package, ast.parse(path.read_text(encoding="utf-8"), shown))
    return modules


def _known_prefix(name: str, known: Set[str]) -> Optional[str]:
    parts = name.split(".")
    while parts:
        if ".".join(parts) in known:
            return ".".join(parts)
        parts.pop()
    return None


def _relative_base(module: Module, level: int, name: Optional[str]) -> str:
    package = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
    base = package[:len(package) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def edges_of(module: Module, known: Set[str], root: str) -> Iterator[Edge]:
    """Every import anywhere in the module (top level, in functions, under TYPE_CHECKING).
    ``from pkg import name`` goes to ``pkg.name`` when that is a module, else to ``pkg``."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield _edge(module, alias.name, known, root, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = _relative_base(module, node.level, node.module) if node.level else (node.module or "")
            if base.split(".")[0] != root:
                yield Edge(module.name, base.split(".")[0], node.lineno, internal=False)
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield _edge(module, sub if sub in known else base, known, root, node.lineno)


def _edge(module: Module, name: str, known: Set[str], root: str, line: int) -> Edge:
    if name.split(".")[0] != root:
        return Edge(module.name, name.split(".")[0], line, internal=False)
    target = _known_prefix(name, known)
    if target is None:
        raise AssertionError(f"{module.path}:{line}: imports {name}, which is no module of {root}")
    return Edge(module.name, target, line, internal=True)


def all_edges(modules: Dict[str, Module]) -> List[Edge]:
    known = set(modules)
    root = min(known, key=len).split(".")[0]
    return [edge for module in modules.values() for edge in edges_of(module, known, root)]


def graph_of(edges: Sequence[Edge]) -> Dict[str, Set[str]]:
    graph: Dict[str, Set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, set())
        if edge.internal and edge.target != edge.source:
            graph[edge.source].add(edge.target)
            graph.setdefault(edge.target, set())
    return graph


def find_cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """One cycle (a path that comes back to its first node) per strongly connected
    component of more than one node (Tarjan), sorted, so that a failure reads the same twice."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    components: List[Set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(_cycle_in(graph, component) for component in components)


def _cycle_in(graph: Dict[str, Set[str]], component: Set[str]) -> List[str]:
    """The shortest way from the component's first node back to itself, inside the component."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node] & component):
                if nxt == start:
                    return paths[node] + [start]
                if nxt not in paths:
                    paths[nxt] = paths[node] + [nxt]
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle in {sorted(component)}")


def layer_of(name: str) -> str:
    parts = name.split(".")
    if len(parts) == 1 or parts[1] in LEAVES:
        return "leaves"  # the package's own __init__ holds only __version__
    if name in API_VALUE_MODULES:
        return "api-values"
    if name in RETRY_POLICY_MODULES:
        return "retry-policy"
    return parts[1]


def functions(tree: ast.AST, prefix: str = "") -> Iterator[Tuple[str, Union[ast.FunctionDef, ast.AsyncFunctionDef]]]:
    """Every function and method with its qualified name (``Class.method``, ``outer.inner``)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node
            yield from functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from functions(node, f"{prefix}{node.name}.")
        else:
            yield from functions(node, prefix)


def docstrings(tree: ast.AST) -> Set[int]:
    """The ids of the nodes that are docstrings (of the module, a class, a function)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def assigned_to(tree: ast.AST, names: Set[str]) -> Set[int]:
    """The ids of the nodes inside assignments to any of ``names``."""
    found: Set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in names for t in targets):
                found.update(id(inner) for inner in ast.walk(node.value))
    return found


def option_strings(module: Module) -> Iterator[Tuple[int, str]]:
    """String literals (f-strings' parts too) that name a command-line option; docstrings are
    prose, and another program's command line (``FOREIGN_COMMANDS``) is not aomlog's."""
    skip = docstrings(module.tree) | assigned_to(module.tree, FOREIGN_COMMANDS.get(layer_of(module.name), set()))
    found = [(node.lineno, node.value) for node in ast.walk(module.tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
             and OPTION_NAME.search(node.value)]
    yield from sorted(found)


def text_files(*dirs: str) -> Iterator[Path]:
    for name in dirs:
        for path in sorted((ROOT / name).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".md", ".txt", ".toml", ".cfg", ".sh") \
                    and "__pycache__" not in path.parts:
                yield path


def headings(path: Path) -> Set[str]:
    """The page's headings, lower case, each also without a trailing "(...)": "Events
    (ListTrainingJobEvents)" is the section "Events"."""
    found = set()
    for match in re.finditer(r"^#+\s+(.+?)\s*#*$", path.read_text(encoding="utf-8"), re.M):
        text = match.group(1).strip().lower()
        found |= {text, re.sub(r"\s*\([^()]*\)$", "", text)}
    return found


# -- the rules' finders: each returns its offenders, as the failure lists them ----------

def upward_imports(modules: Dict[str, Module], edges: Sequence[Edge]) -> List[str]:
    problems = []
    for edge in edges:
        if not edge.internal or edge.source in EXEMPT_FROM_LAYERS:
            continue
        source, target = layer_of(edge.source), layer_of(edge.target)
        source = {"api-values": "api", "retry-policy": "transport"}.get(source, source)  # within a layer, anything goes
        if source == target or (source, target) in (("api", "api-values"), ("transport", "retry-policy")):
            continue
        if target not in ALLOWED[source]:
            problems.append(f"{modules[edge.source].path}:{edge.line}: {edge.source} ({source}) imports "
                            f"{edge.target} ({target}); {source} may import {sorted(ALLOWED[source]) or 'nothing'}")
    return problems


def misplaced_libraries(modules: Dict[str, Module], edges: Sequence[Edge]) -> List[str]:
    problems = []
    for edge in edges:
        homes = LIBRARY_HOMES.get(edge.target)
        if edge.internal or homes is None or layer_of(edge.source) in homes:
            continue
        problems.append(f"{modules[edge.source].path}:{edge.line}: {edge.source} imports {edge.target}, "
                        f"which belongs in {', '.join(f'aomlog/{home}/' for home in sorted(homes))} only")
    return problems


def packages_without_all(modules: Dict[str, Module]) -> List[str]:
    def has_all(tree: ast.Module) -> bool:
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                return True
        return False

    return [module.path for module in modules.values() if module.is_package and not has_all(module.tree)]


def long_functions(modules: Dict[str, Module]) -> List[str]:
    found = []
    for module in modules.values():
        for name, node in functions(module.tree):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{module.path}:{node.lineno}: {name} ({length} lines)")
    return found


def option_names(modules: Dict[str, Module]) -> List[str]:
    return [f"{module.path}:{line}: {text!r}" for module in modules.values()
            if layer_of(module.name) not in OPTION_LAYERS for line, text in option_strings(module)]


# -- the real tree, read once --------------------------------------------------------

@pytest.fixture(scope="module")
def modules() -> Dict[str, Module]:
    return load_modules(PACKAGE)


@pytest.fixture(scope="module")
def edges(modules) -> List[Edge]:
    return all_edges(modules)


def _listed(problems: Sequence[str]) -> str:
    return "\n  " + "\n  ".join(problems)


# -- the rules -----------------------------------------------------------------------

def test_the_checker_sees_the_whole_package(modules, edges):
    internal = {(edge.source, edge.target) for edge in edges if edge.internal}
    assert len(modules) > 50, sorted(modules)
    assert len(internal) > 100, len(internal)
    assert {"aomlog.engine.tail", "aomlog.transport.client", "aomlog.cli", "aomlog.simulator"} <= set(modules)
    assert ("aomlog.engine.tail", "aomlog.api.family") in internal
    assert {edge.target for edge in edges if not edge.internal} >= {"click", "requests", "rich"}
    assert sum(1 for _ in functions(modules["aomlog.engine.tail"].tree)) > 10


def test_no_import_cycle(edges):
    cycles = find_cycles(graph_of(edges))
    assert not cycles, "import cycles (module-level, in functions and under TYPE_CHECKING alike):" + _listed(
        [" -> ".join(cycle) for cycle in cycles])


def test_imports_point_down_only(modules, edges):
    problems = upward_imports(modules, edges)
    assert not problems, "imports that point up or sideways:" + _listed(problems)


def test_libraries_stay_in_their_layers(modules, edges):
    problems = misplaced_libraries(modules, edges)
    assert not problems, "third-party libraries outside their layers:" + _listed(problems)


def test_few_modules_directly_in_the_package():
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, f"{len(top)} modules directly in aomlog/ (at most {MAX_TOP_MODULES}): {top}"


def test_every_package_names_its_public_face(modules):
    missing = packages_without_all(modules)
    assert not missing, "package __init__.py files without __all__:" + _listed(missing)


def test_no_long_function(modules):
    found = long_functions(modules)
    assert not found, f"functions over {MAX_FUNCTION_LINES} lines (def line to last line):" + _listed(found)


def test_option_names_only_on_the_command_line(modules):
    found = option_names(modules)
    assert not found, ("command-line option names outside aomlog/cli/ (below it, errors carry `about` and "
                       "cli/hints.py words them):" + _listed(found))


def test_nothing_points_outside_the_repository():
    found = []
    for path in text_files(*TEXT_DIRS):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for needle in OUTSIDE_FILES:
                if needle in line:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {needle!r} in {line.strip()!r}")
    assert not found, "references to notes outside the repository (their content belongs in docs/):" + _listed(found)


def test_every_doc_named_exists():
    missing, seen = [], 0
    for path in [*text_files(*TEXT_DIRS, "tests"), ROOT / "README.md", ROOT / "CHANGELOG.md"]:
        text = path.read_text(encoding="utf-8", errors="replace")
        names = DOC_REF.findall(text)
        if path.parent.name == "docs":  # links between the pages: [api-v2.md](api-v2.md)
            names += re.findall(r"\]\(([\w.-]+\.md)(?:#[\w-]*)?\)", text)
        for name in names:
            seen += 1
            if not (ROOT / "docs" / name).is_file():
                missing.append(f"{path.relative_to(ROOT)}: docs/{name}")
    assert seen > 10, seen
    assert not missing, "pages of docs/ named but missing:" + _listed(sorted(set(missing)))


def section_refs(path: Path) -> Iterator[Tuple[str, str]]:
    """(page, section) for every section of docs/ that the file names."""
    text = path.read_text(encoding="utf-8", errors="replace")
    for match in SECTION_REF.finditer(text):
        yield match.group(1), match.group(2) or match.group(3)
    if path.parent.name == "docs":
        yield from LINKED_SECTION.findall(text)


def test_every_doc_section_named_exists():
    missing, seen = [], 0
    for path in text_files(*TEXT_DIRS, "tests"):
        for name, section in section_refs(path):
            seen += 1
            page = ROOT / "docs" / name
            if not page.is_file() or section.lower() not in headings(page):
                missing.append(f"{path.relative_to(ROOT)}: docs/{name}, section {section!r}")
    assert seen >= 8, seen
    assert not missing, "sections of docs/ named but missing (a heading with that text):" + _listed(missing)


# -- the checker itself, on made-up trees ---------------------------------------------

def test_cycle_finder_on_tiny_graphs():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    two = find_cycles({"a": {"b"}, "b": {"a"}, "x": {"y"}, "y": {"z"}, "z": {"y"}})
    assert two == [["a", "b", "a"], ["y", "z", "y"]]
    # A diamond is no cycle.
    assert find_cycles({"top": {"l", "r"}, "l": {"bottom"}, "r": {"bottom"}, "bottom": set()}) == []


def _tree(tmp_path: Path, files: Dict[str, str], root: str = "pkg") -> Dict[str, Module]:
    for name, text in files.items():
        path = tmp_path / root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return load_modules(tmp_path / root)


def test_a_submodule_importing_its_packages_face_is_a_cycle(tmp_path):
    modules = _tree(tmp_path, {"__init__.py": "from pkg.a import A\n", "a.py": "from pkg import B\nA = B = 1\n"})
    assert find_cycles(graph_of(all_edges(modules))) == [["pkg", "pkg.a", "pkg"]]


def test_imports_in_functions_and_under_type_checking_count(tmp_path):
    modules = _tree(tmp_path, {
        "__init__.py": "",
        "a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
        "b.py": "def f():\n    from . import a\n",
        "sub/__init__.py": "from .c import C\n",
        "sub/c.py": "import requests\nfrom .. import b\nfrom . import C as D\n",
    })
    edges = {(e.source, e.target, e.internal) for e in all_edges(modules)}
    assert ("pkg.a", "pkg.b", True) in edges
    assert ("pkg.b", "pkg.a", True) in edges  # `from . import a`: the module a, not the package
    assert ("pkg.sub", "pkg.sub.c", True) in edges
    assert ("pkg.sub.c", "pkg.b", True) in edges
    assert ("pkg.sub.c", "pkg.sub", True) in edges  # C is no module: the package's face
    assert ("pkg.sub.c", "requests", False) in edges
    assert find_cycles(graph_of(all_edges(modules))) == [["pkg.a", "pkg.b", "pkg.a"],
                                                          ["pkg.sub", "pkg.sub.c", "pkg.sub"]]


def test_layer_table_and_finders_on_samples(tmp_path):
    assert layer_of("aomlog.errors") == layer_of("aomlog") == "leaves"
    assert layer_of("aomlog.engine.catchup.chunks") == "engine"
    assert layer_of("aomlog.api.family") == "api-values" and layer_of("aomlog.api.v1") == "api"
    assert "engine" not in ALLOWED["transport"] and "cli" not in ALLOWED["engine"]
    tree = ast.parse('"""Use --file."""\nclass C:\n    def m(self):\n        def inner():\n            pass\n'
                     '        return f"pass --task {1}"\n')
    module = Module("aomlog.engine.x", "x.py", False, tree)
    assert [name for name, _ in functions(tree)] == ["C.m", "C.m.inner"]
    assert [text for _, text in option_strings(module)] == ["pass --task "]
    foreign = 'class Style:\n    COMMAND = "python train.py --epochs %d" % 3\n    HINT = "use --fast"\n'
    simulated = Module("aomlog.simulator.styles.x", "x.py", False, ast.parse(foreign))
    assert [text for _, text in option_strings(simulated)] == ["use --fast"]
    elsewhere = Module("aomlog.output.x", "x.py", False, ast.parse(foreign))
    assert sorted(text for _, text in option_strings(elsewhere)) == ["python train.py --epochs %d", "use --fast"]
    assert SECTION_REF.findall("(docs/api-v1.md, Errors).") == [("api-v1.md", "Errors", "")]
    assert SECTION_REF.findall('docs/api-v2.md ("Listing jobs") says') == [("api-v2.md", "", "Listing jobs")]
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n## Events (ListTrainingJobEvents)\n### Listing jobs\n")
    assert headings(page) == {"title", "events (listtrainingjobevents)", "events", "listing jobs"}
    linked = 'see [a](api-v1.md), "Positions"; [b](api-v2.md) ("Listing jobs"); [c](x.md) and "not this"'
    assert LINKED_SECTION.findall(linked) == [("api-v1.md", "Positions"), ("api-v2.md", "Listing jobs")]


def test_every_rule_finds_its_offenders_in_a_made_up_package(tmp_path):
    long_body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    modules = _tree(tmp_path, {
        "__init__.py": "__all__ = []\n",
        "errors.py": "",
        "transport/__init__.py": "__all__ = []\n",
        "transport/client.py": "import requests\nfrom aomlog.engine import tail\n",
        "engine/__init__.py": "",
        "engine/tail.py": f"import click\nfrom aomlog.transport.client import X\nfrom aomlog.api.family import Page\n"
                          f"from aomlog import errors\ndef pages():\n{long_body}    return 'pass --file'\n",
        "api/__init__.py": "__all__ = []\n",
        "api/family.py": "",
        "output/__init__.py": "__all__ = []\n",
        "output/render.py": "import rich\nfrom aomlog.api.family import Page\nfrom aomlog.api import v1\n",
        "api/v1.py": "",
        "cli/__init__.py": "__all__ = []\nimport click\nfrom aomlog.engine import tail\nHELP = '--file'\n",
    }, root="aomlog")
    edges = all_edges(modules)
    assert sorted(line.split(": ", 1)[1].split(";")[0] for line in upward_imports(modules, edges)) == [
        "aomlog.engine.tail (engine) imports aomlog.transport.client (transport)",
        "aomlog.output.render (output) imports aomlog.api.v1 (api)",
        "aomlog.transport.client (transport) imports aomlog.engine.tail (engine)",
    ]
    # requests in transport/, rich in output/, click in cli/: at home; click in the engine is not.
    assert [line.split(": ", 1)[0] for line in misplaced_libraries(modules, edges)] == ["aomlog/engine/tail.py:1"]
    assert packages_without_all(modules) == ["aomlog/engine/__init__.py"]
    assert long_functions(modules) == [f"aomlog/engine/tail.py:5: pages ({MAX_FUNCTION_LINES + 2} lines)"]
    assert option_names(modules) == ["aomlog/engine/tail.py:66: 'pass --file'"]
    assert find_cycles(graph_of(edges)) == [["aomlog.engine.tail", "aomlog.transport.client", "aomlog.engine.tail"]]
