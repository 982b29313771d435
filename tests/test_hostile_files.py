"""Named hostile plan files: each one refused with egovplan's own, located error.

Each case writes a file, loads it and checks the error type, that the message names the
file and the path inside the document and, for YAML and JSON, the line. Values that are
valid however odd they look (``-0``, a zero amount, NFD text, a byte-order mark, UTF-16,
Windows line endings) load, and load the same as their plain form. Consistency between
objects (ids equal once case-folded, an agency its own parent) is validation's job: those
files load, and validation names the place, with its line, in the API and on the command
line. The last part checks that nothing in egovplan runs code or opens what it is not
given.
"""

from __future__ import annotations

import ast
import builtins
import codecs
import json
import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from egovplan import files
from egovplan.cli import main
from egovplan.errors import EgovplanError, LoadError
from egovplan.files import Limits, dumps, load, loads, read

ROOT = Path(__file__).parent.parent
SOURCE = ROOT / "src" / "egovplan"

PLAN_YAML = """\
format_version: 1
id: p
metadata:
  kind: plan
  title: Kế hoạch
  date: 2021-07-21
period: 2021-2025
agencies:
- id: stttt
  names: {vi: Sở Thông tin và Truyền thông}
  kind: department
objectives:
- id: o
  text: Mục tiêu
  targets:
  - id: t
    measure: hồ sơ trực tuyến
    value: 50
    unit: percent
tasks:
- id: k
  title: Nhiệm vụ
  schedule: {period: Quý I-II/2021}
  assignments:
  - {agency: stttt, role: lead}
funding:
  total: 100000000000 VND
  total_in_words: một trăm tỷ đồng
  sources:
  - id: s
    kind: grant
    names: {vi: Nguồn tài trợ}
    amount: 100000000000 VND
    amount_in_words: Một trăm tỷ đồng
"""
PLAN = loads(PLAN_YAML, "yaml")
FRAGMENTS = {  # a fragment of the line of each field in PLAN_YAML, for the cases below
    "metadata.date": "  date: 2021-07-21",
    "period": "period: 2021-2025",
    "agencies[0].id": "- id: stttt",
    "objectives[0].targets[0].value": "    value: 50",
    "tasks[0].schedule.period": "  schedule: {period",
    "funding.total": "  total: 100000000000 VND",
    "funding.sources[0].amount": "    amount: 100000000000 VND",
    "funding.sources[0].amount_in_words": "    amount_in_words:",
}
LINE = {
    path: next(i for i, row in enumerate(PLAN_YAML.splitlines(), 1) if row.startswith(fragment))
    for path, fragment in FRAGMENTS.items()
}


def test_the_base_plan_is_valid() -> None:
    assert PLAN.validate().ok
    assert LINE["period"] == 7


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def refused(path: Path, limits: Limits | None = None) -> LoadError:
    """The LoadError of loading ``path``; its message begins with the file's name."""
    with pytest.raises(LoadError) as caught:
        load(path, limits=limits)
    error = caught.value
    assert isinstance(error, EgovplanError)
    assert isinstance(error, ValueError)
    assert str(error).startswith(f"{path}: ")
    assert error.source == str(path)
    return error


def located(
    error: LoadError, path: str, line: int | None, message: str
) -> tuple[int | None, int | None]:
    """The problem at ``path`` is there, says ``message``, on ``line``; returns its place."""
    found = [p for p in error.problems if p.path == path]
    assert found, error.problems
    problem = found[0]
    assert message in problem.message, problem
    assert problem.line == line, problem
    if path:
        assert path in str(error) or len(error.problems) > 1
    return problem.line, problem.column


def replaced(old: str, new: str, text: str = PLAN_YAML) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def in_json(plan_text: str, edit: Any) -> str:
    """The plan as JSON, one field per line (``indent=1``), after ``edit(data)``."""
    data = json.loads(dumps(loads(plan_text, "yaml"), "json"))
    edit(data)
    return json.dumps(data, ensure_ascii=False, indent=1)


