"""Sphinx configuration of the course website: ``make site`` builds it into site/_build/html.

Sphinx with myst-nb and sphinx-book-theme, all from PyPI; the build fetches nothing from the
network (Binder links are plain links; no intersphinx, no CDN scripts: see ``nb_ipywidgets_js``).

Nothing is copied into the repository. At every build this file mirrors, into git-ignored
folders beside it, what the pages are made of, so new lessons and modules appear by themselves:

* ``lessons/``: the whole of the repository's ``lessons/`` (notebooks, ``README.md`` = the
  teacher's guide, ``case_study.md`` when there is one, data folders the notebooks read);
* ``dashboards/``: ``dashboards/README.md`` (what to try with the trial explorer);
* ``api/``: one page per public module of ``edu_survival`` (automodule, numpydoc docstrings).

The lessons are executed by myst-nb (cached in ``_build/.jupyter_cache`` by content, so an
unchanged lesson is not run again) with this checkout first on the kernels' ``PYTHONPATH``.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import pathlib
import re
import shutil
import sys
from urllib.parse import quote

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.transforms.post_transforms import SphinxPostTransform

SITE = pathlib.Path(__file__).resolve().parent
ROOT = SITE.parent
PACKAGE = ROOT / "edu_survival"

# The one place the repository is named: launch links, the theme's buttons and the README's
# badges (tests/browser/test_site.py checks the README against it). A fork sets ES_REPOSITORY.
REPOSITORY = os.environ.get("ES_REPOSITORY", "https://github.com/edu-survival/edu_survival")
BRANCH = "HEAD"
BINDER = "https://mybinder.org"


def binder_url(path: str) -> str:
    """Binder, JupyterLab open at ``path`` (relative to the repository's top)."""
    owner_repo = REPOSITORY.removeprefix("https://github.com/").strip("/")
    return f"{BINDER}/v2/gh/{owner_repo}/{BRANCH}?urlpath=lab/tree/{quote(path)}"


# The kernels myst-nb starts and autodoc import this checkout's package.
sys.path.insert(0, str(ROOT))
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT), *[p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]]
)
os.environ.setdefault("MPLBACKEND", "Agg")

# --------------------------------------------------------------------------- mirrored sources

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


def _import(dotted: str):
    """The object at ``dotted`` (a module, then attributes), or None."""
    import importlib

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
    doc = getattr(_import(f"edu_survival.{module}"), "__doc__", None) or ""
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


def stage() -> None:
    _mirror(ROOT / "lessons", SITE / "lessons")
    _mirror(ROOT / "dashboards", SITE / "dashboards", names=("*.md",))
    _sync(_api_pages(), SITE / "api")


CACHE = SITE / "_build" / ".jupyter_cache"


def forget_outputs_of_an_older_library() -> None:
    """myst-nb's cache is keyed by a notebook's code; the outputs also depend on the library.
    Its sources' hash is kept beside the cache, and a change empties the cache."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode() + path.read_bytes())
    stamp = CACHE.parent / ".jupyter_cache.library-sha256"
    if not stamp.exists() or stamp.read_text() != digest.hexdigest():
        shutil.rmtree(CACHE, ignore_errors=True)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(digest.hexdigest())


stage()
forget_outputs_of_an_older_library()

# --------------------------------------------------------------------------- the lesson map


def _text(cell) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def lessons() -> list[dict]:
    """Each numbered lesson: name, title, minutes (from the notebook), what it teaches."""
    teaches = {}
    readme = ROOT / "lessons" / "README.md"
    if readme.exists():  # the map in the teacher's guide: | `00_name` | what it teaches | ...
        for name, what in re.findall(r"^\|\s*`(\d\d_\w+)`\s*\|([^|]*)\|", readme.read_text(), re.M):
            teaches[name] = what.strip()
    found = []
    for path in sorted((ROOT / "lessons").glob("[0-9]*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join(_text(c) for c in cells if c.get("cell_type") == "markdown")
        title = re.search(r"^# (.+)$", text, re.M)
        minutes = re.search(r"about (\d+) minutes", text)
        found.append({
            "name": path.stem,
            "title": title.group(1).strip() if title else path.stem,
            "minutes": int(minutes.group(1)) if minutes else None,
            "teaches": teaches.get(path.stem, ""),
        })  # fmt: skip
    return found


def lesson_map() -> str:
    rows = ["| lesson | what it teaches | time |", "| --- | --- | --- |"]
    total = 0
    for lesson in lessons():
        minutes = lesson["minutes"]
        total += minutes or 0
        time = f"{minutes} min" if minutes else ""
        rows.append(f"| [{lesson['title']}](lessons/{lesson['name']}.ipynb) | "
                    f"{lesson['teaches']} | {time} |")  # fmt: skip
    hours, rest = divmod(total, 60)
    rows += ["", f"All {len(lessons())} lessons take about {hours} h {rest:02d} min."]
    return "\n".join(rows)


def contents() -> str:
    """The site's table of contents (hidden on the home page, shown in the sidebar)."""
    teachers = ["Teacher's guide <lessons/README>"]
    if (ROOT / "lessons" / "case_study.md").exists():
        teachers.append("lessons/case_study")
    others = sorted((ROOT / "lessons").glob("*.md"))
    teachers += [f"lessons/{p.stem}" for p in others if p.stem not in ("README", "case_study")]
    teachers.append("The trial explorer in class <dashboards/README>")
    parts = [
        ("Lessons", [f"lessons/{lesson['name']}" for lesson in lessons()]),
        ("For teachers", teachers),
        ("Reference", ["api/index", *[f"api/{name}" for name in public_modules()]]),
    ]
    out = []
    for caption, entries in parts:
        out += ["```{toctree}", ":hidden:", f":caption: {caption}", ":maxdepth: 1", "",
                *entries, "```", ""]  # fmt: skip
    return "\n".join(out)


