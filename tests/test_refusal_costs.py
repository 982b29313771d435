"""What a hostile file costs to refuse, and that every refusal names its place.

- The time to refuse a document grows at most linearly with its size: numbers are
  refused by their length before any conversion, whatever their form (decimal,
  hexadecimal, octal, binary, with ``_``), in every format. The tests show it without
  timing anything (the suite has no timed assertions): they watch every place where a
  reader converts an integer's text and check that none longer than the limit gets there.
- Files that are not regular files (a FIFO, a device, a directory) are refused before
  anything is read from them: a device is never opened, and a FIFO is refused without a
  writer ever coming (a guard thread opens one after a minute only so that a regression
  fails instead of hanging the suite).
- Items are counted the same way in every format: a document refused (or not) by
  ``Limits.max_items`` as JSON is refused (or not) as YAML and TOML.
- No message is Python's own: an integer longer than Python converts names its field,
  whatever ``Limits.max_digits`` allows.
"""

from __future__ import annotations

import json
import os
import re
import threading
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan import files
from egovplan.cli import main
from egovplan.errors import LoadError
from egovplan.files import Limits, load, loads, read, read_document

#: Seconds after which a guard thread unblocks a reader stuck on a FIFO, so that a
#: regression fails the test instead of hanging the suite. Not a measure of speed.
HANG_GUARD = 120.0

#: Digits of the huge numbers below: about 1.5 MB, far beyond anything converted.
HUGE = 1_500_000

