"""What a hostile file costs to refuse, and that every refusal names its place.

- The time to refuse a document grows at most linearly with its size: numbers are
  refused by their length before any conversion, whatever their form (decimal,
  hexadecimal, octal, binary, with ``_``), in every format; the checks here use sizes at
  which a conversion whose time grows with the square of the length would take minutes.
- Files that are not regular files (a FIFO, a device, a directory) are refused before
  anything is read from them, in bounded time.
- Items are counted the same way in every format: a document refused (or not) by
  ``Limits.max_items`` as JSON is refused (or not) as YAML and TOML.
- No message is Python's own: an integer longer than Python converts names its field,
  whatever ``Limits.max_digits`` allows.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.cli import main
from egovplan.errors import LoadError
from egovplan.files import Limits, load, loads, read, read_document

#: Seconds within which a refusal must come, on a slow shared machine. The documents are
#: large enough that a conversion growing with the square of their length takes minutes.
BOUND = 15.0

#: Digits of the huge numbers below: about 1.5 MB.
HUGE = 1_500_000

NUMBER_FORMS = {
    "decimal": "1" * HUGE,
    "negative": "-" + "9" * HUGE,
    "underscores": "1_2" * (HUGE // 3),
    "hexadecimal": "0x" + "f" * HUGE,
    "octal": "0o" + "7" * HUGE,
    "binary": "0b" + "1" * HUGE,
}


def refuse_in_time(text: str, format: str, limits: Limits | None = None) -> LoadError:
    started = time.perf_counter()
    with pytest.raises(LoadError) as caught:
        loads(text, format, limits=limits or Limits())
    assert time.perf_counter() - started < BOUND
    return caught.value


@pytest.mark.parametrize("form", sorted(NUMBER_FORMS))
def test_a_huge_toml_integer_is_refused_by_its_length(form: str) -> None:
    number = NUMBER_FORMS[form]
    error = refuse_in_time(f"format_version = 1\nid = {number}\n", "toml")
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
    format: str, template: str, form: str
) -> None:
    error = refuse_in_time(template.format(NUMBER_FORMS[form]), format)
    (problem,) = error.problems
    assert problem.path == "id"
    assert problem.line is not None
    assert "digits; the limit is 100 (Limits.max_digits)" in problem.message


@pytest.mark.parametrize("format", ["json", "yaml", "toml"])
def test_many_long_numbers_are_refused_in_linear_time(format: str) -> None:
    """Numbers just below Python's own limit, many of them, refused in bounded time.

    (JSON's parsers convert integers up to Python's limit, a bounded work for each; YAML
    and TOML refuse them by their length.)
    """
    numbers = ["7" * 4000] * 300
    text = {
        "json": json.dumps({"format_version": 1, "x": [int(n) for n in numbers[:1]]}).replace(
            numbers[0], ", ".join(numbers)
        ),
        "yaml": "format_version: 1\nx:\n" + "".join(f"- {n}\n" for n in numbers),
        "toml": f"format_version = 1\nx = [{', '.join(numbers)}]\n",
    }[format]
    error = refuse_in_time(text, format)
    assert any(problem.path.startswith("x") for problem in error.problems)


@pytest.mark.parametrize("format", ["json", "yaml", "toml"])
@pytest.mark.parametrize("number", ["1" * 5000, "-" + "2" * 4400, "0x" + "f" * 5000])
def test_integers_beyond_python_s_limit_name_their_field(format: str, number: str) -> None:
    """Even when Limits.max_digits allows them: never Python's 'Exceeds the limit' alone."""
    if number.startswith("0x") and format != "toml":
        return  # only TOML writes integers in hexadecimal
    text = {
        "json": f'{{"format_version": 1, "id": {number}}}',
        "yaml": f"format_version: 1\nid: {number}\n",
        "toml": f"format_version = 1\nid = {number}\n",
    }[format]
    error = refuse_in_time(text, format, Limits(max_digits=1_000_000))
    (problem,) = error.problems
    assert problem.path == "id"
    assert problem.line == (1 if format == "json" else 2)
    assert "Exceeds the limit" not in str(error)
    assert "the limit is 4300 (the most digits Python converts" in problem.message


# -- files that are not regular files ------------------------------------------------------


def load_in_time(path: Path, unblock: Path | None = None) -> BaseException | None:
    """Load ``path`` in a thread; fail if it has not finished within :data:`BOUND`."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            load(path)
        except BaseException as error:  # handed to the test
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(BOUND)
    if thread.is_alive() and unblock is not None:  # let the reader go before failing
        with open(unblock, "wb"):
            pass
        thread.join(BOUND)
    assert outcome, f"loading {path} did not finish within {BOUND} s"
    return outcome[0]


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    error = load_in_time(fifo, unblock=fifo)
    assert isinstance(error, LoadError)
    assert str(error) == f"{fifo}: is a named pipe (FIFO), not a regular file"


def test_a_symbolic_link_to_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "plan.json"
    link.symlink_to(fifo)
    error = load_in_time(link, unblock=fifo)
    assert isinstance(error, LoadError)
    assert "is a named pipe (FIFO), not a regular file" in str(error)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_refused_before_it_is_read(tmp_path: Path) -> None:
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    for path in (Path("/dev/zero"), link):
        started = time.perf_counter()
        with pytest.raises(LoadError, match="is a character device, not a regular file"):
            read(path, format="yaml")
        assert time.perf_counter() - started < 1.0


def test_a_fifo_swapped_in_after_the_check_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open does not wait for a writer, and what was opened is checked again."""
    from egovplan import files

    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    checked: list[int] = []
    real = files._check_regular

    def first_check_passes(source: str, mode: int) -> None:
        checked.append(mode)
        if len(checked) > 1:
            real(source, mode)

    monkeypatch.setattr(files, "_check_regular", first_check_passes)
    error = load_in_time(fifo, unblock=fifo)
    assert isinstance(error, LoadError)
    assert "is a named pipe (FIFO), not a regular file" in str(error)
    assert len(checked) == 2


def test_the_command_line_refuses_a_fifo_in_bounded_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(main(["validate", str(fifo)])))
    thread.start()
    thread.join(BOUND)
    if thread.is_alive():
        with open(fifo, "wb"):
            pass
        thread.join()
    assert codes == [2]
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
