"""A Binder build without Docker: are binder/requirements.txt's pins enough to run every lesson?

Does what repo2docker does with binder/ (see binder/README.md), minus the container:

1. a fresh virtual environment (with the Python of binder/runtime.txt when it is on PATH),
2. ``pip install -r binder/requirements.txt`` and nothing else,
3. ``pip install --no-deps .`` (binder/postBuild's step),
4. executes every ``lessons/*.ipynb`` and ``dashboards/*.ipynb`` top to bottom with nbclient,
   in that environment's own kernel, each in its own folder.

A dependency the lessons import but the pins lack fails here, not on Binder in front of a class.

    python tools/binder_check.py                 # temporary venv, removed afterwards
    python tools/binder_check.py --venv .binder-venv   # kept and reused while the pins are unchanged

Exit status 0 when everything ran, 1 when a notebook failed or the environment did not build.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
NOTEBOOK_GLOBS = ("lessons/*.ipynb", "dashboards/*.ipynb")

# Runs inside the fresh environment, so that nbclient, nbformat and the kernel are the pinned ones.
RUNNER = r"""
import json, pathlib, sys, time
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

failed = 0
for name in sys.argv[2:]:
    path = pathlib.Path(name)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=int(sys.argv[1]), kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as exc:
        failed += 1
        print(f"FAIL {path} ({time.perf_counter() - start:.1f} s)\n{exc}", flush=True)
        continue
    except Exception as exc:  # a dead kernel, a timeout: still name the notebook
        failed += 1
        print(f"FAIL {path}: {type(exc).__name__}: {exc}", flush=True)
        continue
    print(f"ok   {path} ({time.perf_counter() - start:.1f} s)", flush=True)
sys.exit(1 if failed else 0)
"""


def notebooks(root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    found = []
    for pattern in NOTEBOOK_GLOBS:
        found += sorted(p for p in root.glob(pattern) if ".ipynb_checkpoints" not in p.parts)
    return found


def find_python() -> str:
    """The interpreter binder/runtime.txt names, if it is installed; else this one, with a note."""
    wanted = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", wanted)
    if match:
        exe = shutil.which(f"python{match.group(1)}")
        if exe:
            return exe
        print(f"note: {wanted} not on PATH; building with Python {sys.version.split()[0]}")
    return sys.executable


def run(cmd: list[str], **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def build_env(venv: pathlib.Path, python: str) -> pathlib.Path:
    """Create (or reuse, when its pins are unchanged) the environment; return its python."""
    requirements = BINDER / "requirements.txt"
    stamp = venv / ".binder-requirements.sha256"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()
    py = venv / "bin" / "python"
    if py.exists() and stamp.exists() and stamp.read_text() == digest:
        print(f"reusing {venv} (pins unchanged)")
    else:
        if venv.exists():
            shutil.rmtree(venv)
        run([python, "-m", "venv", str(venv)])
        run([str(py), "-m", "pip", "install", "--quiet", "-r", str(requirements)])
        stamp.write_text(digest)
    # binder/postBuild's step: the package from this checkout, every dependency from the pins.
    run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", str(ROOT)])
    run([str(py), "-m", "pip", "check"])
    return py


def isolated_env(venv: pathlib.Path, scratch: pathlib.Path) -> dict[str, str]:
    """The fresh environment first on PATH, and no user-level Jupyter or IPython config."""
    env = dict(os.environ)
    for key in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH"):
        env.pop(key, None)
    env.update(
        PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(venv),
        JUPYTER_CONFIG_DIR=str(scratch / "config"),
        JUPYTER_DATA_DIR=str(scratch / "data"),
        JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
        IPYTHONDIR=str(scratch / "ipython"),
        MPLCONFIGDIR=str(scratch / "matplotlib"),
        PYTHONNOUSERSITE="1",
    )
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=pathlib.Path, help="keep the environment here and reuse it")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (default 600)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="binder-check-") as tmp:
        scratch = pathlib.Path(tmp)
        venv = args.venv.resolve() if args.venv else scratch / "venv"
        start = time.perf_counter()
        try:
            py = build_env(venv, find_python())
        except subprocess.CalledProcessError as exc:
            print(f"binder check: the environment did not build from the pins alone: {exc}")
            return 1
        print(f"environment ready in {time.perf_counter() - start:.0f} s")
        env = isolated_env(venv, scratch)
        # The package and the interface import from the pins alone (also when there are no
        # notebooks yet).
        run(
            [str(py), "-c", "import edu_survival, ipywidgets, ipympl, voila, jupyterlab"],
            env=env,
            cwd=scratch,
        )
        found = notebooks()
        if not found:
            print("binder check: no lessons/*.ipynb or dashboards/*.ipynb yet; environment ok")
            return 0
        rel = [str(p.relative_to(ROOT)) for p in found]
        result = subprocess.run(
            [str(py), "-c", RUNNER, str(args.timeout), *rel], env=env, cwd=ROOT, check=False
        )
        status = "passed" if result.returncode == 0 else "FAILED"
        print(f"binder check {status}: {len(found)} notebooks, {time.perf_counter() - start:.0f} s")
        return 0 if result.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
