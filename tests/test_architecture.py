"""The floor plan holds: docs/ARCHITECTURE.md against the code, read from the source with ast.

(a) No module imports one on a floor above it, nor a room of its own floor but its own;
    the statistics never import plots or widgets, and plots never import widgets.
(b) Every module of edu_survival is on the page, and every module on the page exists.
(c) The size limits of issue 22: no function over 80 lines, no method of a widget class over
    60, no module of widgets/, plots/ or reconstruct/ over 500 lines, analyze.py under 600.

Imports are read from the source (ast), so a lazy import inside a function counts as much as
one at the top. Each failure names the module (and function) with its line count.
"""

from __future__ import annotations

import ast
import functools
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "edu_survival"
PAGE = ROOT / "docs" / "ARCHITECTURE.md"

FUNCTION_LIMIT = 80
WIDGET_METHOD_LIMIT = 60
PACKAGE_MODULE_LIMIT = 500  # every module of widgets/, plots/, reconstruct/
MODULE_LIMITS = {"edu_survival.analyze": 600}

# The one sanctioned way up: a package's module-level __getattr__ (PEP 562) that forwards names
# which moved up out of it, so that old import paths keep working. Each forward is named here
# (importer -> imported); any other import inside a __getattr__ obeys the rules like the rest.
FORWARDS = {
    ("edu_survival.reconstruct", "edu_survival.plots.reconstruction"),
    ("edu_survival.reconstruct", "edu_survival.teaching.lesson09"),
}

# Rooms that are not statistics (the rest are): the pictures, the controls, the lessons' own
# helpers and exercises, and the package's front door. Held here, not read from the page, so
# that editing the page cannot loosen the rule.
NOT_STATISTICS = ("plots", "widgets", "teaching", "exercises")


# ----- reading the source -------------------------------------------------------------------
def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _room(module: str) -> str:
    """The top-level module or package a module belongs to (``analysis`` for
    ``edu_survival.analysis.words``); the package's own ``__init__`` is the room ``edu_survival``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "edu_survival"


def _targets(module: str, node: ast.AST) -> set[str]:
    """The modules of edu_survival that one import statement loads by name."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name.split(".")[0] == "edu_survival"}
    if not isinstance(node, ast.ImportFrom):
        return set()
    if node.level:
        package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
        base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    if source.split(".")[0] != "edu_survival":
        return set()
    # ``from .. import plots`` loads the module edu_survival.plots; ``from ..analyze import
    # analyze`` loads edu_survival.analyze.
    return {f"{source}.{a.name}" if f"{source}.{a.name}" in MODULES else source for a in node.names}


@functools.cache
def _tree(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text(encoding="utf-8"))


@functools.cache
def _imports(module: str) -> tuple[tuple[str, int, bool], ...]:
    """(imported module, line, inside a module-level ``__getattr__``) for every import."""
    tree = _tree(module)
    forwarding = {
        id(node)
        for top in tree.body
        if isinstance(top, ast.FunctionDef) and top.name == "__getattr__"
        for node in ast.walk(top)
    }
    found = []
    for node in ast.walk(tree):
        for target in _targets(module, node):
            if target != module:
                found.append((target, node.lineno, id(node) in forwarding))
    return tuple(found)


def _ruled_imports(module: str) -> list[tuple[str, int]]:
    """The imports the rules apply to: all but the named forwards."""
    return [(t, line) for t, line, fwd in _imports(module) if not (fwd and (module, t) in FORWARDS)]


# ----- reading the page -----------------------------------------------------------------------
def _page_rows() -> list[tuple[int, list[str], int]]:
    """(floor, modules, line of the page) of each row of the table under "## Every module"."""
    text = PAGE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(text) if line.strip() == "## Every module")
    rows = []
    for i, line in enumerate(text[start + 1 :], start + 2):
        if line.startswith("## "):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) < 3 or not cells[0].isdigit():
            continue  # not a row, the header or its rule
        names = re.findall(r"`([A-Za-z0-9_.]+)`", cells[1])
        rows.append((int(cells[0]), [n if n == "edu_survival" else f"edu_survival.{n}" for n in names], i))
    return rows


def _floors() -> dict[str, int]:
    floors = {}
    for floor, names, _line in _page_rows():
        for name in names:
            floors[name] = floor
    return floors


# ----- (a) the import rule ------------------------------------------------------------------
def test_the_page_gives_one_floor_per_room():
    rooms: dict[str, set[int]] = {}
    for module, floor in _floors().items():
        rooms.setdefault(_room(module), set()).add(floor)
    split = {room: sorted(f) for room, f in rooms.items() if len(f) > 1}
    assert not split, f"docs/ARCHITECTURE.md puts one room on several floors: {split}"


