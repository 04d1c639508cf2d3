"""Sphinx configuration of the course website: ``make site`` builds it into site/_build/html.

Settings only. Sphinx with myst-nb and sphinx-book-theme, all from PyPI; the build fetches
nothing from the network (Binder links are plain links; no intersphinx, no CDN scripts: see
``nb_ipywidgets_js``). What the build does besides Sphinx's own work (mirroring the lessons,
the dashboard's README and one API page per module beside this file; the lesson map; the launch
links; cross-references by Python's names) is the ``course`` extension in ``_ext/course/``.
``site/build.py`` runs the build (``-n -W``) and times it.
"""

from __future__ import annotations

import os
import pathlib
import sys

SITE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(SITE / "_ext"))  # the course extension

# The one place the repository is named: launch links, the theme's buttons and the README's
# badges (tests/browser/test_site.py checks the README against it). A fork sets ES_REPOSITORY.
REPOSITORY = os.environ.get("ES_REPOSITORY", "https://github.com/edu-survival/edu_survival")
BRANCH = "HEAD"
BINDER = "https://mybinder.org"

# --- the course extension (site/_ext/course): launch links and the home page's repository
course_repository = REPOSITORY
course_branch = BRANCH
course_binder = BINDER

# --------------------------------------------------------------------------- Sphinx

project = "Survival analysis you can touch"
author = "edu_survival contributors"
copyright = "the edu_survival contributors"
html_title = "Survival analysis you can touch"

extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "course"]
html_static_path = ["_static"]
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "lessons/data/**"]
# Only these are pages; anything else mirrored (data files, a stray README) is not.
include_patterns = ["index.md", "architecture.md", "lessons/*.ipynb", "lessons/*.md", "dashboards/*.md",
                    "api/*.md"]

# Broken cross-references are errors (with -W): ours must resolve; types from other packages
# (no intersphinx: the build is offline) are named, not linked: _ext/course/xrefs.py sets the
# scope. (No page uses LaTeX math; if one did, Sphinx would load MathJax from a CDN and
# tests/browser/test_site.py would say so.)
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
nb_execution_cache_path = str(SITE / "_build" / ".jupyter_cache")  # emptied when the library changes
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
