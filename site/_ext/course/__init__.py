"""The course website's own Sphinx extension: what ``site/conf.py`` switches on, not settings.

* :mod:`.sources`: at every build, before Sphinx looks for pages, mirror into git-ignored
  folders beside ``conf.py`` what the pages are made of (``lessons/``, ``dashboards/README.md``
  and one API page per public module), and empty myst-nb's cache when the library changed;
* :mod:`.pages`: the home page's lesson map and table of contents, and each lesson page's
  Binder and download links;
* :mod:`.xrefs`: docstrings' cross-references resolved as Python would import the names, and
  the napoleon workaround for properties described in prose.

Its settings (``course_repository``, ``course_branch``, ``course_binder``) are set in conf.py.
"""

from __future__ import annotations

import os
import sys

from . import pages, sources, xrefs


def setup(app):
    # The kernels myst-nb starts and autodoc import this checkout's package.
    sys.path.insert(0, str(sources.ROOT))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(sources.ROOT), *[p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]]
    )
    os.environ.setdefault("MPLBACKEND", "Agg")

    app.add_config_value("course_repository", "", "html", str)
    app.add_config_value("course_branch", "HEAD", "html", str)
    app.add_config_value("course_binder", "https://mybinder.org", "html", str)
    app.connect("config-inited", sources.stage, priority=100)  # before Sphinx finds the pages
    app.connect("source-read", pages.fill_markers)
    app.connect("html-page-context", pages.launch_links)
    app.connect("missing-reference", xrefs.resolve_ours)
    app.connect("warn-missing-reference", xrefs.quiet_outside)
    app.add_post_transform(xrefs.TypesLinkOnlyToUs)
    app.connect("autodoc-process-docstring", xrefs.keep_property_prose, priority=100)
    app.connect("autodoc-process-docstring", xrefs.restore_property_prose, priority=900)
    app.add_css_file("course.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
