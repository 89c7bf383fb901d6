"""The installed Socket.IO and Flask stack carries the fixes for the known advisories."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import requires, version
from pathlib import Path

import pytest

# CVE-2025-61765 (message-queue pickle), binary-attachment memory DoS, unbounded heartbeat
# threads and unenforced payload size, missing Vary: Cookie (see docs/privacy.md).
MINIMUMS = {
    "python-socketio": (5, 16, 2),
    "python-engineio": (4, 13, 2),
    "Flask": (3, 1, 3),
    "Flask-SocketIO": (5, 6, 1),
    "Werkzeug": (3, 1, 6),
}
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


@pytest.mark.parametrize("package", MINIMUMS)
def test_installed_version_has_the_security_fixes(package):
    assert release(version(package)) >= MINIMUMS[package], package


@pytest.mark.parametrize("package", MINIMUMS)
def test_pyproject_pins_the_minimum_with_the_fixes(package):
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    pins = [d for d in dependencies if re.match(rf"{re.escape(package)}\s*>=", d, re.I)]
    assert pins, f"{package} has no lower bound in pyproject.toml"
    assert release(pins[0].split(">=")[1]) >= MINIMUMS[package]


def test_the_installed_caravane_declares_the_same_minimums():
    declared = " ".join(requires("caravane") or [])
    for package, minimum in MINIMUMS.items():
        match = re.search(rf"{re.escape(package)}\s*>=\s*([\d.]+)", declared, re.I)
        assert match and release(match.group(1)) >= minimum, package
