"""Every rule fires from a file: the wrong value loads, and validation points at its line.

"Load, then judge": a plan file with a well-formed but wrong value (a percent of 120, a
negative amount, a range whose bounds are out of order) is no load error. It loads, and
``validate`` reports it with its code and path, and the path leads to the value's line and
column in the file. Each failing case of ``test_rules`` is written as YAML and as JSON,
read back, and judged again: the same findings, each found in the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from test_rules import FAILS, base_plan

from egovplan.cli import main
from egovplan.files import dumps, read, read_document
from egovplan.plan import Plan
from egovplan.validation import default_registry, validate


def _last_name(path: str) -> str:
    return re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])


def _present(data: Any, path: str) -> bool:
    """Whether the document ``data`` holds a value at ``path``."""
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if name:
            if not isinstance(data, dict) or name not in data:
                return False
            data = data[name]
        else:
            if not isinstance(data, list) or int(index) >= len(data):
                return False
            data = data[int(index)]
    return True


@pytest.mark.parametrize("format", ["yaml", "json"])
@pytest.mark.parametrize(("change", "expected"), FAILS.values(), ids=list(FAILS))
def test_a_rule_fires_from_a_file_at_the_line_of_its_path(
    change: Callable[[Plan], Plan], expected: list[tuple[str, str]], format: str
) -> None:
    text = dumps(change(base_plan()), format)
    planfile = read(text, format)
    report = validate(planfile.plan)
    assert [(issue.code, issue.path) for issue in report] == expected
    data = read_document(text, format)
    lines = text.splitlines()
    places = planfile.locate_all(issue.path for issue in report)
    for issue in report:
        line, column = places[issue.path]
        assert 1 <= column <= len(lines[line - 1])
        if _present(data, issue.path):
            # the key's line, or the next one for a list or mapping written below its key
            near = lines[line - 2 : line] if line > 1 else lines[:1]
            assert any(_last_name(issue.path) in row for row in near), (issue.path, near)


def test_every_rule_fires_from_a_file() -> None:
    fired = {code for _, expected in FAILS.values() for code, _ in expected}
    assert fired == set(default_registry().codes)


def test_validate_reports_a_data_error_with_its_line_and_exits_1(
    tmp_path: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # An EU plan gives a starting value of 6,283 on a percent target.
    path = tmp_path / "eu.yaml"  # type: ignore[operator]
    path.write_text(
        "format_version: 1\n"
        "id: eu\n"
        "metadata: {kind: plan, title: Digital Decade}\n"
        "period: 2021-2030\n"
        "objectives:\n"
        "- id: o\n"
        "  targets:\n"
        "  - id: t\n"
        "    measure: households with gigabit\n"
        "    comparator: '>='\n"
        "    value: 100\n"
        "    unit: percent\n"
        "    baseline: {value: 6283, year: 2021}\n",
        encoding="utf-8",
    )
    assert main(["validate", "--color", "never", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:13:" in out
    assert "EGP301" in out
    assert "objectives[0].targets[0].baseline.value" in out
