"""Fail if any notebook in the repository is committed with outputs or execution counts."""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# _build: the website's executed copies of the lessons (make site), outputs by design.
SKIP = {".venv", ".ipynb_checkpoints", "node_modules", "test-artifacts", "_build"}


def dirty_notebooks(root: pathlib.Path = ROOT) -> list[str]:
    problems = []
    for path in sorted(root.rglob("*.ipynb")):
        if SKIP.intersection(path.relative_to(root).parts):
            continue
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        n = sum(1 for c in cells if c.get("outputs") or c.get("execution_count"))
        if n:
            problems.append(f"{path.relative_to(root)}: {n} cells carry outputs or execution counts")
    return problems


if __name__ == "__main__":
    problems = dirty_notebooks()
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print("Strip them: jupyter nbconvert --clear-output --inplace <notebook>", file=sys.stderr)
        sys.exit(1)
    print("notebooks: no outputs committed")
