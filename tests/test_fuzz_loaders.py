"""Fuzzing the plan loaders: any bytes, any text, any mutation of a valid plan file.

The invariant, for YAML, JSON and TOML alike: :func:`egovplan.files.load` (and
:func:`~egovplan.files.loads`) either returns a :class:`~egovplan.plan.Plan` or raises a
:class:`~egovplan.errors.LoadError` whose message starts with the file's name and whose
problems each name a place: a path inside the document that
:func:`~egovplan.serialization.parse_path` reads and, in YAML and JSON, the line of any
problem with a path. Nothing else escapes: no ``KeyError`` from inside a reader, no
``RecursionError``, no ``UnicodeError``.

The mutations are the ones hand edits, OCR and spreadsheets make: lines deleted,
duplicated, swapped, re-indented or cut off; scalars replaced by hostile values
(``1E+999999999``, ``NaN``, 10,000 digits, ``31/02/2018``, ``Q5 2018``, zero-width and
non-breaking spaces, NFD text, YAML tags and aliases...); a node of the document replaced
by any JSON value.

``EGOVPLAN_FUZZ_EXAMPLES`` scales every target's ``max_examples`` (for a long run:
``EGOVPLAN_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_loaders.py
--hypothesis-show-statistics``).
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import tomli_w
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from egovplan.errors import LoadError
from egovplan.files import FORMATS, Limits, dumps, load, loads, read_document
from egovplan.plan import Plan
from egovplan.serialization import FloatText, parse_path

ROOT = Path(__file__).parent.parent
PLANS = ROOT / "tests" / "data" / "plans"
SCALE = int(os.environ.get("EGOVPLAN_FUZZ_EXAMPLES", "0"))
EXTENSIONS = {"yaml": ".yaml", "json": ".json", "toml": ".toml"}

#: Valid plans, each written in every format (their canonical text).
SEEDS: dict[str, list[str]] = {format: [] for format in FORMATS}
for _path in (PLANS / "sample-province-2018.yaml", PLANS / "sample-province-2021-2025.yaml"):
    _plan = load(_path)
    for _format in FORMATS:
        SEEDS[_format].append(dumps(_plan, _format))

#: Values that have broken parsers before, or could.
HOSTILE = [
    "1E+999999999",
    "-1E+999999999",
    "1e-999999999",
    "NaN",
    ".nan",
    "Infinity",
    "-Infinity",
    ".inf",
    "-0",
    "-0.0",
    "0",
    "-1",
    "1" * 10_000,
    "9" * 4301,
    "1" * 101,
    "100.0000001",
    "1.5",
    "1.5 VND",
    "-5 VND",
    "0 VND",
    "1E+999999999 VND",
    "NaN VND",
    "901.000.000.000 đồng",
    "901\u00a0000\u00a0000 VND",
    "901\u200b000 VND",
    "31/02/2018",
    "2018-02-31",
    "2018-13-01",
    "Q0 2018",
    "Q5 2018",
    "Quý V/2018",
    "2025-2021",
    unicodedata.normalize("NFD", "giai đoạn 2021–2025"),
    unicodedata.normalize("NFD", "Một trăm tỷ đồng"),
    "\ufeff",
    "\u200b",
    "\u00a0",
    "\x85",
    "\u2028",
    "\ud800",
    "\\ud800",
    "null",
    "~",
    "",
    "[]",
    "{}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]",
    "true",
    "yes",
    "*a",
    "&a [*a]",
    "!!python/object/apply:os.system [echo]",
    "!!binary aGVsbG8=",
    "<<: *a",
    "'unterminated",
    '"',
    "{a: 1, a: 2}",
    '{"a": 1, "a": 2}',
    "0x10",
    "1_000",
    "+1",
    "2021-07-21T10:00:00",
    "le",
    "between",
]

hostile_values = st.sampled_from(HOSTILE) | st.text(max_size=20)


def fuzz(examples: int) -> Any:
    """The settings of one fuzz target: ``examples`` unless the environment says."""
    return settings(
        max_examples=SCALE or examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


_names = itertools.count()


def check_outcome(call: Any, source: str, format: str) -> Plan | LoadError:
    """Run ``call`` (a load); only a plan or a located LoadError may come out."""
    try:
        plan = call()
    except LoadError as caught:
        check_error(caught, source, format)
        return caught
    assert isinstance(plan, Plan)
    return plan


def check_error(error: LoadError, source: str, format: str) -> None:
    message = str(error)
    assert message.startswith(f"{source}: "), message
    assert error.source == source
    assert error.problems, message
    for problem in error.problems:
        parse_path(problem.path)  # a path egovplan can read back
        assert problem.message, message
        if format in ("yaml", "json") and problem.path:
            assert problem.line is not None, (problem, message)
    assert "Traceback" not in message
    assert "\n" not in message, message  # one line (the command line prints it so)


def load_file(folder: Path, data: bytes | str, format: str) -> Plan | LoadError:
    path = folder / f"plan-{next(_names)}{EXTENSIONS[format]}"
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(data)
    try:
        return check_outcome(lambda: load(path), str(path), format)
    finally:
        path.unlink()


# -- arbitrary bytes and text ------------------------------------------------------------------


@pytest.mark.parametrize("format", FORMATS)
@fuzz(150)
@given(data=st.binary(max_size=300))
def test_any_bytes(format: str, data: bytes) -> None:
    check_outcome(lambda: loads(data, format), "<text>", format)


@pytest.mark.parametrize("format", FORMATS)
@fuzz(150)
@given(text=st.text(max_size=300))
def test_any_text(format: str, text: str) -> None:
    check_outcome(lambda: loads(text, format), "<text>", format)


# Text made of the characters the formats give meaning to: more of it gets past the parser.
_YAML_ALPHABET = st.sampled_from([*list("{}[]:,-?&*!|>'\"%@`#\n \t\\"), "a", "1", "\xa0", "é"])
_JSON_ALPHABET = st.sampled_from([*list('{}[]:,"\\ \n-+.eE0123456789'), "true", "null", "a"])
_TOML_ALPHABET = st.sampled_from([*list("[]{}=,.\"'#\n -+:_0123456789"), "a", "true", "T"])
_ALPHABETS = {"yaml": _YAML_ALPHABET, "json": _JSON_ALPHABET, "toml": _TOML_ALPHABET}


@pytest.mark.parametrize("format", FORMATS)
@fuzz(150)
@given(data=st.data())
def test_syntax_soup(format: str, data: st.DataObject) -> None:
    text = "".join(data.draw(st.lists(_ALPHABETS[format], max_size=120)))
    check_outcome(lambda: loads(text, format), "<text>", format)


# -- mutations of valid plan files -------------------------------------------------------------


def _replace_scalar(line: str, format: str, value: str) -> str:
    """``line`` with the value after its key (or its list item) replaced by ``value``."""
    separator = " = " if format == "toml" else ": "
    head, found, _ = line.partition(separator)
    if found:
        if format == "json":
            return f"{head}{found}{value},\n"
        return f"{head}{found}{value}\n"
    stripped = line.lstrip()
    if stripped.startswith("- "):
        return f"{line[: len(line) - len(stripped)]}- {value}\n"
    return f"{value}\n"


def _quoted(value: str, format: str, quote: bool) -> str:
    if not quote:
        return value
    if format == "json":
        return json.dumps(value, ensure_ascii=False)
    if format == "toml":
        return json.dumps(value)  # TOML basic strings take JSON's escapes
    return json.dumps(value, ensure_ascii=False)  # a YAML double-quoted scalar


@st.composite
def mutations(draw: st.DrawFn, format: str) -> str:
    text = draw(st.sampled_from(SEEDS[format]))
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        operation = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "scalar", "scalar", "truncate", "indent", "crlf"]
            )
        )
        if operation == "delete":
            del lines[at]
        elif operation == "duplicate":
            lines.insert(at, lines[at])
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif operation == "scalar":
            value = _quoted(draw(hostile_values), format, draw(st.booleans()))
            lines[at] = _replace_scalar(lines[at], format, value)
        elif operation == "truncate":
            joined = "".join(lines)
            cut = draw(st.integers(0, len(joined)))
            lines = joined[:cut].splitlines(keepends=True)
        elif operation == "indent":
            lines[at] = draw(st.sampled_from(["  ", " ", "\t", ""])) + lines[at].lstrip(" ")
        else:
            lines = [line.replace("\n", "\r\n") for line in lines]
    return "".join(lines)


@pytest.mark.parametrize("format", FORMATS)
@fuzz(100)
@given(data=st.data())
def test_mutated_plan_files(format: str, data: st.DataObject, folder: Path) -> None:
    text = data.draw(mutations(format))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    load_file(folder, text.encode(encoding, errors="surrogatepass"), format)


@fuzz(100)
@given(data=st.data())
def test_mutated_yaml_without_libyaml(data: st.DataObject) -> None:
    """PyYAML's pure-Python parser (where libyaml is missing) meets the same invariant."""
    text = data.draw(mutations("yaml") | st.text(max_size=200))
    with mock.patch.object(yaml, "CSafeLoader", None):
        check_outcome(lambda: loads(text, "yaml"), "<text>", "yaml")


