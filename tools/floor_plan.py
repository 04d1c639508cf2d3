"""Print edu_survival's tree with line counts, and its longest functions.

    python tools/floor_plan.py            # the tree, then the 15 longest functions
    python tools/floor_plan.py --top 30   # more functions

The floors and the rules they obey are in docs/ARCHITECTURE.md (held by
tests/test_architecture.py); this prints the sizes a reader sees when opening the rooms.
"""

from __future__ import annotations

import argparse
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "edu_survival"
SHOWN = (".py", ".js", ".css")


def _lines(path: pathlib.Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _files(folder: pathlib.Path) -> list[pathlib.Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in SHOWN and "__pycache__" not in p.parts)


def tree(folder: pathlib.Path = PACKAGE, indent: str = "") -> list[str]:
    """One line per file and folder; a folder shows the sum of its files."""
    out = []
    children = sorted(folder.iterdir(), key=lambda p: (p.is_dir(), p.name))
    for child in children:
        if child.is_dir() and child.name != "__pycache__" and _files(child):
            total = sum(_lines(p) for p in _files(child))
            out.append(f"{indent}{child.name}/{'':<{max(1, 34 - len(indent) - len(child.name))}}{total:>6}")
            out.extend(tree(child, indent + "    "))
        elif child.is_file() and child.suffix in SHOWN:
            out.append(f"{indent}{child.name:<{35 - len(indent)}}{_lines(child):>6}")
    return out


def _walk(node, prefix: str):
    """(function node, qualified name) of every function below ``node``, nested ones too."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield child, f"{prefix}{child.name}"
            yield from _walk(child, f"{prefix}{child.name}.")
        elif isinstance(child, ast.ClassDef):
            yield from _walk(child, f"{prefix}{child.name}.")
        else:
            yield from _walk(child, prefix)


def functions() -> list[tuple[int, str]]:
    """(lines, "path:line name") of every function and method, from def to its last line."""
    found = []
    for path in _files(PACKAGE):
        if path.suffix == ".py":
            for node, name in _walk(ast.parse(path.read_text(encoding="utf-8")), ""):
                found.append((node.end_lineno - node.lineno + 1,
                              f"{path.relative_to(ROOT)}:{node.lineno} {name}"))
    return sorted(found, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=15, help="how many of the longest functions")
    args = parser.parse_args()
    total = sum(_lines(p) for p in _files(PACKAGE))
    print(f"edu_survival/{'':<22}{total:>6}  (lines; .py, .js and .css files)")
    print("\n".join(tree(PACKAGE, "    ")))
    print(f"\nThe {args.top} longest functions (lines, from def to the last line):")
    for n, where in functions()[: args.top]:
        print(f"{n:>5}  {where}")


if __name__ == "__main__":
    main()