def json_line(text: str, fragment: str) -> int:
    (line,) = [i for i, row in enumerate(text.splitlines(), 1) if fragment in row]
    return line


# -- YAML bombs and nesting ------------------------------------------------------------------


def test_billion_laughs_is_refused_by_counting_not_by_building(tmp_path: Path) -> None:
    laughs = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in "bcdefghi":
        laughs.append(f"{level}: &{level} [" + ", ".join([f"*{chr(ord(level) - 1)}"] * 9) + "]")
    path = write(tmp_path, "laughs.yaml", "\n".join(laughs) + "\n")  # 9**9 items, 72 aliases
    error = refused(path)
    (problem,) = error.problems
    assert "more than 20000000 items (Limits.max_items)" in problem.message
    assert problem.path.startswith("h[") or problem.path.startswith("i[")
    assert problem.line in (8, 9)
    tight = refused(path, Limits(max_aliases=10))
    assert "more than 10 aliases (Limits.max_aliases)" in str(tight)
    assert tight.problems[0].line == 3  # the eleventh alias, the second of line 3


def test_an_alias_of_a_node_inside_itself_is_refused(tmp_path: Path) -> None:
    """The only way to nest an objective in itself is an alias to an enclosing node."""
    text = replaced("- id: o\n", "- &o\n  id: o\n  children: [*o]\n")
    error = refused(write(tmp_path, "self.yaml", text))
    located(
        error, "objectives[0].children[0]", 15, "the alias *o refers to a node that contains it"
    )


@pytest.mark.parametrize("style", ["block", "flow"])
def test_yaml_nested_deeper_than_the_limit(style: str, tmp_path: Path) -> None:
    if style == "block":
        text = "".join("  " * i + "a:\n" for i in range(100))
        line = 65
    else:
        text = "a: " + "{a: " * 100 + "1" + "}" * 100 + "\n"
        line = 1
    error = refused(write(tmp_path, f"deep-{style}.yaml", text))
    located(
        error,
        ".".join(["a"] * 64),
        line,
        "nested deeper than 64 levels (the limit is Limits.max_depth)",
    )
    assert "nested deeper than 3 levels" in str(
        refused(tmp_path / f"deep-{style}.yaml", Limits(max_depth=3))
    )


def test_yaml_nested_beyond_what_libyaml_reads(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "deeper.yaml", "a: " + "[" * 10_000 + "]" * 10_000 + "\n"))
    (problem,) = error.problems
    assert problem.line == 1
    assert "nest" in problem.message


def test_json_nested_deeper_than_python_reads(tmp_path: Path) -> None:
    text = '{"format_version": 1,\n "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    error = refused(write(tmp_path, "deep.json", text))
    located(
        error, "x" + "[0]" * 63, 2, "nested deeper than 64 levels (the limit is Limits.max_depth)"
    )


def test_toml_nested_deeper_than_python_reads(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "deep.toml", "x = " + "[" * 100_000 + "]" * 100_000))
    assert "is nested too deeply to be read" in str(error)


def test_objectives_nested_deeper_than_the_limit_in_json(tmp_path: Path) -> None:
    def nest(data: dict[str, Any]) -> None:
        objective: dict[str, Any] = {"id": "o99", "text": "t"}
        for depth in range(98, -1, -1):
            objective = {"id": f"o{depth}", "text": "t", "children": [objective]}
        data["objectives"] = [objective]

    text = in_json(PLAN_YAML, nest)
    error = refused(write(tmp_path, "deep-objectives.json", text))
    path = "objectives[0]" + ".children[0]" * 31
    line, _ = located(
        error, path, json_line(text, '"id": "o31"') - 1, "objectives are nested deeper than 64"
    )
    assert line is not None


# -- size -----------------------------------------------------------------------------------