MARKERS = {
    "<!-- lesson-map -->": lesson_map,
    "<!-- contents -->": contents,
    "%REPOSITORY%": lambda: REPOSITORY,
}


def fill_markers(app, docname, source) -> None:
    if docname == "index":
        for marker, make in MARKERS.items():
            source[0] = source[0].replace(marker, make())


# --------------------------------------------------------------------------- launch links

LESSON_PAGE = re.compile(r"^lessons/(\d\d_\w+)$")


def launch_links(app, pagename, templatename, context, doctree) -> None:
    """Under each lesson's title: run it on Binder, or download the notebook."""
    match = LESSON_PAGE.match(pagename)
    if not match or "body" not in context:
        return
    name = match.group(1)
    download = context["pathto"](f"_sources/lessons/{name}.ipynb", 1)
    bar = (
        '<p class="es-launch">'
        f'<a class="es-launch-binder" href="{binder_url(f"lessons/{name}.ipynb")}">'
        "Run this lesson on Binder</a> (JupyterLab in your browser, nothing to install; the "
        "first start can take a few minutes) · "
        f'<a class="es-launch-download" href="{download}" download="{name}.ipynb">'
        "Download the notebook</a> (it runs in the <code>lessons/</code> folder of a copy of "
        f'the <a href="{REPOSITORY}">repository</a>, with <code>make lab</code>). The figures '
        "and widgets below are pictures of what the lesson shows when it runs; on Binder they "
        "move.</p>"
    )
    body = context["body"]
    # Each widget's static picture ends with the library's note: make "on Binder" a link there.
    note = html.escape(getattr(_import("edu_survival.widgets"), "SNAPSHOT_NOTE", "") or "")
    if note:
        link = (f' <a class="es-launch-binder" href="{binder_url(f"lessons/{name}.ipynb")}">'
                "Open this lesson live on Binder.</a>")  # fmt: skip
        body = body.replace(note, note + link)
    end = body.find("</h1>")
    context["body"] = body[: end + 5] + bar + body[end + 5 :] if end >= 0 else bar + body


# --------------------------------------------------------------------------- cross-references


def _canonical_names(target: str, module: str | None) -> list[str]:
    """Where the object a docstring names is documented: its defining module's page.

    Docstrings name objects as Python code would: ``edu_survival.power`` (a re-export),
    ``LAPATINIB`` inside ``widgets`` (an import), ``Scenario.scale``.
    """
    target = target.lstrip("~.")
    tried = [f"{module}.{target}"] if module else []
    tried += [f"edu_survival.{target}", target]
    names = []
    for dotted in tried:
        obj = _import(dotted)
        if obj is None:
            continue
        obj = getattr(obj, "fget", obj)  # a property: its getter knows where it lives
        qual, mod = getattr(obj, "__qualname__", None), getattr(obj, "__module__", None)
        if qual and mod and mod.startswith("edu_survival"):
            names.append(f"{mod}.{qual}")
        last = dotted.rsplit(".", 1)[-1]  # data (LAPATINIB): every module holding it
        for name in public_modules():
            if getattr(_import(f"edu_survival.{name}"), last, None) is obj:
                names.append(f"edu_survival.{name}.{last}")
    return names


def resolve_ours(app, env, node, contnode):
    """Resolve a reference to this package's objects by what Python would import."""
    if node.get("refdomain") != "py":
        return None
    domain = env.get_domain("py")
    for name in _canonical_names(node["reftarget"], node.get("py:module")):
        if name in domain.objects:
            return domain.resolve_xref(env, node["refdoc"], app.builder, "obj", name, node,
                                       contnode)  # fmt: skip
    return None


def _exists_elsewhere(target: str, module: str | None) -> bool:
    """Whether ``target`` names real code that has no page here (another package's, a builtin,
    or one of ours that the reference does not document): shown as text, not a broken link."""
    target = target.lstrip("~.")
    candidates = [f"{module}.{target}"] if module else []
    candidates += [target, f"builtins.{target}"]
    return any(_import(c) is not None for c in candidates)


