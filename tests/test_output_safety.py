"""Output safety (issue #24): what a plan says cannot drive a terminal or a spreadsheet.

Every control character of a plan's text reaches the command line's output as a visible
escape (``\\x1b``), in every command and format (JSON escapes it the JSON way, so that it
reads back); CSV cells that a spreadsheet would run as a formula are neutralised, and
numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovplan._terminal import json_text, terminal_text
from egovplan.cli import main, render_plan
from egovplan.files import dumps, load, loads
from egovplan.money import Money
from egovplan.tables import Column, Table

PLANS = Path(__file__).parent / "data" / "plans"

#: Retitle the window, ring, clear the screen, return to the start of the line, a C1
#: CSI, a bidi override, a line separator, a line break.
EVIL = "\x1b]0;pwned\x07\x1b[2J\r\x9b31m\u202e\u2028\n\x00\x7f"
#: What may not appear raw in anything the command line prints (a line feed between
#: lines may; one inside a value is escaped).
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _evil_plan(tmp_path: Path) -> Path:
    """The sample plan with EVIL in its title, objectives, tasks, sources and ids."""
    plan = load(PLANS / "sample-province-2021-2025.yaml")
    text = dumps(plan, "json")
    evil = json.dumps(EVIL)[1:-1]
    for word in ("Phê duyệt", "Xây dựng", "Nâng cấp", "Ngân sách", "Nguồn kinh phí"):
        text = text.replace(word, word + evil)
    # an id, and the references to it
    text = text.replace('"district-budgets"', f'"district-budgets{evil}"')
    assert loads(text, "json") != plan
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    return path


COMMANDS = [
    ["show"],
    ["show", "--locale", "en"],
    ["validate"],
    ["validate", "--format", "json"],
    *(["breakdown", "--by", "source", "--format", f] for f in ("text", "markdown", "csv", "html")),
    ["breakdown", "--by", "source", "--by2", "category", "--format", "text"],
    ["breakdown", "--by", "source", "--format", "json"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_control_character_reaches_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = _evil_plan(tmp_path)
    code = main([command[0], str(path), *command[1:], "--color", "never"])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert not RAW.search(out), repr(RAW.search(out))
    assert not RAW.search(err), repr(RAW.search(err))
    if "json" in command:
        json.loads(out)  # still JSON
    elif command[0] != "validate":
        assert "pwned" in out
        assert "\\x1b" in out


def test_json_output_reads_back_to_the_plans_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _evil_plan(tmp_path)
    assert main(["breakdown", str(path), "--by", "source", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert any(row["label"] == "Ngân sách" + EVIL + " đầu tư tập trung" for row in rows)


def test_colours_are_kept_and_a_plans_escape_sequences_are_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _evil_plan(tmp_path)
    assert main(["validate", str(path), "--color", "always"]) in (0, 1)
    out = capsys.readouterr().out
    assert "\x1b[" in out  # egovplan's own colours
    assert "\x1b]" not in out
    assert "\x1b[2J" not in out


def test_render_plan_gives_one_line_per_item(tmp_path: Path) -> None:
    plan = load(_evil_plan(tmp_path))
    text = render_plan(plan, locale="en")
    assert not RAW.search(text)
    title_line = text.split("\n")[0]
    assert title_line.startswith("Phê duyệt\\x1b]0;pwned\\x07\\x1b[2J\\r\\x9b31m\\u202e\\u2028\\n")


@given(st.text())
def test_terminal_text_leaves_nothing_raw_and_changes_nothing_else(text: str) -> None:
    shown = terminal_text(text)
    assert not RAW.search(shown)
    assert "\n" not in shown
    if not RAW.search(text) and "\n" not in text:
        assert shown == text
    assert "\n" not in RAW.sub("", terminal_text(text, newlines=True).replace("\n", ""))


@given(st.text())
def test_json_text_means_the_same_json(text: str) -> None:
    written = json_text(json.dumps({"t": text}, ensure_ascii=False, indent=2))
    assert not RAW.search(written.replace("\n", ""))
    assert json.loads(written) == {"t": text}


# -- CSV -------------------------------------------------------------------------------------


def _csv_rows(table: Table) -> list[list[str]]:
    return list(csv.reader(io.StringIO(table.to_csv(), newline="")))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_text_cells_that_start_a_formula_are_neutralised(start: str) -> None:
    formula = start + 'HYPERLINK("http://evil","x")'
    table = Table(
        columns=(
            Column(key="name", label=start + "Name"),
            Column(key="n", label="N", kind="number"),
        ),
        rows=((formula, Decimal("-5")),),
        totals=(start + "total", Decimal("-5")),
    )
    header, row, total = _csv_rows(table)
    assert header == ["'" + start + "Name", "N"]
    assert row == ["'" + formula, "-5"]
    assert total == ["'" + start + "total", "-5"]


@given(st.text(min_size=1))
def test_no_csv_text_cell_starts_a_formula(text: str) -> None:
    table = Table(columns=(Column(key="t", label=text),), rows=((text,),))
    for cells in _csv_rows(table):
        assert not cells[0].startswith(("=", "+", "-", "@", "\t", "\r"))
        assert cells[0] in (text, "'" + text)


def test_csv_numbers_stay_numbers() -> None:
    table = Table(
        columns=(
            Column(key="m", label="M", kind="money"),
            Column(key="d", label="D", kind="number"),
            Column(key="p", label="P", kind="percent"),
        ),
        rows=((Money("-5", "VND"), Decimal("-1.5"), -3),),
    )
    assert _csv_rows(table)[1] == ["-5", "-1.5", "-3"]


def test_cli_csv_breakdown_is_spreadsheet_safe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (PLANS / "sample-province-2021-2025.yaml").read_text(encoding="utf-8")
    text = text.replace("vi: Ngân sách đầu tư tập trung", "vi: '=cmd|'' /C calc''!A0'")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["breakdown", str(path), "--by", "source", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert [c for row in rows for c in row if "calc" in c] == ["'=cmd|' /C calc'!A0"]
    assert all(not c.startswith("=") for row in rows for c in row)