def test_a_100_mb_file_is_refused_by_its_size_without_being_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: no data is written
    opened: list[Any] = []
    real_open = Path.open
    real_os_open = os.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self)
        return real_open(self, *args, **kwargs)

    def spy_os_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(Path(file))
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    monkeypatch.setattr(os, "open", spy_os_open)
    error = refused(path, Limits.untrusted())
    assert "is 104857600 bytes; the limit is 16777216 (Limits.max_bytes)" in str(error)
    assert error.problems[0].path == ""
    assert opened == []  # refused from the size alone: never opened, never read
    # The default limit (256 MiB) refuses a bigger file the same way.
    with real_open(path, "r+b") as handle:
        handle.truncate(300 * 1024 * 1024)
    assert "is 314572800 bytes; the limit is 268435456" in str(refused(path))
    assert opened == []
    # and a file within the limit is opened (the spy sees it)
    small = tmp_path / "small.yaml"
    with real_open(small, "w", encoding="utf-8") as handle:
        handle.write(PLAN_YAML)
    assert load(small, limits=Limits.untrusted()) == PLAN
    assert opened == [small]


def test_text_beyond_the_size_limit_is_refused() -> None:
    with pytest.raises(LoadError, match=r"larger than the limit of 100 bytes \(Limits.max_bytes\)"):
        loads(PLAN_YAML, "yaml", limits=Limits(max_bytes=100))


def test_the_examples_load_with_the_limits_for_strangers() -> None:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        assert load(path, limits=Limits.untrusted()).id


# -- every limit is configurable and checked before the work it protects ------------------------

ALIASED = PLAN_YAML.replace("  kind: department\n", "  kind: &k department\n") + (
    "reporting:\n"
    "- {id: r, reporter: stttt, recipient: stttt, cadence: yearly, description: *k}\n"
    "- {id: q, reporter: stttt, recipient: stttt, cadence: monthly, description: *k}\n"
)


