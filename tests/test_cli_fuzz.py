"""Fuzzing the ``egovplan`` command with garbage files; the counts in its summaries.

The invariant, for ``validate``, ``show``, ``breakdown`` and ``convert`` on any file: no
Python traceback and no internal error (exit 3); a file that cannot be read or parsed
exits 2, and every line egovplan writes about it names the file. Most examples run
:func:`egovplan.cli.main` in this process (quick); a few drive the real console script
in a subprocess, several files per process.

``EGOVPLAN_FUZZ_EXAMPLES`` scales the in-process targets' ``max_examples``.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan.cli import main
from egovplan.errors import LoadError
from egovplan.files import FORMATS, Limits, dumps, load, read_document

ROOT = Path(__file__).parent.parent
PLANS = ROOT / "tests" / "data" / "plans"
SCRIPT = Path(sys.executable).with_name("egovplan")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "egovplan"]
SCALE = int(os.environ.get("EGOVPLAN_FUZZ_EXAMPLES", "0"))
EXTENSIONS = {"yaml": ".yaml", "json": ".json", "toml": ".toml"}
SEEDS = {
    format: [dumps(load(path), format) for path in sorted(PLANS.glob("sample-*.yaml"))]
    for format in FORMATS
}
COMMANDS = ["validate", "show", "breakdown", "convert"]


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


_names = itertools.count()


@st.composite
def garbage(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file's format and bytes: random bytes, random text, or a plan with damage."""
    format = draw(st.sampled_from(FORMATS))
    kind = draw(st.sampled_from(["bytes", "text", "damaged", "damaged", "damaged"]))
    if kind == "bytes":
        return format, draw(st.binary(max_size=200))
    if kind == "text":
        return format, draw(st.text(max_size=200)).encode("utf-8", "surrogatepass")
    lines = draw(st.sampled_from(SEEDS[format])).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "garble", "truncate"]))
        if operation == "delete" and len(lines) > 1:
            del lines[at]
        elif operation == "duplicate":
            lines.insert(at, lines[at])
        elif operation == "garble":
            cut = draw(st.integers(0, len(lines[at])))
            junk = draw(
                st.sampled_from(["1E+999999999", "NaN", "'", "{", "- x", "\u200b", "9" * 5000])
            )
            lines[at] = lines[at][:cut] + junk + "\n"
        else:
            lines = lines[: at + 1]
    return format, "".join(lines).encode("utf-8", "surrogatepass")


def write(folder: Path, item: tuple[str, bytes]) -> Path:
    format, data = item
    path = folder / f"garbage-{next(_names)}{EXTENSIONS[format]}"
    path.write_bytes(data)
    return path


def arguments(command: str, path: Path) -> list[str]:
    if command == "breakdown":
        return ["breakdown", str(path), "--by", "source", "--color", "never"]
    if command == "convert":
        return ["convert", str(path), str(path.with_name(path.stem + "-out.json"))]
    return [command, str(path), "--color", "never"]


def check(command: str, path: Path, code: int, out: str, err: str) -> None:
    """The invariant of one run of ``command`` on ``path``."""
    assert "Traceback" not in out + err
    assert "internal error" not in err
    assert code in ((0, 1, 2) if command == "validate" else (0, 2)), (code, err)
    try:
        load(path)
    except ValueError:  # the file cannot be loaded: exit 2, every line names it
        assert code == 2, (command, code, out, err)
        report = out if command == "validate" else err
        lines = [line for line in report.splitlines() if line]
        assert lines, (command, out, err)
        prefix = str(path) if command == "validate" else f"egovplan: {path}"
        for line in lines:
            assert line.startswith(prefix), (line, prefix)
    else:
        if command == "breakdown" and code == 2:  # e.g. a plan with nothing to break down
            (line,) = err.splitlines()
            assert line.startswith(f"egovplan: {path}: "), line
        elif command != "validate":
            assert code == 0, (command, err)


