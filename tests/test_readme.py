"""The README's command-line examples are real: each `$ egovplan ...` block is re-run."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"```console\n\$ (egovplan [^\n]*)\n(.*?)```", re.S)
EXAMPLES = BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_readme_has_command_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_a_readme_command_prints_what_the_readme_shows(command: str, expected: str) -> None:
    args = shlex.split(command)[1:]
    result = subprocess.run(
        [sys.executable, "-m", "egovplan", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_COLOR": "1", "PATH": "", "PYTHONUTF8": "1"},
        check=False,
    )
    assert result.stderr == ""
    assert result.stdout == expected