NUMBER_FORMS = {
    "decimal": "1" * HUGE,
    "negative": "-" + "9" * HUGE,
    "underscores": "1_2" * (HUGE // 3),
    "hexadecimal": "0x" + "f" * HUGE,
    "octal": "0o" + "7" * HUGE,
    "binary": "0b" + "1" * HUGE,
}

_DIGIT_RUN = re.compile(r"[0-9A-Fa-f_]+")


@pytest.fixture
def converted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lengths of the integer texts the readers convert, watched where they do it.

    YAML converts in ``_resolve_plain``; JSON (beyond the numbers Python refuses by their
    length before converting them) in the ``parse_int`` of ``_json_int``; TOML in
    ``tomllib.loads``, which is only handed texts whose long numbers were replaced.
    """
    lengths: list[int] = []
    resolve_plain = files._resolve_plain
    json_int = files._json_int
    toml_loads = tomllib.loads

    def watched_resolve_plain(value: str) -> Any:
        if files._YAML_INT.fullmatch(value):  # about to be converted
            lengths.append(len(value.lstrip("+-")))
        return resolve_plain(value)

    def watched_json_int(limit: int) -> Callable[[str], Any]:
        parse_int = json_int(limit)

        def watched(text: str) -> Any:
            lengths.append(len(text.lstrip("-")))
            number = parse_int(text)
            if not isinstance(number, int):  # kept as text, not converted
                lengths.pop()
            return number

        return watched

    def watched_toml_loads(text: str, **options: Any) -> Any:
        lengths.extend(len(run) for run in _DIGIT_RUN.findall(text))
        return toml_loads(text, **options)

    monkeypatch.setattr(files, "_resolve_plain", watched_resolve_plain)
    monkeypatch.setattr(files, "_json_int", watched_json_int)
    monkeypatch.setattr(tomllib, "loads", watched_toml_loads)  # files imports it on use
    return lengths


def refused(
    text: str, format: str, converted: list[int], limits: Limits | None = None
) -> LoadError:
    """The error of loading ``text``; no integer longer than the limit was converted."""
    limits = limits or Limits()
    with pytest.raises(LoadError) as caught:
        loads(text, format, limits=limits)
    longest = max(converted, default=0)
    assert longest <= max(limits.max_digits, 4300) + 2, longest  # never the huge number
    return caught.value


@pytest.mark.parametrize("form", sorted(NUMBER_FORMS))
def test_a_huge_toml_integer_is_refused_by_its_length(form: str, converted: list[int]) -> None:
    number = NUMBER_FORMS[form]
    error = refused(f"format_version = 1\nid = {number}\n", "toml", converted)
    assert max(converted) <= 100 + 2  # only the texts' short numbers reached tomllib
    (problem,) = error.problems
    assert problem.path == "id"
    assert (problem.line, problem.column) == (2, 6)
    assert "digits; the limit is 100 (Limits.max_digits)" in problem.message


@pytest.mark.parametrize(
    ("format", "template"),
    [
        ("json", '{{"format_version": 1, "id": {}}}'),
        ("yaml", "format_version: 1\nid: {}\n"),
        ("yaml", "format_version: 1\nid: !!int {}\n"),
    ],
)
@pytest.mark.parametrize("form", ["decimal", "negative"])
def test_a_huge_json_or_yaml_integer_is_refused_by_its_length(
    format: str, template: str, form: str, converted: list[int]
) -> None:
    error = refused(template.format(NUMBER_FORMS[form]), format, converted)
    assert max(converted, default=0) <= 100
    (problem,) = error.problems
    assert problem.path == "id"
    assert problem.line is not None
    assert "digits; the limit is 100 (Limits.max_digits)" in problem.message


@pytest.mark.parametrize("format", ["json", "yaml", "toml"])
def test_many_long_numbers_are_refused_each_by_its_length(
    format: str, converted: list[int]
) -> None:
    """Numbers just below Python's own limit, many of them.

    YAML and TOML refuse each by its length; JSON's parsers convert integers up to
    Python's limit (a bounded work for each, so the whole stays linear) and the models
    refuse them.
    """
    numbers = ["7" * 4000] * 300
    text = {
        "json": '{"format_version": 1, "x": [' + ", ".join(numbers) + "]}",
        "yaml": "format_version: 1\nx:\n" + "".join(f"- {n}\n" for n in numbers),
        "toml": f"format_version = 1\nx = [{', '.join(numbers)}]\n",
    }[format]
    error = refused(text, format, converted)
    if format != "json":
        assert max(converted) <= 100
    assert any(problem.path.startswith("x") for problem in error.problems)


@pytest.mark.parametrize("format", ["json", "yaml", "toml"])
@pytest.mark.parametrize("number", ["1" * 5000, "-" + "2" * 4400, "0x" + "f" * 5000])
def test_integers_beyond_python_s_limit_name_their_field(
    format: str, number: str, converted: list[int]
) -> None:
    """Even when Limits.max_digits allows them: never Python's 'Exceeds the limit' alone."""
    if number.startswith("0x") and format != "toml":
        return  # only TOML writes integers in hexadecimal
    text = {
        "json": f'{{"format_version": 1, "id": {number}}}',
        "yaml": f"format_version: 1\nid: {number}\n",
        "toml": f"format_version = 1\nid = {number}\n",
    }[format]
    error = refused(text, format, converted, Limits(max_digits=1_000_000))
    (problem,) = error.problems
    assert problem.path == "id"
    assert problem.line == (1 if format == "json" else 2)
    assert "Exceeds the limit" not in str(error)
    assert "the limit is 4300 (the most digits Python converts" in problem.message


# -- files that are not regular files ------------------------------------------------------


def guarded(call: Callable[[], Any], fifo: Path) -> Any:
    """What ``call`` returns or raises, run in a thread that must not wait for a writer.

    If it is still running after :data:`HANG_GUARD` seconds (it waits on the FIFO), a
    writer is opened to let it go, and the test fails: only a regression gets there.
    """
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:  # handed to the test
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_GUARD)
    waited = thread.is_alive()
    if waited:
        with open(fifo, "wb"):
            pass
        thread.join()
    assert not waited, f"reading {fifo} waited for a writer"
    return outcome[0]


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    error = guarded(lambda: load(fifo), fifo)
    assert isinstance(error, LoadError)
    assert str(error) == f"{fifo}: is a named pipe (FIFO), not a regular file"


