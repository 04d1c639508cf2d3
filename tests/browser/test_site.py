"""The course website (``make site``) as a reader meets it: served over HTTP, read in Chromium.

The built site (site/_build/html) is served by ``http.server`` on 127.0.0.1. The home page, the
teacher's guide, the dashboard page, the API reference's index and every lesson page are
opened in headless Chromium; on each: every image loads and has alt text, no widget shows as
its Python repr (``Box(children=...)``), every internal link (and its #anchor) resolves, and
axe-core finds no critical or serious accessibility violation. Each lesson page also has a
Binder link that opens JupyterLab at that lesson and a download link that serves the
repository's notebook. Screenshots and the build time go to test-artifacts/.

    make site && pytest -m browser tests/browser/test_site.py

Without a built site the tests skip and say how to build it; with ``CI=true`` they fail, since
.ci/run builds the site before the tests.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import pathlib
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
HTML = ROOT / "site" / "_build" / "html"
LESSONS = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9]*.ipynb"))
GUIDES = sorted(f"lessons/{p.stem}" for p in (ROOT / "lessons").glob("*.md"))  # README, case study
OTHER_PAGES = ["index", *GUIDES, "dashboards/README", "api/index", "architecture"]
REPR = re.compile(r"\b(?:H|V)?Box\(children|\bHBox\(|\bVBox\(")
BINDER = re.compile(r"^https://mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/HEAD\?urlpath=lab/tree/(.+)$")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _site_config():
    """site/conf.py's REPOSITORY and binder_url, read without running Sphinx's build."""
    text = (ROOT / "site" / "conf.py").read_text(encoding="utf-8")
    return re.search(r'REPOSITORY = os\.environ\.get\("ES_REPOSITORY", "([^"]+)"\)', text).group(1)


@pytest.fixture(scope="module")
def site():
    """The built site served on 127.0.0.1 (its base URL); stopped when the module ends."""
    if not (HTML / "index.html").exists():
        message = (
            "the website is not built (no site/_build/html/index.html): run `make site` "
            "(or `python site/build.py` with the site extra installed) first"
        )
        if in_ci():
            pytest.fail(message + " (CI=true: .ci/run builds it before the tests)", pytrace=False)
        pytest.skip(message)
    handler = functools.partial(QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # one line per request would bury the test's output
        pass


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


@functools.cache
def ids_of(url: str) -> frozenset[str]:
    """The element ids of a page of the site (what its #anchors may point at)."""
    status, body = fetch(url)
    return frozenset(re.findall(r'\bid="([^"]+)"', body.decode("utf-8", "replace")))


@pytest.fixture(scope="module")
def reader(browser, site):
    """``read(path)``: a page opened in Chromium and waited for (every image loaded)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(30_000)
    pages = {}

    def read(path: str):
        if path not in pages:
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on(
                "response",
                lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
            )
            response = page.goto(f"{site}/{path}", wait_until="load")
            assert response is not None and response.status == 200, f"{path}: {response}"
            page.wait_for_function(
                "() => [...document.images].every(i => i.complete)", timeout=30_000
            )
            pages[path] = (page, errors)
        return pages[path]

    yield read
    context.close()


def page_paths() -> list[str]:
    return [f"{p}.html" for p in OTHER_PAGES] + [f"lessons/{name}.html" for name in LESSONS]


PAGES = page_paths()


@pytest.mark.browser
def test_every_lesson_has_a_page(site):
    """The build is not older than the lessons: each lessons/NN_*.ipynb became a page."""
    missing = [name for name in LESSONS if not (HTML / "lessons" / f"{name}.html").exists()]
    assert not missing, f"lessons without a page (rebuild with `make site`): {missing}"


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_page_reads_without_a_kernel(reader, path, artifacts):
    page, errors = reader(path)
    report = page.evaluate(
        """() => ({
            broken: [...document.images].filter(i => !(i.naturalWidth > 0))
                .map(i => i.getAttribute('src').slice(0, 80)),
            noAlt: [...document.images].filter(i => !(i.getAttribute('alt') || '').trim()
                    || /\\.(png|svg|jpe?g)$/i.test(i.getAttribute('alt').trim()))
                .map(i => i.outerHTML.slice(0, 120)),
            images: document.images.length,
            text: document.body.innerText,
        })"""
    )
    assert not report["broken"], f"{path}: images that did not load: {report['broken']}"
    assert not report["noAlt"], f"{path}: images without alt text (or a file name as alt): " \
        f"{report['noAlt']}"  # fmt: skip
    shown = REPR.findall(report["text"])
    assert not shown, f"{path}: a widget shown as its Python repr: {shown}"
    # Offline readers: nothing may be fetched from elsewhere, and nothing may fail here.
    assert not errors, f"{path}: console errors: {errors}"
    name = path.removesuffix(".html").replace("/", "-")
    page.screenshot(path=str(artifacts / f"site-{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_internal_links_resolve(reader, site, path):
    page, _ = reader(path)
    hrefs = page.evaluate(
        "() => [...document.querySelectorAll('a[href], link[href], script[src], img[src]')]"
        ".map(a => a.href || a.src)"
    )
    internal = sorted({h for h in hrefs if h.startswith(site)})
    assert internal, f"{path}: no internal links at all"
    broken = []
    for href in internal:
        url, _, anchor = href.partition("#")
        status, _ = fetch(url)
        if status != 200:
            broken.append(f"{href} -> {status}")
        elif anchor and url.endswith(".html") and urllib.parse.unquote(anchor) not in ids_of(url):
            broken.append(f"{href} -> no element with id {anchor!r}")
    assert not broken, f"{path}: internal links that do not resolve:\n" + "\n".join(broken)
    external = {urllib.parse.urlsplit(h).netloc for h in hrefs if not h.startswith(site)}
    loaded = page.evaluate(
        "() => [...document.querySelectorAll('script[src], link[rel=stylesheet], img[src]')]"
        ".map(e => e.src || e.href).filter(u => /^https?:/.test(u))"
    )
    from_elsewhere = [u for u in loaded if not u.startswith(site)]
    assert not from_elsewhere, f"{path}: assets from the network (offline readers lose them): " \
        f"{from_elsewhere}; links to {sorted(external)} are fine"  # fmt: skip


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_accessibility(reader, path, artifacts):
    from axe_playwright_python.sync_playwright import Axe

    page, _ = reader(path)
    violations = Axe().run(page).response["violations"]
    name = path.removesuffix(".html").replace("/", "-")
    (artifacts / f"site-{name}-axe.json").write_text(json.dumps(violations, indent=1))
    serious = [
        f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
        + "; ".join(json.dumps(n["target"]) for n in v["nodes"][:5])
        + ")"
        for v in violations
        if v["impact"] in ("critical", "serious")
    ]
    assert not serious, f"{path}: accessibility violations (test-artifacts/site-{name}-axe.json)" \
        ":\n" + "\n".join(serious)  # fmt: skip


@pytest.mark.browser
@pytest.mark.parametrize("name", LESSONS)
def test_lesson_page_launches_and_downloads(reader, site, name):
    """One click to the live lesson (Binder, JupyterLab at this notebook), one to download it."""
    page, _ = reader(f"lessons/{name}.html")
    binder = page.locator("a.es-launch-binder").first.get_attribute("href")
    match = BINDER.match(binder or "")
    assert match, f"{name}: no Binder link in the launch bar: {binder!r}"
    assert match.group(1) == f"lessons/{name}.ipynb", f"{name}: Binder opens {match.group(1)}"
    repository = _site_config().removeprefix("https://github.com/")
    assert f"/v2/gh/{repository}/" in binder, f"{name}: Binder link not for {repository}"
    download = page.locator("a.es-launch-download").first
    url = urllib.parse.urljoin(page.url, download.get_attribute("href"))
    status, body = fetch(url)
    assert status == 200, f"{name}: download link {url} answered {status}"
    assert body == (ROOT / "lessons" / f"{name}.ipynb").read_bytes(), (
        f"{name}: the download is not the repository's notebook (stale build? `make site`)"
    )
    cells = json.loads(body)["cells"]
    assert not any(c.get("outputs") for c in cells), "the download must be the stripped lesson"


@pytest.mark.browser
def test_widgets_show_their_static_picture(reader, artifacts):
    """Lesson 00's trial explorer: its picture (alt text), summary and a link to the live one."""
    name = next(n for n in LESSONS if n.startswith("00_"))
    page, _ = reader(f"lessons/{name}.html")
    note = page.locator("em", has_text=re.compile(r"picture of the live widget", re.I)).first
    assert note.count(), "no widget's static picture on lesson 00"
    output = note.locator("xpath=ancestor::div[contains(@class, 'output')][1]")
    img = output.locator("img").first
    assert (img.get_attribute("alt") or "").strip(), "the widget's picture has no alt text"
    assert img.evaluate("i => i.naturalWidth") > 0
    assert re.search(r"[Hh]azard ratio|[Mm]edian", output.inner_text()), "no summary text"
    assert note.locator("a.es-launch-binder").count(), "the note does not link to the live widget"
    output.screenshot(path=str(artifacts / "site-lesson00-widget-fallback.png"))
    # The page as a reader sees it there: the section's heading, the code, the picture.
    page.set_viewport_size({"width": 1280, "height": 1700})
    try:
        heading = output.locator("xpath=ancestor::section[1]/*[self::h2 or self::h3][1]")
        heading.evaluate("h => h.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(artifacts / "site-lesson00-widget-page.png"))
    finally:
        page.set_viewport_size({"width": 1280, "height": 1000})


def test_readme_links_use_the_configured_repository():
    """README's Binder badges and site/conf.py name the same repository."""
    repository = _site_config().removeprefix("https://github.com/")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/", readme))
    assert named == {repository}, f"README names {named}, site/conf.py {repository}"


@pytest.mark.browser
def test_build_time_is_reported(site, capsys):
    record = ROOT / "test-artifacts" / "site-build-time.txt"
    if not record.exists():
        pytest.skip("no build time recorded: the site was not built with `make site`")
    line = record.read_text().strip()
    assert re.match(r"site built in \d+ s", line), line
    with capsys.disabled():
        print("\n" + line)
