"""What the pages add to their sources: the home page's lesson map and table of contents, and
under each lesson's title its Binder and download links."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

from .sources import ROOT, import_object, public_modules

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
        ("Reference", ["api/index", "The library's floor plan <architecture>",
                       *[f"api/{name}" for name in public_modules()]]),
    ]
    out = []
    for caption, entries in parts:
        out += ["```{toctree}", ":hidden:", f":caption: {caption}", ":maxdepth: 1", "",
                *entries, "```", ""]  # fmt: skip
    return "\n".join(out)


def fill_markers(app, docname, source) -> None:
    """The home page's markers: the lesson map, the table of contents, the repository."""
    markers = {
        "<!-- lesson-map -->": lesson_map,
        "<!-- contents -->": contents,
        "%REPOSITORY%": lambda: app.config.course_repository,
    }
    if docname == "index":
        for marker, make in markers.items():
            source[0] = source[0].replace(marker, make())


# --------------------------------------------------------------------------- launch links

LESSON_PAGE = re.compile(r"^lessons/(\d\d_\w+)$")


def binder_url(config, path: str) -> str:
    """Binder, JupyterLab open at ``path`` (relative to the repository's top)."""
    owner_repo = config.course_repository.removeprefix("https://github.com/").strip("/")
    return f"{config.course_binder}/v2/gh/{owner_repo}/{config.course_branch}?urlpath=lab/tree/{quote(path)}"


def launch_links(app, pagename, templatename, context, doctree) -> None:
    """Under each lesson's title: run it on Binder, or download the notebook."""
    match = LESSON_PAGE.match(pagename)
    if not match or "body" not in context:
        return
    name = match.group(1)
    binder = binder_url(app.config, f"lessons/{name}.ipynb")
    download = context["pathto"](f"_sources/lessons/{name}.ipynb", 1)
    bar = (
        '<p class="es-launch">'
        f'<a class="es-launch-binder" href="{binder}">'
        "Run this lesson on Binder</a> (JupyterLab in your browser, nothing to install; the "
        "first start can take a few minutes) · "
        f'<a class="es-launch-download" href="{download}" download="{name}.ipynb">'
        "Download the notebook</a> (it runs in the <code>lessons/</code> folder of a copy of "
        f'the <a href="{app.config.course_repository}">repository</a>, with <code>make lab</code>). The figures '
        "and widgets below are pictures of what the lesson shows when it runs; on Binder they "
        "move.</p>"
    )
    body = context["body"]
    # Each widget's static picture ends with the library's note: make "on Binder" a link there.
    note = html.escape(getattr(import_object("edu_survival.widgets"), "SNAPSHOT_NOTE", "") or "")
    if note:
        link = (f' <a class="es-launch-binder" href="{binder}">'
                "Open this lesson live on Binder.</a>")  # fmt: skip
        body = body.replace(note, note + link)
    end = body.find("</h1>")
    context["body"] = body[: end + 5] + bar + body[end + 5 :] if end >= 0 else bar + body