@pytest.mark.parametrize(
    ("format", "limit", "before_conversion"),
    [
        ("yaml", "max_bytes", True),
        ("json", "max_bytes", True),
        ("toml", "max_bytes", True),
        ("yaml", "max_depth", True),
        ("json", "max_depth", False),  # objectives are checked by the converter, first
        ("toml", "max_depth", False),
        ("yaml", "max_aliases", True),
        ("yaml", "max_items", True),
        ("json", "max_items", True),
        ("toml", "max_items", True),
        ("yaml", "max_digits", False),  # amounts: before their digits are converted
        ("json", "max_digits", False),
        ("toml", "max_digits", False),
    ],
)
def test_each_limit_is_configurable(
    format: str, limit: str, before_conversion: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = ALIASED if format == "yaml" else dumps(PLAN, format)
    plan = loads(text, format)  # the defaults take it
    tight = {"max_bytes": 200, "max_depth": 2, "max_aliases": 1, "max_items": 20, "max_digits": 5}
    limits = Limits(**{limit: tight[limit]})
    if before_conversion:
        converted: list[Any] = []
        real = files.from_dict
        monkeypatch.setattr(
            files, "from_dict", lambda *a, **k: converted.append(a) or real(*a, **k)
        )
    with pytest.raises(LoadError, match=f"Limits.{limit}"):
        loads(text, format, limits=limits)
    if before_conversion:
        assert converted == []  # refused before any conversion
    roomy = Limits(**{limit: 10 * tight[limit] if limit != "max_bytes" else 10**6})
    assert loads(text, format, limits=roomy) == plan


# -- numbers ----------------------------------------------------------------------------------

NUMBER_CASES = [
    # (YAML value, where, message)
    (
        "1E+999999999",
        "objectives[0].targets[0].value",
        'write decimal numbers as text, in quotes: "1E+999999999"',
    ),
    (
        "'1E+999999999'",
        "objectives[0].targets[0].value",
        "has more than 100 digits written out in full",
    ),
    (
        "'1e-999999999'",
        "objectives[0].targets[0].value",
        "has more than 100 digits written out in full",
    ),
    (".nan", "objectives[0].targets[0].value", 'write decimal numbers as text, in quotes: ".nan"'),
    ("NaN", "objectives[0].targets[0].value", "expected a decimal number"),
    ("Infinity", "objectives[0].targets[0].value", "expected a decimal number"),
    ("-.inf", "objectives[0].targets[0].value", "write decimal numbers as text"),
    (
        "1" * 10_000,
        "objectives[0].targets[0].value",
        "has 10000 digits; the limit is 100 (Limits.max_digits)",
    ),
    ("'" + "1" * 10_000 + "'", "objectives[0].targets[0].value", "has more than 100 digits"),
    ("100.0000001", "objectives[0].targets[0].value", 'in quotes: "100.0000001"'),
]


@pytest.mark.parametrize(("value", "where", "message"), NUMBER_CASES, ids=lambda v: str(v)[:20])
def test_hostile_numbers_in_values(value: str, where: str, message: str, tmp_path: Path) -> None:
    text = replaced("    value: 50\n", f"    value: {value}\n")
    error = refused(write(tmp_path, "value.yaml", text))
    located(error, where, LINE[where], message)


#: Numbers that are well formed but wrong: the file loads, and validation reports each with
#: its code, path and line (the path's place in the file).
JUDGED_CASES = [
    # (old YAML line, new YAML line, code, path)
    ("    value: 50\n", "    value: '100.0000001'\n", "EGP301", "objectives[0].targets[0].value"),
    ("    value: 50\n", "    value: -1\n", "EGP301", "objectives[0].targets[0].value"),
    (
        "    amount: 100000000000 VND\n",
        "    amount: -100000000000 VND\n",
        "EGP206",
        "funding.sources[0].amount",
    ),
    ("period: 2021-2025\n", "period: 2025-2021\n", "EGP501", "period"),
]


@pytest.mark.parametrize(("old", "new", "code", "where"), JUDGED_CASES, ids=lambda v: str(v)[:20])
def test_well_formed_but_wrong_numbers_load_and_are_reported_with_their_line(
    old: str, new: str, code: str, where: str, tmp_path: Path
) -> None:
    from egovplan.validation import validate

    planfile = read(write(tmp_path, "judged.yaml", replaced(old, new)))
    issues = [issue for issue in validate(planfile.plan) if issue.code == code]
    assert [issue.path for issue in issues] == [where]
    assert planfile.locate(where) == (LINE[where], new.index(": ") + 3)  # the value


AMOUNT_CASES = [
    ("1E+999999999 VND", "has more than 100 digits written out in full"),
    ("NaN VND", "expected an amount and its currency"),
    ("Infinity VND", "expected an amount and its currency"),
    ("1" * 10_000 + " VND", "has more than 100 digits"),
    ("100000000000\u200b VND", "expected an amount and its currency"),
    ("100.000.000.000 VND", "expected an amount and its currency"),
]


@pytest.mark.parametrize(("amount", "message"), AMOUNT_CASES, ids=lambda v: str(v)[:20])
@pytest.mark.parametrize("format", ["yaml", "json"])
def test_hostile_amounts(amount: str, message: str, format: str, tmp_path: Path) -> None:
    where = "funding.sources[0].amount"
    if format == "yaml":
        text = replaced("    amount: 100000000000 VND\n", f"    amount: {json.dumps(amount)}\n")
        line = LINE[where]
    else:
        text = in_json(PLAN_YAML, lambda data: data["funding"]["sources"][0].update(amount=amount))
        line = json_line(text, '"amount": ')
    error = refused(write(tmp_path, f"amount.{format}", text))
    located(error, where, line, message)


@pytest.mark.parametrize("number", ["1.5", "100000000000.0", "1e11", "0.1"])
@pytest.mark.parametrize("format", ["yaml", "json", "toml"])
def test_floats_where_money_is_expected(number: str, format: str, tmp_path: Path) -> None:
    where = "funding.sources[0].amount"
    if format == "yaml":
        text = replaced("    amount: 100000000000 VND\n", f"    amount: {number}\n")
    elif format == "json":
        text = in_json(PLAN_YAML, lambda data: None).replace(
            '"100000000000 VND"}', f"{number}}}", 1
        )
        text = text.replace('"amount": "100000000000 VND"', f'"amount": {number}')
    else:
        text = dumps(PLAN, "toml").replace('amount = "100000000000 VND"', f"amount = {number}")
        assert f"amount = {number}" in text
    error = refused(write(tmp_path, f"float.{format}", text))
    problem = next(p for p in error.problems if p.path == where)
    assert (
        f'like "{number} VND" (a floating-point number may not hold a decimal exactly)'
        in problem.message
    )
    assert (problem.line is not None) == (format != "toml")


def test_a_10000_digit_integer_in_json_and_toml(tmp_path: Path) -> None:
    digits = "9" * 10_000
    text = in_json(PLAN_YAML, lambda data: None).replace('"value": 50', f'"value": {digits}')
    error = refused(write(tmp_path, "digits.json", text))
    located(
        error, "objectives[0].targets[0].value", json_line(text, '"value": 9'), "has 10000 digits"
    )
    toml = dumps(PLAN, "toml").replace("value = 50", f"value = {digits}")
    error = refused(write(tmp_path, "digits.toml", toml))
    line = next(i for i, row in enumerate(toml.splitlines(), 1) if "value = 9" in row)
    located(error, "objectives[0].targets[0].value", line, "has 10000 digits")


def test_minus_zero_and_zero_amounts_are_valid(tmp_path: Path) -> None:
    text = replaced("    value: 50\n", "    value: -0\n")
    assert load(write(tmp_path, "zero.yaml", text)).target("t").value == 0
    quoted = replaced("    value: 50\n", "    value: '-0'\n")
    assert load(write(tmp_path, "zero-text.yaml", quoted)).target("t").value == 0
    free = replaced(
        "amount: 100000000000 VND", "amount: 0 VND", replaced("  total: 100000000000 VND\n", "")
    )
    plan = load(write(tmp_path, "free.yaml", free))
    assert plan.funding.sources[0].amount.amount == 0
    # words and digits now disagree: validation, not loading, says so
    assert [issue.code for issue in plan.validate()] == ["EGP202"]


# -- dates, quarters, periods -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "  date: 2021-07-21\n",
            "  date: 31/02/2021\n",
            "metadata.date",
            "month 2 of 2021 has days 1 to 28, not 31",
        ),
        (
            "  date: 2021-07-21\n",
            "  date: 2021-02-31\n",
            "metadata.date",
            "'2021-02-31' is not a date",
        ),
        ("  date: 2021-07-21\n", "  date: ngày 31 tháng 2 năm 2021\n", "metadata.date", "not 31"),
        ("period: 2021-2025\n", "period: Q0 2021\n", "period", "there is no quarter 0"),
        ("period: 2021-2025\n", "period: Q5 2021\n", "period", "there is no quarter 5"),
        ("period: 2021-2025\n", "period: Quý V/2021\n", "period", "there is no quarter V"),
        (
            "period: Quý I-II/2021}",
            "period: Quý 0-II/2021}",
            "tasks[0].schedule.period",
            "quarter 0",
        ),
        ("period: 2021-2025\n", "period: 2021\u200b-2025\n", "period", "cannot read"),
    ],
)
def test_impossible_dates_and_quarters(
    old: str, new: str, where: str, message: str, tmp_path: Path
) -> None:
    error = refused(write(tmp_path, "date.yaml", replaced(old, new)))
    located(error, where, LINE[where], message)


