#!/usr/bin/env python3
"""Set up a private virtual environment in ``.venv`` and run one task in it.

Usage::

    python3 dev.py demo   # install egovplan, run the quick-start demo
    python3 dev.py test   # install egovplan with its test tools, run every check
    python3 dev.py notebook   # run examples/funding-breakdown.ipynb, store its outputs

Only the standard library is used here, so the script works on a machine that has
nothing but Python 3.11 and pip.  The environment is (re)installed when
``pyproject.toml`` changes; otherwise it is reused.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")

#: What each task installs (the extras of ``pyproject.toml``).
EXTRAS = {"demo": "", "test": "test", "notebook": "test"}

#: The checks of ``test``: linters and the type checker first, pytest last so that
#: its summary line is the last line of the run.
CHECKS = [
    ["ruff", "check", "."],
    ["ruff", "format", "--check", "."],
    ["mypy", "--strict", "src", "bench"],
    ["pytest", "-q"],
]


def run(*args: str | Path) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.call([str(a) for a in args], cwd=ROOT)


def ensure_env(extras: str) -> None:
    if not PYTHON.exists():
        print(f"creating {VENV.relative_to(ROOT)}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / f".installed-{extras or 'core'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    target = f".[{extras}]" if extras else "."
    if run(PYTHON, "-m", "pip", "install", "--quiet", "--editable", target) != 0:
        sys.exit("dev.py: installing the project failed (see pip's output above)")
    stamp.write_text(digest)


def demo() -> int:
    return run(PYTHON, ROOT / "examples" / "demo.py")


def notebook() -> int:
    return run(PYTHON, ROOT / "tools" / "run_notebook.py")


def test() -> int:
    failed = [check[0] for check in CHECKS if run(BIN / check[0], *check[1:]) != 0]
    if failed:
        print("dev.py: failed:", ", ".join(failed), file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    tasks = {"demo": demo, "test": test, "notebook": notebook}
    if len(argv) != 1 or argv[0] not in tasks:
        print(__doc__, file=sys.stderr)
        return 2
    ensure_env(EXTRAS[argv[0]])
    return tasks[argv[0]]()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