# -- a node of the document replaced by any value -----------------------------------------------

_json_keys = st.sampled_from(["id", "amount", "value", "x", "period"])
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | hostile_values,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(_json_keys, children, max_size=3)
    ),
    max_leaves=6,
)


def _nodes(data: Any, parts: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield parts
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _nodes(value, (*parts, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _nodes(value, (*parts, index))


def _plain(data: Any) -> Any:
    """Document data as the writers of JSON, YAML and TOML take it (no FloatText)."""
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value) for value in data]
    if isinstance(data, FloatText):
        return float(data.text)
    return data


_DOCUMENTS = [_plain(read_document(text, "json")) for text in SEEDS["json"]]


def _write(data: Any, format: str) -> str | None:
    if format == "json":
        return json.dumps(data, ensure_ascii=False, indent=1)
    if format == "yaml":
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        return tomli_w.dumps(data)
    except (TypeError, ValueError, AttributeError):  # TOML: no null, a table at the top
        return None


@pytest.mark.parametrize("format", FORMATS)
@fuzz(60)
@given(data=st.data())
def test_documents_with_a_node_replaced(format: str, data: st.DataObject, folder: Path) -> None:
    document = json.loads(json.dumps(data.draw(st.sampled_from(_DOCUMENTS))))
    nodes = list(_nodes(document))
    for _ in range(data.draw(st.integers(1, 3))):
        parts = data.draw(st.sampled_from(nodes))
        value = data.draw(json_values)
        if not parts:
            document = value
            break
        parent = document
        try:
            for part in parts[:-1]:
                parent = parent[part]
            parent[parts[-1]] = value
        except (KeyError, IndexError, TypeError):  # an earlier replacement removed it
            continue
    text = _write(document, format)
    assume(text is not None)
    assert text is not None
    outcome = load_file(folder, text, format)
    if isinstance(outcome, Plan):  # what loads is a plan that writes and reads back
        assert loads(dumps(outcome, format), format) == outcome


# -- limits hold for any input ----------------------------------------------------------------


@pytest.mark.parametrize("format", FORMATS)
@fuzz(80)
@given(data=st.data())
def test_tight_limits_give_located_errors(format: str, data: st.DataObject) -> None:
    limits = Limits(
        max_bytes=data.draw(st.integers(1, 5000)),
        max_depth=data.draw(st.integers(1, 8)),
        max_items=data.draw(st.integers(1, 200)),
        max_aliases=data.draw(st.integers(1, 5)),
        max_digits=data.draw(st.integers(1, 20)),
    )
    text = data.draw(st.sampled_from(SEEDS[format]) | mutations(format))
    outcome = check_outcome(lambda: loads(text, format, limits=limits), "<text>", format)
    if isinstance(outcome, Plan):
        assert len(text.encode("utf-8")) <= limits.max_bytes