def test_an_impossible_toml_date_is_a_toml_error_with_its_line(tmp_path: Path) -> None:
    text = dumps(PLAN, "toml").replace('date = "2021-07-21"', "date = 2021-02-31")
    line = text.splitlines().index("date = 2021-02-31") + 1
    error = refused(write(tmp_path, "date.toml", text))
    (problem,) = error.problems
    assert "is not valid TOML" in problem.message
    assert problem.line == line


# -- Unicode ----------------------------------------------------------------------------------


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_nfd_vietnamese_parses_as_nfc(tmp_path: Path) -> None:
    text = replaced("period: 2021-2025\n", f"period: {nfd('giai đoạn 2021–2025')}\n")
    text = replaced("period: Quý I-II/2021}", f"period: {nfd('Quý I-II/2021')}}}", text)
    text = replaced("  date: 2021-07-21\n", f"  date: {nfd('ngày 21 tháng 7 năm 2021')}\n", text)
    text = replaced(
        "amount_in_words: Một trăm tỷ đồng", f"amount_in_words: {nfd('Một trăm tỷ đồng')}", text
    )
    text = replaced("title: Kế hoạch\n", f"title: {nfd('Kế hoạch')}\n", text)
    assert text != unicodedata.normalize("NFC", text)
    plan = load(write(tmp_path, "nfd.yaml", text))
    assert plan.period == PLAN.period
    assert plan.metadata.date == PLAN.metadata.date
    assert plan.task("k").schedule == PLAN.task("k").schedule
    assert plan.validate().ok  # the words in NFD say the same amount as the digits
    assert plan.metadata.title == nfd("Kế hoạch")  # text is kept exactly as written
    assert loads(dumps(plan, "yaml"), "yaml") == plan