@pytest.mark.parametrize("command", COMMANDS)
@settings(
    max_examples=SCALE or 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(item=garbage())
def test_garbage_in_this_process(
    command: str, item: tuple[str, bytes], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(folder, item)
    try:
        code = main(arguments(command, path))
        captured = capsys.readouterr()
        check(command, path, code, captured.out, captured.err)
    finally:
        path.unlink()
        path.with_name(path.stem + "-out.json").unlink(missing_ok=True)


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "EGOVPLAN_DEBUG")}
    environment.update(env or {})
    return subprocess.run(
        [*COMMAND, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=environment,
        timeout=120,
        check=False,
    )


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(items=st.lists(garbage(), min_size=8, max_size=8))
def test_garbage_through_the_console_script(items: list[tuple[str, bytes]], folder: Path) -> None:
    paths = [write(folder, item) for item in items]
    try:
        result = run("validate", "--color", "never", *map(str, paths))
        assert "Traceback" not in result.stdout + result.stderr
        assert result.returncode in (0, 1, 2)
        for path in paths:  # every file has its own lines, naming it
            assert any(line.startswith(str(path)) for line in result.stdout.splitlines())
        for command, path in zip(COMMANDS[1:], paths, strict=False):
            result = run(*arguments(command, path))
            check(command, path, result.returncode, result.stdout, result.stderr)
    finally:
        for path in folder.iterdir():
            path.unlink()


def test_unreadable_files_exit_2_with_one_line_naming_them(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = folder / "missing.yaml"
    directory = folder / "a-folder.yaml"
    directory.mkdir()
    huge = folder / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse, beyond the default 256 MiB
    odd = folder / "plan.txt"
    odd.write_text("format_version: 1\n", encoding="utf-8")
    nameless = folder / "bad\udcff.yaml"
    nameless.write_bytes(b"a: [\n")
    try:
        for path, words in [
            (missing, "no such file"),
            (directory, "is a directory"),
            (huge, "is 314572800 bytes; the limit is 268435456 (Limits.max_bytes)"),
            (odd, "cannot tell the format"),
            (nameless, "is not valid YAML"),
        ]:
            for command in ("show", "breakdown", "convert"):
                if command == "show":  # the console script, in a subprocess
                    result = run(*arguments(command, path))
                    code, out, err = result.returncode, result.stdout, result.stderr
                else:  # in this process (quicker)
                    code = main(arguments(command, path))
                    out, err = capsys.readouterr()
                assert code == 2, (command, path, err)
                assert out == ""
                (line,) = err.splitlines()
                assert line.startswith("egovplan: ")
                assert words in line
                assert path.name.replace("\udcff", "") in line.replace("\ufffd", "").replace(
                    "\\udcff", ""
                )
    finally:
        directory.rmdir()
        for path in (huge, odd, nameless):
            path.unlink()


def test_a_file_name_that_is_not_utf8_on_a_strict_utf8_stream(folder: Path) -> None:
    """Python holds such a name as lone surrogates, which a strict UTF-8 stream refuses."""
    path = folder / "bad\udcff.yaml"
    path.write_bytes(b"a: [\n")
    try:
        result = run("validate", str(path), env={"PYTHONIOENCODING": "utf-8"})
    finally:
        path.unlink()
    assert result.returncode == 2
    assert "internal error" not in result.stderr
    shown = f"{folder}/bad\\udcff.yaml"
    assert result.stdout.splitlines() == [
        f"{shown}:2:1: error: is not valid YAML: did not find expected node content",
        f"{shown}: cannot be loaded",
    ]


# -- counts in the summary ------------------------------------------------------------------

TWO_SOURCES = """\
format_version: 1
id: p
metadata: {kind: plan, title: T}
period: 2021-2025
agencies:
- {id: a, names: {vi: A}, kind: department}
- {id: A, names: {vi: B}, kind: department}
funding:
  total: 3 VND
  sources:
  - {id: s, kind: grant, names: {vi: S}, amount: 1 VND}
"""


@pytest.mark.parametrize(
    ("locale", "summary"),
    [("en", "1 error, 1 warning, 0 info"), ("vi", "1 lỗi, 1 cảnh báo, 0 ghi chú")],
)
def test_counts_use_the_plural_forms_of_the_language(
    locale: str, summary: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = folder / f"counts-{locale}.yaml"
    path.write_text(TWO_SOURCES, encoding="utf-8")
    try:
        assert main(["validate", str(path), "--locale", locale, "--color", "never"]) == 1
    finally:
        path.unlink()
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == f"{path}: {summary}"


@pytest.mark.parametrize(
    ("locale", "count", "expected"),
    [
        ("en", 0, "0 errors"),
        ("en", 1, "1 error"),
        ("en", 2, "2 errors"),
        ("en", 21, "21 errors"),
        ("vi", 1, "1 lỗi"),
        ("vi", 2, "2 lỗi"),
        ("en_GB", 1, "1 error"),
        ("xx", 1, "1 error"),  # an unknown locale: English words, its 'other' form at worst
    ],
)
def test_count_forms(locale: str, count: int, expected: str) -> None:
    from egovplan.cli import _count

    assert _count("errors", count, locale) == expected


def test_every_locale_has_the_other_form_of_every_count() -> None:
    from egovplan.cli import _words

    words: dict[str, Any] = _words()
    for locale, table in words.items():
        for name in ("errors", "warnings", "infos"):
            assert "other" in table["counts"][name], (locale, name)


# -- commands x options x mutated example plans -------------------------------------------

#: The plans of the examples and of the test data, as plain data to mutate.
DOCUMENTS = [
    read_document(path)
    for path in [*sorted((ROOT / "examples").glob("*.yaml")), *sorted(PLANS.glob("*.yaml"))]
]

#: Values put in place of a value of a plan: wrong types, edge numbers, other currencies,
#: amounts in words, control and bidi characters, long texts.
HOSTILE_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    10**40,
    "",
    "x" * 300,
    [],
    {},
    {"id": "x"},
    ["x"],
    "5 USD",
    "0 VND",
    "-0 VND",
    "1E+30 VND",
    "0.001 VND",
    "12345.678 USD",
    "1 KWD",
    "999999999999999999999999999999 VND",
    "mười tỷ đồng",
    "\u200e100 USD",
    "١٠٠ USD",
    "2021",
    "2021-2025",
    "Q5/2021",
    "Quý I-II/2021",
    "2099-2098",
    "2021-02-31",
    "\x1b]0;retitled\x07",
    "\x1b[2J",
    "=1+1",
    "a\u202eb",
    "ｉｄ",
    "percent",
    "lượt",
]
CURRENCIES = ["USD", "EUR", "JPY", "KWD", "VND", "XXX"]
LOCALES = ["vi", "en", "fr_FR", "de_CH", "ar", "he", "fa", "ja"]
UNITS = ["auto", "one", "dong", "thousand", "million", "billion", "trillion"]
DIMENSIONS = ["source", "kind", "year", "agency", "level", "objective", "task", "category"]


def _paths(data: Any, parts: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield parts
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*parts, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*parts, index))


def _at(data: Any, parts: tuple[Any, ...]) -> Any:
    for part in parts:
        data = data[part]
    return data


@st.composite
def mutated_plans(draw: st.DrawFn) -> Any:
    """An example plan with one to four changes: a value replaced, removed, repeated, or
    copied from elsewhere in the plan, or an amount put in another currency."""
    data = copy.deepcopy(draw(st.sampled_from(DOCUMENTS)))
    for _ in range(draw(st.integers(1, 4))):
        paths = [parts for parts in _paths(data) if parts]
        parts = draw(st.sampled_from(paths))
        parent, last = _at(data, parts[:-1]), parts[-1]
        operation = draw(
            st.sampled_from(["replace", "currency", "currency", "remove", "repeat", "copy"])
        )
        value = parent[last]
        if operation == "currency":
            amounts = [
                p for p in paths if isinstance(_at(data, p), str) and AMOUNT.match(_at(data, p))
            ]
            if amounts:
                parts = draw(st.sampled_from(amounts))
                parent, last = _at(data, parts[:-1]), parts[-1]
                number = AMOUNT.match(parent[last])[1]  # type: ignore[index]
                parent[last] = f"{number} {draw(st.sampled_from(CURRENCIES))}"
        elif operation == "replace":
            parent[last] = copy.deepcopy(draw(st.sampled_from(HOSTILE_VALUES)))
        elif operation == "remove":
            del parent[last]
        elif operation == "repeat" and isinstance(parent, list):
            parent.insert(last, copy.deepcopy(value))
        elif operation == "copy":
            parent[last] = copy.deepcopy(_at(data, draw(st.sampled_from(paths[:200]))))
    return data


AMOUNT = re.compile(r"^(\S+) ([A-Z]{3})$")


@st.composite
def command_lines(draw: st.DrawFn, path: Path) -> list[str]:
    """A command with options drawn from everything the parser accepts."""
    command = draw(st.sampled_from(COMMANDS))
    args = [command]
    if command == "convert":
        extension = draw(st.sampled_from([".yaml", ".json", ".toml"]))
        args += [str(path), str(path.with_name(path.stem + "-out" + extension))]
    else:
        args.append(str(path))
    if command == "validate":
        args += ["--format", draw(st.sampled_from(["text", "json"]))]
    if command == "breakdown":
        first = draw(st.sampled_from(DIMENSIONS))
        args += ["--by", first]
        if draw(st.booleans()):
            args += ["--by2", draw(st.sampled_from([d for d in DIMENSIONS if d != first]))]
        args += ["--format", draw(st.sampled_from(["text", "markdown", "csv", "json", "html"]))]
    if command != "convert" and draw(st.booleans()):
        args += ["--locale", draw(st.sampled_from(LOCALES))]
    if command in ("show", "breakdown") and draw(st.booleans()):
        args += ["--unit", draw(st.sampled_from(UNITS))]
    untrusted = draw(st.booleans())
    if untrusted:
        args.append("--untrusted")
    return [*args, "--color", draw(st.sampled_from(["never", "always"]))]


#: Words of Python's own messages, which no message of egovplan's may pass on.
PYTHON_WORDS = (
    "Exceeds the limit",
    "set_int_max_str_digits",
    "invalid literal",
    "object has no attribute",
    "NoneType",
    "unhashable",
    "not subscriptable",
    "<class ",
    "Traceback",
    "decimal.",
)


def assert_egovplan_s_own(error: LoadError) -> None:
    """Every problem of ``error`` says where (a path, or a line) in egovplan's own words."""
    for problem in error.problems:
        assert problem.path or problem.line is not None, problem
        for words in PYTHON_WORDS:
            assert words not in problem.message, problem


def _document_text(data: Any, format: str) -> str:
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=1)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@settings(
    max_examples=SCALE or 30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=mutated_plans(), format=st.sampled_from(["yaml", "json"]), draw=st.data())
def test_commands_with_options_on_mutated_plans(
    data: Any, format: str, draw: st.DataObject, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No command, with any options, on any plan near a real one: exit 3 or a traceback."""
    path = folder / f"mutated-{next(_names)}.{format}"
    path.write_text(_document_text(data, format), encoding="utf-8")
    try:
        for _ in range(3):
            argv = draw.draw(command_lines(path))
            code = main(argv)
            out, err = capsys.readouterr()
            assert "Traceback" not in out + err, argv
            assert "internal error" not in err, (argv, err)
            assert code in (0, 1, 2), (argv, code, err)
            limits = Limits.untrusted() if "--untrusted" in argv else None
            try:
                load(path, limits=limits)
            except LoadError as error:
                assert code == 2, (argv, out, err)
                assert_egovplan_s_own(error)
                continue
            if argv[0] in ("show", "convert"):
                assert code == 0, (argv, err)
            elif argv[0] == "breakdown" and code == 2:  # one line, naming the file
                (line,) = err.splitlines()
                assert line.startswith(f"egovplan: {path}: "), line
    finally:
        for written in folder.glob(f"{path.stem}*"):
            written.unlink()
