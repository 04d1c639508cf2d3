"""Keep binder/ and pyproject.toml from drifting apart.

Binder installs ``binder/requirements.txt`` (pins only) and then the package with
``pip install --no-deps .`` (``binder/postBuild``), so a runtime dependency that is missing from
the pins, or pinned outside the range ``pyproject.toml`` asks for, breaks only on Binder, next
year, in front of a class. These tests catch it here instead.
"""

from __future__ import annotations

import json
import pathlib
import re

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"

# The learner's interface: pinned together, or widgets render as text on Binder.
INTERFACE = ("jupyterlab", "ipywidgets", "ipympl", "voila")
# Where pyproject.toml asks for them (runtime dependencies or extras).
EXTRAS_FOR_BINDER = ("lab", "dashboard")
# One exact pin per line, as pip-compile writes it (an annotation may follow).
PIN_LINE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;#]+)\s*(#.*)?$")


def _pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def _runtime_python() -> str:
    text = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", text)
    assert match, f"binder/runtime.txt must read like 'python-3.11'; got {text!r}"
    return match.group(1)


def _pins() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    bad = []
    for number, raw in enumerate(
        (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines(), 1
    ):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = PIN_LINE.match(line)
        if not match:
            bad.append(f"line {number}: {raw!r}")
            continue
        pins[canonicalize_name(match["name"])] = Version(match["version"])
    assert not bad, (
        "binder/requirements.txt must hold exact pins only (name==version), no local paths, "
        "URLs, -e or options:\n" + "\n".join(bad)
    )
    return pins


def _marker_env() -> dict[str, str]:
    version = _runtime_python()
    return {
        "python_version": version,
        "python_full_version": version + ".0",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "platform_machine": "x86_64",
        "extra": "",
    }


def _requirements(extras: tuple[str, ...] = ()) -> list[Requirement]:
    project = _pyproject()["project"]
    lines = list(project.get("dependencies", []))
    for extra in extras:
        lines += project.get("optional-dependencies", {}).get(extra, [])
    env = _marker_env()
    reqs = [Requirement(line) for line in lines]
    return [r for r in reqs if r.marker is None or r.marker.evaluate(env)]


def _mismatches(reqs: list[Requirement], pins: dict[str, Version]) -> list[str]:
    problems = []
    for req in reqs:
        name = canonicalize_name(req.name)
        if name not in pins:
            problems.append(f"{req.name}: required by pyproject.toml ({req}) but not pinned")
        elif not req.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{req.name}: pinned {pins[name]}, pyproject.toml asks {req}")
    return problems


def test_runtime_dependencies_are_pinned_compatibly():
    problems = _mismatches(_requirements(), _pins())
    assert not problems, (
        "binder/requirements.txt has drifted from pyproject.toml; add the dependency to "
        "binder/requirements.in and recompile (see binder/README.md):\n" + "\n".join(problems)
    )


def test_lab_and_dashboard_extras_are_pinned_compatibly():
    project = _pyproject()["project"]
    extras = tuple(e for e in EXTRAS_FOR_BINDER if e in project.get("optional-dependencies", {}))
    extra_reqs = [r for r in _requirements(extras) if r not in _requirements()]
    problems = _mismatches(extra_reqs, _pins())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", INTERFACE)
def test_interface_is_pinned(name):
    assert canonicalize_name(name) in _pins(), f"{name} must be pinned in binder/requirements.txt"


def test_loose_list_is_in_the_pins():
    """Every name in requirements.in made it into the compiled requirements.txt."""
    pins = _pins()
    missing = []
    for raw in (BINDER / "requirements.in").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and canonicalize_name(Requirement(line).name) not in pins:
            missing.append(line)
    assert not missing, f"recompile binder/requirements.txt; not pinned: {missing}"


def test_runtime_python_is_allowed_by_pyproject():
    version = Version(_runtime_python())
    spec = Requirement("x" + _pyproject()["project"].get("requires-python", "")).specifier
    assert spec.contains(version), f"runtime.txt says {version}, pyproject asks {spec}"


def test_postbuild_installs_the_package_without_dependencies():
    post_build = BINDER / "postBuild"
    text = post_build.read_text(encoding="utf-8")
    assert re.search(r"pip install\b[^\n]*--no-deps[^\n]*\s\.(\s|$)", text), text
    assert post_build.stat().st_mode & 0o111, "binder/postBuild must be executable"


def test_news_notification_is_switched_off():
    overrides = json.loads((BINDER / "overrides.json").read_text(encoding="utf-8"))
    settings = overrides["@jupyterlab/apputils-extension:notification"]
    assert settings["fetchNews"] == "false"  # a string: the schema's "Never"
    assert settings["checkForUpdates"] is False
    assert "overrides.json" in (BINDER / "postBuild").read_text(encoding="utf-8")