def test_an_nfd_key_is_an_unknown_field(tmp_path: Path) -> None:
    text = replaced("  title: Kế hoạch\n", f"  title: Kế hoạch\n  {nfd('tiêu_đề')}: x\n")
    error = refused(write(tmp_path, "nfd-key.yaml", text))
    problem = error.problems[0]
    assert problem.path.startswith("metadata[")
    assert "unknown field" in problem.message
    assert problem.line == 6


def test_zero_width_and_non_breaking_spaces(tmp_path: Path) -> None:
    # a zero-width space in an id: the reference no longer resolves (validation says where)
    text = replaced("- {agency: stttt, role: lead}", '- {agency: "stttt\u200b", role: lead}')
    planfile = read(write(tmp_path, "zwsp.yaml", text))
    (issue,) = [i for i in planfile.plan.validate() if i.code == "EGP103"]
    assert issue.path == "tasks[0].assignments[0].agency"
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "\u200b" in row)
    assert planfile.locate(issue.path) == (line, 14)
    # non-breaking spaces where a parser reads spaces: the same plan
    spaced = replaced("period: 2021-2025\n", "period: 2021\u00a0-\u00a02025\n")
    spaced = replaced(
        "total_in_words: một trăm tỷ đồng", "total_in_words: một\u00a0trăm\u00a0tỷ đồng", spaced
    )
    plan = load(write(tmp_path, "nbsp.yaml", spaced))
    assert plan.period == PLAN.period
    assert plan.validate().ok


@pytest.mark.parametrize("format", ["yaml", "json", "toml"])
@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["bom", "utf-16", "utf-16-be", "crlf", "bom-crlf"],
)
def test_byte_order_marks_utf16_and_windows_line_endings(
    format: str, encode: Any, tmp_path: Path
) -> None:
    text = dumps(PLAN, format)
    assert load(write(tmp_path, f"plan.{format}", encode(text))) == PLAN
    broken = text.replace("50", '"five"', 1)
    error = refused(write(tmp_path, f"broken.{format}", encode(broken)))
    where = "objectives[0].targets[0].value"
    line = next(i for i, row in enumerate(broken.splitlines(), 1) if "five" in row)
    located(error, where, None if format == "toml" else line, "expected a decimal number")


# -- duplicate keys ---------------------------------------------------------------------------


def test_duplicate_keys_are_errors_not_last_one_wins(tmp_path: Path) -> None:
    yaml_text = replaced("  title: Kế hoạch\n", "  title: Kế hoạch\n  title: Kế hoạch khác\n")
    error = refused(write(tmp_path, "twice.yaml", yaml_text))
    located(error, "metadata.title", 6, "the key 'title' is given twice in this mapping")
    json_text = in_json(PLAN_YAML, lambda data: None).replace(
        '"kind": "grant",', '"kind": "grant",\n"kind": "loan",', 1
    )
    error = refused(write(tmp_path, "twice.json", json_text))
    located(
        error,
        "funding.sources[0].kind",
        json_line(json_text, '"kind": "loan"'),
        "given twice in this object",
    )
    toml_text = dumps(PLAN, "toml").replace('title = "Kế hoạch"', 'title = "Kế hoạch"\ntitle = "B"')
    error = refused(write(tmp_path, "twice.toml", toml_text))
    assert "is not valid TOML" in str(error)
    assert error.problems[0].line is not None