def test_a_symbolic_link_to_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "plan.json"
    link.symlink_to(fifo)
    error = guarded(lambda: load(link), fifo)
    assert isinstance(error, LoadError)
    assert "is a named pipe (FIFO), not a regular file" in str(error)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths loading opens (egovplan opens a plan file with ``os.open``)."""
    paths: list[str] = []
    real_open = os.open

    def spy(path: Any, *args: Any, **kwargs: Any) -> int:
        paths.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    return paths


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_refused_without_being_opened(tmp_path: Path, opened: list[str]) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    for path in (Path("/dev/zero"), link):
        with pytest.raises(LoadError, match="is a character device, not a regular file"):
            read(path, format="yaml")
    assert opened == []


def test_a_directory_is_refused_without_being_opened(tmp_path: Path, opened: list[str]) -> None:
    folder = tmp_path / "plan.yaml"
    folder.mkdir()
    with pytest.raises(LoadError, match="is a directory, not a regular file"):
        load(folder)
    assert opened == []


def test_a_fifo_swapped_in_after_the_check_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open does not wait for a writer, and what was opened is checked again."""
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    checked: list[int] = []
    real = files._check_regular

    def first_check_passes(source: str, mode: int) -> None:
        checked.append(mode)
        if len(checked) > 1:
            real(source, mode)

    monkeypatch.setattr(files, "_check_regular", first_check_passes)
    error = guarded(lambda: load(fifo), fifo)
    assert isinstance(error, LoadError)
    assert "is a named pipe (FIFO), not a regular file" in str(error)
    assert len(checked) == 2


def test_the_command_line_refuses_a_fifo_without_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    assert guarded(lambda: main(["validate", str(fifo)]), fifo) == 2
    assert "is a named pipe (FIFO), not a regular file" in capsys.readouterr().out


# -- items are counted the same way in every format ----------------------------------------

_keys = st.text("abcdefghij", min_size=1, max_size=4)
_leaves = st.integers(-1000, 1000) | st.text("abc xyz", max_size=5)
_values = st.recursive(
    _leaves,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_keys, children, max_size=4),
    max_leaves=25,
)


def count(value: Any) -> int:
    """Every value once: mappings and lists, and each value inside them (keys are not)."""
    if isinstance(value, dict):
        return 1 + sum(count(item) for item in value.values())
    if isinstance(value, list):
        return 1 + sum(count(item) for item in value)
    return 1


def texts(document: dict[str, Any]) -> dict[str, str]:
    import tomli_w

    return {
        "json": json.dumps(document),
        "yaml flow": json.dumps(document),  # JSON is YAML in flow style
        "yaml block": yaml.safe_dump(document, default_flow_style=False),
        "toml": tomli_w.dumps(document),
    }


@settings(max_examples=60, deadline=None)
@given(document=st.dictionaries(_keys, _values, min_size=1, max_size=4))
def test_every_format_counts_items_the_same_way(document: dict[str, Any]) -> None:
    items = count(document)
    for name, text in texts(document).items():
        format = name.split()[0]
        data = read_document(text.encode(), format, limits=Limits(max_items=items))
        assert data == document, name
        if items > 1:
            with pytest.raises(LoadError, match=r"more than \d+ items \(Limits.max_items\)"):
                read_document(text.encode(), format, limits=Limits(max_items=items - 1))


def test_a_deep_plan_that_loads_as_json_loads_as_yaml() -> None:
    """The example of the issue: YAML counted an item once per level it is nested in."""
    document = {"a": [[[[i] for i in range(3)]] for _ in range(5)]}
    items = count(document)
    for format in ("json", "yaml"):
        assert read_document(json.dumps(document).encode(), format, limits=Limits(max_items=items))


# -- docs/security.md names the tests that keep its promises -------------------------------


def test_security_md_names_tests_that_exist() -> None:
    """Each ``tests/file.py::name`` (and each ``::name`` after it, of the same file) is a
    test function of that file, or a file of tests when no name is given."""
    root = Path(__file__).parent.parent
    text = (root / "docs" / "security.md").read_text(encoding="utf-8")
    named = 0
    for row in text.splitlines():  # every table of the page, every promise
        if not row.startswith("|"):
            continue
        file: Path | None = None
        for reference in re.findall(r"`((?:tests/[\w/]+\.py)?(?:::\w+)?)`", row):
            path, _, name = reference.partition("::")
            if path:
                file = root / path
                assert file.is_file(), reference
            assert file is not None, (row, reference)
            if name:
                source = file.read_text(encoding="utf-8")
                assert re.search(rf"^def {name}\(", source, re.M), (file.name, name)
                named += 1
    assert named >= 10
