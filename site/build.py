"""Build the course website into site/_build/html and say how long it took (``make site``).

Warnings are errors (``-W --keep-going``: every problem is listed, then the build fails), with
``-n`` so that a docstring's reference to an object that does not exist fails too (the scope is
set in site/_ext/course/xrefs.py). The time is printed and written to
test-artifacts/site-build-time.txt, which tests/browser/test_site.py reports. The settings are
site/conf.py; what the build mirrors and adds to the pages, the extension in site/_ext/course/.

    python site/build.py            # from the top of the repository
    python site/build.py --clean    # forget the executed lessons and every page first
"""

from __future__ import annotations

import argparse
import pathlib
import shutil
import subprocess
import sys
import time

SITE = pathlib.Path(__file__).resolve().parent
ROOT = SITE.parent
OUT = SITE / "_build" / "html"
ARTIFACTS = ROOT / "test-artifacts"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", action="store_true", help="remove site/_build first")
    args = parser.parse_args(argv)
    if args.clean:
        shutil.rmtree(SITE / "_build", ignore_errors=True)
    shutil.rmtree(OUT, ignore_errors=True)  # no page outlives its source (the cache stays)
    # -E: every page read afresh, so every sidebar and the lesson map follow the lessons and
    # modules there are now (an incremental build leaves other pages' sidebars stale). Lessons
    # are not run again unless their code or the library changed (myst-nb's cache and
    # site/_ext/course/sources.py).
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-W", "--keep-going", "-n", "-q",
           str(SITE), str(OUT)]  # fmt: skip
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, check=False)
    seconds = time.perf_counter() - start
    status = "built" if result.returncode == 0 else "FAILED"
    line = f"site {status} in {seconds:.0f} s: {OUT.relative_to(ROOT)}/index.html"
    print(line)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "site-build-time.txt").write_text(line + "\n")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