# -- consistency between objects: validation, located in the file ----------------------------


def validate_file(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["validate", str(path), "--color", "never"])
    return code, capsys.readouterr().out.splitlines()


def test_ids_that_collide_once_case_folded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = replaced(
        "  kind: department\n",
        "  kind: department\n- id: STTTT\n  names: {vi: Sở khác}\n  kind: department\n",
    )
    path = write(tmp_path, "case.yaml", text)
    planfile = read(path)
    (issue,) = [i for i in planfile.plan.validate() if i.code == "EGP102"]
    assert issue.path == "agencies[1].id"
    assert planfile.locate(issue.path) == (12, 7)
    code, lines = validate_file(path, capsys)
    assert code == 0  # a warning: the plan is usable, the ids look like a slip
    assert lines[0].startswith(f"{path}:12:7: warning EGP102: agencies[1].id: ")


def test_an_agency_its_own_parent_and_a_cycle_of_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = replaced("  kind: department\n", "  kind: department\n  parent: stttt\n")
    path = write(tmp_path, "self-parent.yaml", text)
    planfile = read(path)
    (issue,) = [i for i in planfile.plan.validate() if i.code == "EGP104"]
    assert issue.path == "agencies[0].parent"
    assert "stttt → stttt" in issue.message
    assert planfile.locate(issue.path) == (12, 11)
    code, lines = validate_file(path, capsys)
    assert code == 1
    assert lines[0].startswith(f"{path}:12:11: error EGP104: agencies[0].parent")
    two = replaced(
        "  kind: department\n",
        "  kind: department\n  parent: ubnd\n- id: ubnd\n  names: {vi: UBND}\n"
        "  kind: people_committee\n  parent: stttt\n",
    )
    planfile = read(write(tmp_path, "cycle.json", in_json(two, lambda data: None)))
    (issue,) = [i for i in planfile.plan.validate() if i.code == "EGP104"]
    assert "stttt → ubnd → stttt" in issue.message
    assert planfile.locate(issue.path) is not None


# -- nothing runs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['echo pwned']\n",
        "a: !!python/object/new:subprocess.Popen [['echo', 'pwned']]\n",
        "a: !!python/name:os.system\n",
        "a: !!python/module:os\n",
        "!!python/object:egovplan.plan.Plan {}\n",
        "a: !<tag:yaml.org,2002:python/object/apply:os.system> [x]\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x: null}\n",
        "a: !!omap [{x: 1}]\n",
        "%TAG !e! tag:evil.example,2000:\n---\na: !e!run x\n",
    ],
)
def test_yaml_tags_that_would_build_objects_are_refused(text: str, tmp_path: Path) -> None:
    error = refused(write(tmp_path, "tag.yaml", text))
    (problem,) = error.problems
    assert "is not allowed in a plan" in problem.message
    assert problem.line is not None


