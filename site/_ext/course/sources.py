"""What the pages are made of, mirrored beside ``site/conf.py`` at every build.

Nothing is copied into the repository. Into git-ignored folders beside conf.py, so that new
lessons and modules appear by themselves:

* ``lessons/``: the whole of the repository's ``lessons/`` (notebooks, ``README.md`` = the
  teacher's guide, ``case_study.md`` when there is one, data folders the notebooks read);
* ``dashboards/``: ``dashboards/README.md`` (what to try with the trial explorer);
* ``api/``: one page per public module of ``edu_survival`` (automodule, numpydoc docstrings).

The lessons are executed by myst-nb (cached by content, so an unchanged lesson is not run
again); :func:`forget_outputs_of_an_older_library` empties that cache when the library changes.
"""

from __future__ import annotations

import hashlib
import importlib
import pathlib
import shutil

SITE = pathlib.Path(__file__).resolve().parents[2]
ROOT = SITE.parent
PACKAGE = ROOT / "edu_survival"
SKIP_PARTS = {".ipynb_checkpoints", "__pycache__", ".DS_Store"}


def _sync(files: dict[pathlib.Path, bytes], folder: pathlib.Path) -> None:
    """Make ``folder`` hold exactly ``files`` (absolute path -> bytes).

    Unchanged files are not rewritten, so Sphinx does not re-read them; stale ones are removed.
    """
    for path, data in files.items():
        if not path.exists() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    if folder.exists():
        for path in sorted(folder.rglob("*"), reverse=True):
            if path.is_file() and path not in files:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


def _mirror(source: pathlib.Path, target: pathlib.Path, names=("**/*",)) -> None:
    files = {}
    for pattern in names:
        for path in source.glob(pattern):
            if path.is_file() and not SKIP_PARTS.intersection(path.relative_to(source).parts):
                files[target / path.relative_to(source)] = path.read_bytes()
    _sync(files, target)


def public_modules() -> list[str]:
    """``edu_survival``'s public modules and subpackages: the brief's order, then any new one."""
    modules = [p.stem for p in PACKAGE.glob("*.py")]
    packages = [p.parent.name for p in PACKAGE.glob("*/__init__.py")]
    found = sorted(name for name in modules + packages if not name.startswith("_"))
    first = ["scenario", "simulate", "analyze", "effects", "effect_sizes", "design", "montecarlo",
             "claims", "reconstruct", "plots", "widgets", "exercises"]  # fmt: skip
    return [m for m in first if m in found] + [m for m in found if m not in first]


def import_object(dotted: str):
    """The object at ``dotted`` (a module, then attributes), or None."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            importlib.import_module(".".join(parts[:i]))  # loads the modules on the way
        except ImportError:
            continue
        # Then attribute by attribute from the top, as Python code reads it: a package's
        # attribute wins over its submodule of the same name (reconstruct.guyot is the function).
        obj = importlib.import_module(parts[0])
        for attr in parts[1:]:
            obj = getattr(obj, attr, None)
            if obj is None:
                return None
        return obj
    return None


def _first_line(module: str) -> str:
    doc = getattr(import_object(f"edu_survival.{module}"), "__doc__", None) or ""
    return doc.strip().split("\n\n")[0].replace("\n", " ")


def _api_pages() -> dict[pathlib.Path, bytes]:
    """api/index.md (the package and a list of its modules) and one page per module.

    The module pages sit beside the index in the sidebar rather than under it: a nested entry
    gets the theme's expand toggle, a <summary> without an accessible name (axe: summary-name).
    """
    target = SITE / "api"
    modules = public_modules()
    index = [
        "# API reference",
        "",
        "What the lessons call, for a teacher writing a new lesson or exercise. Every example",
        "below runs as a test (`pytest --doctest-modules`). All trial data are simulated from",
        "assumed summary figures (times in months; arms `control` and `treatment`).",
        "",
        "```{eval-rst}",
        ".. automodule:: edu_survival",
        "   :no-members:",
        "```",
        "",
        "## Modules",
        "",
        *[f"- [`edu_survival.{name}`]({name}.md): {_first_line(name)}" for name in modules],
        "",
    ]
    pages = {target / "index.md": "\n".join(index).encode()}
    for name in modules:
        # A module: everything it defines (its __all__ may leave out what a teacher needs).
        # A package (exercises/): its __all__, which names what it gathers from its parts.
        package = (PACKAGE / name / "__init__.py").exists()
        page = [
            f"# edu_survival.{name}",
            "",
            "```{eval-rst}",
            f".. automodule:: edu_survival.{name}",
            "   :members:",
            "   :undoc-members:",
            *([] if package else ["   :ignore-module-all:"]),
            "```",
            "",
        ]
        pages[target / f"{name}.md"] = "\n".join(page).encode()
    return pages


def forget_outputs_of_an_older_library(cache: pathlib.Path) -> None:
    """myst-nb's cache is keyed by a notebook's code; the outputs also depend on the library.
    Its sources' hash is kept beside the cache, and a change empties the cache."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    stamp = cache.parent / f"{cache.name}.library-sha256"
    if not stamp.exists() or stamp.read_text() != digest.hexdigest():
        shutil.rmtree(cache, ignore_errors=True)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(digest.hexdigest())


def stage(app, config) -> None:
    """Before Sphinx looks for pages: the mirrored sources, and a cache that fits the library."""
    _mirror(ROOT / "lessons", SITE / "lessons")
    _mirror(ROOT / "dashboards", SITE / "dashboards", names=("*.md",))
    _sync(_api_pages(), SITE / "api")
    forget_outputs_of_an_older_library(pathlib.Path(config.nb_execution_cache_path))
