"""`make lab` opens JupyterLab with Binder's overrides (no news toast), put in the project's
environment, not the user's home (issue 15). Checked with `make -n` on a stand-in environment,
so nothing is installed or started."""

import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_make_lab_installs_binders_overrides_into_the_environment(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    (venv / ".lab-installed").touch()  # the packages count as installed: no pip in the plan
    plan = subprocess.run(["make", "-n", "lab", f"VENV={venv}"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout
    target = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    lines = plan.splitlines()
    copy = f"cp binder/overrides.json {target}"
    assert copy in lines, plan
    start = next(i for i, line in enumerate(lines) if " lab " in f"{line} " and "jupyter" in line)
    assert lines.index(copy) < start, "the overrides must be in place before JupyterLab starts"
    assert str(pathlib.Path.home()) not in plan.replace(str(tmp_path), "")
    assert "fetchNews" in (ROOT / "binder" / "overrides.json").read_text()