def test_no_module_imports_one_above_it():
    floors = _floors()
    wrong = []
    for module in MODULES:
        if module not in floors:
            continue  # test_every_module_is_on_the_page says so
        for target, line in _ruled_imports(module):
            here, there = floors[module], floors.get(target)
            if there is None:
                continue  # test_every_module_is_on_the_page says so
            if there > here:
                wrong.append(f"{MODULES[module].relative_to(ROOT)}:{line} ({module}, floor {here}) "
                             f"imports {target} from floor {there}, above it")
            elif there == here and _room(target) != _room(module):
                wrong.append(f"{MODULES[module].relative_to(ROOT)}:{line} ({module}, floor {here}) "
                             f"imports {target}, another room of its own floor")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    graph = {m: {t for t, _ in _ruled_imports(m) if t in MODULES} for m in MODULES}
    state: dict[str, int] = {}  # 1: on the path, 2: done
    cycles = []

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*path[path.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize(
    ("importers", "forbidden"),
    [
        (lambda room: room not in (*NOT_STATISTICS, "edu_survival"), ("plots", "widgets")),
        (lambda room: room == "plots", ("widgets",)),
    ],
    ids=["statistics never import plots or widgets", "plots never import widgets"],
)
def test_the_pictures_stay_above_the_statistics(importers, forbidden):
    wrong = [
        f"{MODULES[module].relative_to(ROOT)}:{line} ({module}) imports {target}"
        for module in MODULES
        if importers(_room(module))
        for target, line in _ruled_imports(module)
        if _room(target) in forbidden
    ]
    assert not wrong, "\n".join(wrong)


def test_the_forwards_are_still_there():
    # An allowance that nothing uses any more goes, so that it cannot hide a new import.
    used = {(m, t) for m in MODULES for t, _line, fwd in _imports(m) if fwd}
    assert used >= FORWARDS, f"forwards no longer in the code, drop them: {sorted(FORWARDS - used)}"


# ----- (b) the page matches the code ------------------------------------------------------------
def test_every_module_is_on_the_page():
    on_page = _floors()
    missing = sorted(set(MODULES) - set(on_page))
    assert not missing, "modules missing from docs/ARCHITECTURE.md's table:\n" + "\n".join(
        f"{m} ({MODULES[m].relative_to(ROOT)}, {_lines(MODULES[m])} lines)" for m in missing
    )


def test_every_module_on_the_page_exists():
    gone = [f"{name} (docs/ARCHITECTURE.md line {line}, floor {floor})"
            for floor, names, line in _page_rows() for name in names if name not in MODULES]
    assert not gone, "the page names modules the code does not have:\n" + "\n".join(gone)


def test_each_module_is_on_the_page_once():
    names = [name for _floor, row, _line in _page_rows() for name in row]
    twice = sorted({n for n in names if names.count(n) > 1})
    assert not twice, f"modules on the page more than once: {twice}"


# ----- (c) sizes ----------------------------------------------------------------------------------
def _lines(path: pathlib.Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _functions(module: str):
    """(qualified name, first line, length in lines, class it is a method of) of every function."""
    tree = _tree(module)

    def walk(node, prefix, owner):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield (f"{prefix}{child.name}", child.lineno,
                       child.end_lineno - child.lineno + 1, owner)
                yield from walk(child, f"{prefix}{child.name}.", None)
            elif isinstance(child, ast.ClassDef):
                yield from walk(child, f"{prefix}{child.name}.", child.name)
            else:
                yield from walk(child, prefix, owner)

    yield from walk(tree, "", None)


def test_no_function_is_longer_than_a_screen():
    long = [
        f"{MODULES[m].relative_to(ROOT)}:{line} {m}.{name}() is {n} lines (limit {FUNCTION_LIMIT})"
        for m in MODULES
        for name, line, n, _owner in _functions(m)
        if n > FUNCTION_LIMIT
    ]
    assert not long, "\n".join(long)


def test_no_widget_method_is_longer_than_60_lines():
    long = [
        f"{MODULES[m].relative_to(ROOT)}:{line} {m}.{name}() is {n} lines "
        f"(limit {WIDGET_METHOD_LIMIT} for a widget class's method)"
        for m in MODULES
        if _room(m) == "widgets"
        for name, line, n, owner in _functions(m)
        if owner is not None and n > WIDGET_METHOD_LIMIT
    ]
    assert not long, "\n".join(long)


def test_modules_stay_small():
    big = []
    for m, path in MODULES.items():
        limit = MODULE_LIMITS.get(m)
        if limit is None and _room(m) in ("widgets", "plots", "reconstruct"):
            limit = PACKAGE_MODULE_LIMIT
        if limit is not None and _lines(path) > limit:
            big.append(f"{path.relative_to(ROOT)} ({m}) is {_lines(path)} lines (limit {limit})")
    assert not big, "\n".join(big)