class TypesLinkOnlyToUs(SphinxPostTransform):
    """A parameter's type is prose (``ndarray, shape (n_sims, n)``, ``{"logrank", "cox"}``):
    link only the words that name one of our documented objects, exactly; the rest is text.
    (Sphinx would otherwise fuzzy-match ``n`` to some attribute called ``n``.)"""

    default_priority = 5  # before Sphinx resolves references (10)

    def run(self, **kwargs):
        domain = self.env.get_domain("py")
        for node in list(self.document.findall(pending_xref)):
            target = node.get("reftarget", "")
            if node.get("refdomain") != "py" or not node.get("refspecific") or target[:1] == ".":
                continue  # written with a role: resolved (or reported) as usual
            ours = [
                n for n in _canonical_names(target, node.get("py:module")) if n in domain.objects
            ]
            if ours:
                node["reftarget"], node["refspecific"] = ours[0], False
            else:
                node.replace_self(node.children or [nodes.Text(target)])


def quiet_outside(app, domain, node) -> bool:
    """References written with a role must name something real: ours (linked) or another
    package's (text: the build is offline, so no intersphinx). A name that exists nowhere
    (a typo, a removed function) stays a warning, so an error under -W."""
    if domain is None or domain.name != "py":
        return False
    return _exists_elsewhere(node.get("reftarget", ""), node.get("py:module"))


# Napoleon reads "Exact number of patients per arm: ..." in a property's docstring as a type
# ("Exact number of patients per arm") and a description. Our properties say what they are in
# prose, so a one-paragraph property docstring is kept as written.
_PROPERTY_PROSE: dict[str, list[str]] = {}


def keep_property_prose(app, what, name, obj, options, lines) -> None:
    if (
        what in ("property", "attribute")
        and lines
        and not any(set(x.strip()) == {"-"} for x in lines)
    ):
        _PROPERTY_PROSE[name] = list(lines)


def restore_property_prose(app, what, name, obj, options, lines) -> None:
    if name in _PROPERTY_PROSE:
        lines[:] = _PROPERTY_PROSE.pop(name)


def setup(app):
    app.connect("source-read", fill_markers)
    app.connect("html-page-context", launch_links)
    app.connect("missing-reference", resolve_ours)
    app.connect("warn-missing-reference", quiet_outside)
    app.add_post_transform(TypesLinkOnlyToUs)
    app.connect("autodoc-process-docstring", keep_property_prose, priority=100)
    app.connect("autodoc-process-docstring", restore_property_prose, priority=900)
    app.add_css_file("course.css")


# --------------------------------------------------------------------------- Sphinx

project = "Survival analysis you can touch"
author = "edu_survival contributors"
copyright = "the edu_survival contributors"
html_title = "Survival analysis you can touch"

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
html_static_path = ["_static"]
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "lessons/data/**"]
# Only these are pages; anything else mirrored (data files, a stray README) is not.
include_patterns = ["index.md", "lessons/*.ipynb", "lessons/*.md", "dashboards/*.md", "api/*.md"]

# Broken cross-references are errors (with -W): ours must resolve; types from other packages
# (no intersphinx: the build is offline) are named, not linked. resolve_ours(),
# TypesLinkOnlyToUs and quiet_outside() above set the scope. (No page uses LaTeX math; if one
# did, Sphinx would load MathJax from a CDN and tests/browser/test_site.py would say so.)
nitpicky = True

# --- autodoc + napoleon (numpydoc sections); doctest examples render as code
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented"
autodoc_preserve_defaults = True
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
napoleon_use_ivar = True

# --- myst-nb: execute the lessons, reuse unchanged ones
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_cache_path = str(CACHE)
nb_execution_timeout = 120  # seconds per cell; the slowest (1,000 simulated trials) takes seconds
nb_execution_raise_on_error = True  # a lesson that fails is a failed build
nb_execution_show_tb = True
nb_merge_streams = True
# A static page has no kernel: show each widget's text/html fallback (its current picture, alt
# text and summary) instead of the widget view, whose live JavaScript comes from a CDN.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_ipywidgets_js = {}  # no require.js / html-manager from a CDN

# --- the theme (sphinx-book-theme, assets bundled in the wheel)
html_theme = "sphinx_book_theme"
html_sourcelink_suffix = ""  # _sources/lessons/NAME.ipynb is the notebook itself
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": BRANCH,
    "path_to_docs": "",  # lessons/NAME.ipynb here is lessons/NAME.ipynb in the repository
    "use_repository_button": True,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "launch_buttons": {"binderhub_url": BINDER, "notebook_interface": "jupyterlab"},
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
}
html_favicon = "_static/favicon.svg"  # else browsers ask for /favicon.ico and log a 404
# Light unless the reader switches: the widgets' pictures and summaries are drawn for white.
html_context = {"default_mode": "light"}