#: Imports that run code, deserialize objects or reach the network (ALLOWED_IMPORTS lists
#: the few egovplan makes, and why).
FORBIDDEN_MODULES = {
    "pickle",
    "cPickle",
    "marshal",
    "shelve",
    "dill",
    "socket",
    "ssl",
    "http",
    "urllib",
    "urllib3",
    "requests",
    "httpx",
    "ftplib",
    "smtplib",
    "subprocess",
    "multiprocessing",
    "ctypes",
    "importlib.machinery",
    "runpy",
    "code",
    "codeop",
}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "input", "breakpoint"}
#: (module, call) pairs allowed, each with its reason.
ALLOWED_CALLS: dict[tuple[str, str], str] = {
    ("_grouping", "exec"): (
        "the summing loop generated once per combination of key attributes, as attrs"
        " generates __init__; its text is one of a few fixed by the module (names only"
        " from _grouping._KEY_ATTRIBUTES, tested in test_breakdown.py)"
    ),
    ("_grouping", "compile"): "the same loop, compiled under a name of its own for tracebacks",
    ("_derive", "exec"): (
        "the loaders and JSON record writers generated once per model class, as attrs"
        " generates __init__; their text is made from the class's field names (attrs"
        " fields: identifiers) and the declared checks' fixed forms, never from data;"
        " every other value is passed by name in the namespace"
    ),
    ("_pycache", "compile"): (
        "_derive's code, compiled under a name of its own for tracebacks (when no earlier"
        " process kept it)"
    ),
}
#: Imports of a forbidden package that do not do what it is forbidden for, with the reason.
ALLOWED_IMPORTS: dict[str, str] = {
    "urllib.parse": "quoting text for a URL-like name; it parses strings, it opens nothing",
    "marshal": (
        "egovplan._pycache only: generated code and parsed data files kept between"
        " processes in the folder where Python keeps the package's .pyc files, as Python"
        " keeps bytecode there (whoever can write that folder can already change the"
        " .pyc files); no plan, file name or other input reaches it, and a kept file is"
        " used only when it holds the very source asked for"
    ),
}
FORBIDDEN_ATTRIBUTES = {
    ("yaml", "load"),
    ("yaml", "load_all"),
    ("yaml", "unsafe_load"),
    ("yaml", "full_load"),
    ("yaml", "Loader"),
    ("yaml", "UnsafeLoader"),
    ("yaml", "FullLoader"),
    ("yaml", "CLoader"),
    ("yaml", "CUnsafeLoader"),
    ("yaml", "CFullLoader"),
    ("os", "system"),
    ("os", "popen"),
    ("os", "execv"),
    ("os", "spawnv"),
}


def _sources() -> list[Path]:
    paths = sorted(SOURCE.rglob("*.py"))
    assert len(paths) > 20
    return paths


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.name)
def test_no_module_runs_code_or_reaches_the_network(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    module = path.stem
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            names = []
        for name in names:
            if name in ALLOWED_IMPORTS or any(name.startswith(f"{a}.") for a in ALLOWED_IMPORTS):
                continue
            top = name.split(".")[0]
            assert top not in FORBIDDEN_MODULES, (path, name)
            assert name not in FORBIDDEN_MODULES, (path, name)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            call = node.func.id
            if call in FORBIDDEN_CALLS:
                assert (module, call) in ALLOWED_CALLS, f"{path}:{node.lineno}: {call}()"
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            assert (node.value.id, node.attr) not in FORBIDDEN_ATTRIBUTES, f"{path}:{node.lineno}"


def test_the_checker_finds_what_it_looks_for() -> None:
    """The AST check above would catch each thing it forbids."""
    samples = {
        "import pickle": "pickle",
        "from urllib.request import urlopen": "urllib",
        "import subprocess as s": "subprocess",
        "eval('1')": "eval",
        "exec('x = 1')": "exec",
        "yaml.load(text)": "load",
        "yaml.unsafe_load(text)": "unsafe_load",
    }
    for code, name in samples.items():
        tree = ast.parse(code)
        hits = [
            node
            for node in ast.walk(tree)
            if (isinstance(node, ast.Import | ast.ImportFrom))
            or (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in FORBIDDEN_CALLS
            )
            or (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in FORBIDDEN_ATTRIBUTES
            )
        ]
        assert hits, (code, name)


def test_loading_opens_only_the_file_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No include, no network, no other file: loading a plan opens that file and nothing else.

    (egovplan's own data files, read through importlib.resources, are part of egovplan and
    were already read above by the base plan.)
    """
    path = write(tmp_path, "plan.yaml", PLAN_YAML)
    load(path)  # data files of egovplan read and cached
    opened: list[str] = []
    real_open = builtins.open
    real_path_open = Path.open
    real_os_open = os.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_os_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_os_open(file, *args, **kwargs)

    def spy_path_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(self))
        return real_path_open(self, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(Path, "open", spy_path_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    assert load(path) == PLAN
    assert opened == [str(path)]
