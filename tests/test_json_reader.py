"""The fast JSON reader (msgspec) gives exactly what the standard reader gives, or steps aside.

When msgspec is installed, ``files._read_json`` (and ``loads``/``load`` of JSON bytes)
reads with msgspec's decoder and hands anything it refuses or doubts to the standard
reader (``json.loads``), which words every error. These tests hold it to that: for any
text — valid or not, with duplicate keys (also keys equal only once unescaped), escapes
of ``:``, ``NaN``, huge numbers, surrogates, deep nesting — the data (value and type,
recursively, key order included) or the error (message, paths, lines and columns) is
the same with the fast reader as with the standard one alone. The loader tests of
``test_files`` and ``test_hostile_files`` that read JSON are run here both ways too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import test_files
import test_hostile_files
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from egovplan import files, testing
from egovplan.errors import LoadError
from egovplan.files import Limits, dumps, load, loads, read, read_document
from egovplan.plan import Plan
from egovplan.serialization import FloatText

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,  # Reader: each example says which reader
    ],
)

PLANS = test_files.PLANS
SAMPLE = PLANS / "sample-province-2021-2025.json"


# -- helpers --------------------------------------------------------------------------------


def _standard() -> None:
    return None


class Reader:
    """Switches between the readers, and sees which one read.

    ``use("fast")`` is the default setup: plans go to the typed reader first
    (``files._typed_plan``), then the untyped one; ``use("untyped")`` turns the typed
    reader off; ``use("standard")`` leaves everything to ``json.loads``. ``fast_reads``
    counts reads by msgspec (typed or not), ``fast_refusals`` texts the untyped reader
    left to the standard one.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.fast_reads = 0
        self.fast_refusals = 0
        original = files._fast_json
        original_typed = files._typed_plan

        def spy(text: str | None, utf8: bytes | None) -> Any:
            data = original(text, utf8)
            if data is files._SLOW:
                self.fast_refusals += 1
            else:
                self.fast_reads += 1
            return data

        def typed_spy(utf8: bytes, limits: Limits) -> Any:
            plan = original_typed(utf8, limits)
            if plan is not None:
                self.fast_reads += 1
            return plan

        monkeypatch.setattr(files, "_fast_json", spy)
        monkeypatch.setattr(files, "_typed_plan", typed_spy)

    def use(self, kind: str) -> None:
        assert kind in ("standard", "untyped", "fast")
        self.monkeypatch.setattr(files, "_json_decoder", _standard if kind == "standard" else _FAST)
        self.monkeypatch.setattr(
            files, "_typed_plan_reader", _standard if kind == "untyped" else _TYPED
        )


_FAST = files._json_decoder
_TYPED = files._typed_plan_reader


@pytest.fixture
def reader(monkeypatch: pytest.MonkeyPatch) -> Reader:
    return Reader(monkeypatch)


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types, recursively, with keys in the same order."""
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if type(x) is not type(y):
            return False
        if type(x) is dict:
            if list(x) != list(y):
                return False
            stack.extend((x[key], y[key]) for key in x)
        elif type(x) is list:
            if len(x) != len(y):
                return False
            stack.extend(zip(x, y, strict=True))
        elif type(x) is FloatText:
            if x.text != y.text:
                return False
        elif x != y:
            return False
    return True


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """``("ok", result)`` or ``("error", (message, problems))``."""
    try:
        return ("ok", call())
    except LoadError as error:
        return ("error", (str(error), error.problems))


def same_outcome(a: tuple[str, Any], b: tuple[str, Any]) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "error":
        return bool(a[1] == b[1])
    return same(a[1], b[1])


def both_ways(reader: Reader, call: Callable[[], Any]) -> tuple[tuple[str, Any], tuple[str, Any]]:
    """The outcomes of ``call`` with the standard reader and with the fast ones.

    With the typed reader off, the outcome must be the fast one too (checked here);
    the counts of ``reader`` are those of the standard and the fast run.
    """
    reader.use("standard")
    standard = outcome(call)
    counts = reader.fast_reads, reader.fast_refusals
    reader.use("untyped")
    untyped = outcome(call)
    reader.fast_reads, reader.fast_refusals = counts
    reader.use("fast")
    fast = outcome(call)
    assert same_outcome(untyped, fast)
    if untyped[0] == "ok" and isinstance(untyped[1], Plan):  # (data may nest too deep)
        assert repr(untyped[1]) == repr(fast[1])
    return standard, fast


# -- JSON texts, valid and not ---------------------------------------------------------------

_STRING_PIECES = st.sampled_from(
    [
        "a",
        "b",
        ":",
        " ",
        "é",
        "ệ",
        "😀",
        "\x7f",
        "\\u0061",
        "\\u003a",
        "\\u003A",
        "\\u0030",
        "\\u00e9",
        '\\"',
        "\\\\",
        "\\\\u003a",
        "\\n",
        "\\/",
        "\\t",
        "\\u0000",
        "\\ud83d\\ude00",
        "\\uD83D\\uDE00",
        "\\ud800",
        "\\udc00",
        "\\ud83d",
        "\\ud800\\u0041",
        "\\x",
        "\t",
        "\x01",
    ]
)
_STRINGS = st.lists(_STRING_PIECES, max_size=5).map(lambda pieces: '"' + "".join(pieces) + '"')
_KEYS = st.sampled_from(['"a"', '"\\u0061"', '"b"', '":"', '"\\u003a"', '"a:"', '""']) | _STRINGS
_INTEGERS = st.integers(-(10**30), 10**30).map(str) | st.sampled_from(
    ["0", "-0", "01", "-", "9223372036854775808", "-9223372036854775809", "1" * 400]
)
_FLOATS = st.sampled_from(
    [
        "1.5",
        "-0.0",
        "84.10",
        "1e5",
        "1E+5",
        "2.5e-3",
        "1e400",
        "-1e-400",
        "1e99999",
        "0." + "1" * 400,
        "1.",
        ".5",
        "+1",
        "1e",
        "NaN",
        "Infinity",
        "-Infinity",
        "nan",
    ]
)
_LITERALS = st.sampled_from(["true", "false", "null", "tru", "None"])
_WS = st.sampled_from(["", "", " ", "\n", "\t", "\r\n", "  ", "\x0c", "\u00a0"])


@st.composite
def _spaced(draw: st.DrawFn, token: str) -> str:
    return draw(_WS) + token + draw(_WS)


def _arrays(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(children.flatmap(lambda c: _spaced(c)), max_size=4).map(
        lambda items: "[" + ",".join(items) + "]"
    )


@st.composite
def _member(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
    return draw(_spaced(draw(_KEYS))) + ":" + draw(_spaced(draw(children)))


def _objects(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(_member(children), max_size=4).map(
        lambda members: "{" + ",".join(members) + "}"
    )


_VALUES = st.recursive(
    _STRINGS | _INTEGERS | _FLOATS | _LITERALS,
    lambda children: _arrays(children) | _objects(children),
    max_leaves=12,
)


@st.composite
def json_texts(draw: st.DrawFn) -> str:
    """A JSON text, sometimes broken by one edit."""
    text = draw(_spaced(draw(_VALUES)))
    edit = draw(st.sampled_from(["none", "none", "none", "delete", "insert", "cut"]))
    if edit != "none" and text:
        at = draw(st.integers(0, len(text) - 1))
        if edit == "delete":
            text = text[:at] + text[at + 1 :]
        elif edit == "insert":
            text = text[:at] + draw(st.sampled_from(list('{}[],:"\\0x \x00'))) + text[at:]
        else:
            text = text[:at]
    return text


# -- the data: value for value, type for type -------------------------------------------------


@SETTINGS
@given(json_texts())
@example('{"a": 1, "a": 2}')
@example('{"a": 1, "\\u0061": 2}')
@example('{"\\u003a": 1, ":": 2}')
@example('{":": 1, "\\u003a": 2}')
@example('{"a:": 1, "a\\u003a": 2}')
@example('{"a": 1, "a": 2, "b": "\\u003a"}')  # one ':' lost, one gained: counts equal
@example('{"a": 1, "a": 2, "\\u003A": 3}')
@example('{"x": {"a": 1, "a": 2}, "x": 3}')
@example('{"x": {"b": 1}, "x": {"b": 1}}')
@example('[{"a": 1}, {"a": 1, "b": {"a": 2, "a": 3}}]')
@example('{"a": NaN, "b": Infinity, "c": -Infinity}')
@example('{"a": "\\ud800"}')
@example('{"\\udc00": 1}')
@example('"\\ud83d\\ude00"')
@example('{"a": 1' + "0" * 5000 + "}")
@example('{"a": 1.' + "0" * 5000 + "}")
@example("[1e400, -0, -0.0, 12345678901234567890123]")
@example('  {"a" : [ true , false , null ] }  ')
@example('{"a": "x\ty"}')
@example("\ufeff{}")
@example("[] []")
@example(" ")
def test_the_data_is_the_standard_readers(reader: Reader, text: str) -> None:
    limits = Limits()
    standard, fast = both_ways(reader, lambda: files._read_json(text, "<text>", limits))
    assert same_outcome(standard, fast), (standard, fast)
    # Through the bytes of a file too (msgspec then reads the bytes as they are).
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return
    standard, fast = both_ways(reader, lambda: read_document(data, "json"))
    assert same_outcome(standard, fast), (standard, fast)
    # And as a plan: loads of bytes reads without making the text unless it must.
    standard, fast = both_ways(reader, lambda: loads(data, "json"))
    assert same_outcome(standard, fast), (standard, fast)


def _standard_only(data: Any) -> bool:
    """Whether data holds what only the standard reader reads (NaN, lone surrogates)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            stack.extend(value.values())
            stack.extend(value.keys())
        elif type(value) is list:
            stack.extend(value)
        elif type(value) is FloatText:
            if value.text in ("NaN", "Infinity", "-Infinity"):
                return True
        elif type(value) is str and any("\ud800" <= char <= "\udfff" for char in value):
            return True
    return False


@SETTINGS
@given(json_texts())
def test_the_fast_reader_reads_what_it_can(reader: Reader, text: str) -> None:
    """It steps aside only for errors, NaN and Infinity, lone surrogates and ``\\u003a``."""
    reader.use("standard")
    standard = outcome(lambda: files._read_json(text, "<text>", Limits()))
    reader.use("fast")
    fast = files._fast_json(text, None)
    if standard[0] == "error" or _standard_only(standard[1]):
        assert fast is files._SLOW
    elif files._COLON_ESCAPE.search(text.encode("utf-8")) is None:
        assert fast is not files._SLOW


@pytest.mark.parametrize(
    ("text", "fast"),
    [
        ('{"a": 1, "b": [1, 2.5, "x:y"]}', True),
        ('{"a": 1, "a": 2}', False),
        ('{"a": 1, "\\u0061": 2}', False),
        ('{"a": {"b": 1, "b": 1}}', False),
        ('{"a": "\\u003a"}', False),  # a ':' escaped: the counts would not say
        ('{"a": 1, "a": 2, "b": "\\u003a"}', False),  # ... here, that "a" is given twice
        ('{"a": "\\u0030"}', True),  # another escape of that row is fine
        ('{"a": NaN}', False),
        ('{"a": "\\ud800"}', False),
        ('{"a": ' + "1" * 5000 + "}", False),
        ("{", False),
    ],
)
def test_when_the_fast_reader_steps_aside(reader: Reader, text: str, fast: bool) -> None:
    reader.use("fast")
    assert (files._fast_json(text, None) is not files._SLOW) is fast
    standard, fast_outcome = both_ways(reader, lambda: files._read_json(text, "<t>", Limits()))
    assert same_outcome(standard, fast_outcome)


def test_a_str_that_is_not_unicode_goes_to_the_standard_reader(reader: Reader) -> None:
    text = '{"a": "\ud800"}'  # a lone surrogate in the str itself: no UTF-8 for it
    reader.use("fast")
    assert files._fast_json(text, None) is files._SLOW
    standard, fast = both_ways(reader, lambda: files._read_json(text, "<t>", Limits()))
    assert standard[0] == "ok"
    assert same_outcome(standard, fast)


def test_integers_beyond_what_python_converts_are_left_to_the_standard_reader(
    reader: Reader,
) -> None:
    limit = sys.get_int_max_str_digits()
    try:
        sys.set_int_max_str_digits(700)
        text = '{"a": ' + "7" * 701 + "}"
        reader.use("fast")
        assert files._fast_json(text, None) is files._SLOW
        standard, fast = both_ways(reader, lambda: read_document(text.encode(), "json"))
        assert standard[0] == "error"
        assert same_outcome(standard, fast)
    finally:
        sys.set_int_max_str_digits(limit)


@pytest.mark.parametrize("open_", ["[", '{"a": '])
def test_nesting_at_the_interpreters_limit(reader: Reader, open_: str) -> None:
    """The fast reader gives up on depth before the standard one would."""
    close = "]" if open_ == "[" else "}"

    def document(depth: int) -> bytes:
        return (open_ * depth + "1" + close * depth).encode()

    def refused(depth: int) -> bool:
        reader.use("standard")
        return outcome(lambda: read_document(document(depth), "json"))[0] == "error"

    # The standard reader's limit (1,000 frames on 3.11, 1,500 on 3.12, 10,000 on 3.13).
    low, high = 1, 2
    while not refused(high):
        low, high = high, high * 2
    while high - low > 1:  # refused(high), not refused(low)
        middle = (low + high) // 2
        low, high = (low, middle) if refused(middle) else (middle, high)
    limit = high
    # Python 3.11 spends one unit of depth per frame, 3.12 and later two (see _at_depth).
    margin = 2 * files._JSON_FRAMES + 4
    for depth in [1, 10, limit // 2, *range(limit - margin - 4, limit + 4)]:
        reader.fast_reads = 0
        standard, fast = both_ways(
            reader, lambda depth=depth: read_document(document(depth), "json")
        )
        assert same_outcome(standard, fast), depth
        assert standard[0] == ("error" if depth >= limit else "ok"), depth
        if depth >= limit:
            assert "nested" in standard[1][0]
            assert reader.fast_reads == 0, depth
        elif depth < limit - margin:
            assert reader.fast_reads == 1, depth


# -- plans: loads, load, read and read_document agree both ways --------------------------------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(testing.plans())
def test_generated_plans_load_the_same_both_ways(reader: Reader, plan: Plan) -> None:
    text = dumps(plan, "json")
    for call in (
        lambda: loads(text.encode(), "json"),
        lambda: loads(text, "json"),
        lambda: read_document(text.encode(), "json"),
    ):
        reader.fast_reads = 0
        standard, fast = both_ways(reader, call)
        assert standard[0] == "ok"
        assert same_outcome(standard, fast)
        assert repr(standard[1]) == repr(fast[1])
        assert reader.fast_reads == 1


def test_files_load_the_same_both_ways(reader: Reader, tmp_path: Path) -> None:
    paths = sorted(PLANS.glob("*.json"))
    assert paths
    for path in paths:
        reader.fast_reads = 0
        standard, fast = both_ways(reader, lambda path=path: load(path))
        assert standard[0] == "ok"
        assert repr(standard[1]) == repr(fast[1])
        assert reader.fast_reads == 1
        standard, fast = both_ways(reader, lambda path=path: read(path))
        assert standard == fast


BAD_PLANS = [
    # a problem the converter finds: its line and column come from the text, made on demand
    '{"format_version": 1, "id": "p", "metadata": {"kind": "plan", "title": "P"},\n'
    ' "period": "2018", "horizon": "2020"}',
    '{"format_version": 1, "id": "p", "metadata": {"kind": "plan", "title": "P"},\n'
    ' "period": "2018", "id": "q"}',
    '{"format_version": 1, "id": "p", "metadata": {"kind": "plan", "title": "P",'
    ' "title": "Q"}, "period": "2018"}',
    '{"format_version": 1, "id": "p", "metadata": {"kind": "plan", "title": "P"},\n'
    ' "period": "2018", "horizon": 1.5e3}',
    '{"format_version": 1, "id": "p", "metadata": {"kind": "plan", "title": "P"},\n'
    ' "period": "2018", "horizon": NaN}',
    '{"format_version": 1, "id": "p\\ud800", "metadata": {"kind": "plan", "title": "P"},\n'
    ' "period": "2018"}',
    '{"format_version": 1, "id": "p", "metadata": {"kind": "plan", "title": "P"},\n'
    ' "period": "2018",}',
    "[]",
    "   ",
    "",
]


@pytest.mark.parametrize("text", BAD_PLANS)
def test_bad_plans_give_the_same_errors_both_ways(
    reader: Reader, text: str, tmp_path: Path
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    for call in (
        lambda: loads(text.encode(), "json"),
        lambda: loads(text, "json") if text.strip() else loads(text + "\n", "json"),
        lambda: load(path),
        lambda: read(path),
    ):
        standard, fast = both_ways(reader, call)
        assert standard[0] == "error"
        assert standard == fast


@pytest.mark.parametrize(
    "data",
    [
        b'\xef\xbb\xbf{"a": 1}',  # UTF-8 with a byte-order mark
        '{"a": "\u1ec7"}'.encode("utf-16"),
        b'{"a": "\xff"}',  # not UTF-8
        b'{"a": "\x00"}',
        b'\x00{"a": 1}',
        b'{"a": 1}\n',
    ],
)
def test_bytes_the_fast_reader_does_not_take_as_they_are(reader: Reader, data: bytes) -> None:
    for call in (lambda: loads(data, "json"), lambda: read_document(data, "json")):
        standard, fast = both_ways(reader, call)
        assert same_outcome(standard, fast)


def test_which_bytes_go_to_msgspec_as_they_are() -> None:
    limits = Limits()
    assert files._fast_bytes(b'{"a": 1}', "json", limits)
    assert files._fast_bytes(b'{"a": 1}', "JSON", limits)
    assert not files._fast_bytes(b'{"a": 1}', "yaml", limits)
    assert not files._fast_bytes(b'\xef\xbb\xbf{"a": 1}', "json", limits)
    assert not files._fast_bytes(b'\xff\xfe{\x00"\x00', "json", limits)
    assert not files._fast_bytes(b'{"a": "\x00"}', "json", limits)
    assert not files._fast_bytes(b'{"a": 1}', "json", Limits(max_bytes=7))
    # Past the bound by length (1 + len // 2), the separators are counted: a large plan
    # within Limits.max_items is read the fast way, one that may hold more is not.
    assert files._fast_bytes(b'{"a": 1}', "json", Limits(max_items=2))
    assert not files._fast_bytes(b'{"a": 1}', "json", Limits(max_items=1))
    assert files._fast_bytes(b"[1,2,3,4,5]", "json", Limits(max_items=6))
    assert not files._fast_bytes(b"[1,2,3,4,5]", "json", Limits(max_items=5))


def test_a_format_error_still_comes_after_a_decoding_error(reader: Reader) -> None:
    for data in (b'{"a": 1}', b"\xff"):
        standard, fast = both_ways(reader, lambda data=data: loads(data, "jsn"))
        assert standard[0] == "error"
        assert standard == fast


# -- the loader tests of the other files, with the fast reader off -----------------------------


@pytest.fixture(params=["fast", "untyped", "standard"])
def either_reader(request: pytest.FixtureRequest, reader: Reader) -> Iterator[Reader]:
    reader.use(request.param)
    yield reader
    if request.param != "standard":
        assert reader.fast_reads + reader.fast_refusals > 0  # it was asked


def test_file_tests_both_ways(either_reader: Reader, tmp_path: Path) -> None:
    test_files.test_the_same_plan_in_every_format()
    test_files.test_sources_paths_and_text(tmp_path)
    test_files.test_plan_files_point_into_the_text()
    test_files.test_json_problems_have_lines_and_columns()
    test_files.test_syntax_errors_have_positions('{"a": 1,}\n', "json", "is not valid JSON", 1)
    test_files.test_duplicate_keys_are_errors()
    test_files.test_toml_and_json_numbers()
    test_files.test_bad_bytes_are_located()
    test_files.test_nesting_is_limited()
    test_files.test_aliases_and_items_are_limited()
    test_files.test_huge_numbers_are_refused()


def test_hostile_file_tests_both_ways(either_reader: Reader, tmp_path: Path) -> None:
    for index, test in enumerate(
        [
            test_hostile_files.test_json_nested_deeper_than_python_reads,
            test_hostile_files.test_objectives_nested_deeper_than_the_limit_in_json,
            test_hostile_files.test_a_10000_digit_integer_in_json_and_toml,
            test_hostile_files.test_minus_zero_and_zero_amounts_are_valid,
            test_hostile_files.test_duplicate_keys_are_errors_not_last_one_wins,
            test_hostile_files.test_nfd_vietnamese_parses_as_nfc,
        ]
    ):
        folder = tmp_path / str(index)
        folder.mkdir()
        test(folder)


# -- packaging ---------------------------------------------------------------------------------


def test_importing_egovplan_does_not_import_msgspec() -> None:
    code = textwrap.dedent(
        """
        import sys
        import egovplan, egovplan.files
        from egovplan.errors import LoadError
        assert "msgspec" not in sys.modules
        try:
            egovplan.loads(b'{"a": 1}', "json")
        except LoadError:
            pass
        print("msgspec" in sys.modules)
        """
    )
    src = str(Path(files.__file__).parent.parent)
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": src},
    )
    assert result.stdout.strip() == "True"  # imported on the first JSON read, not before


def test_integers_never_become_float_text() -> None:
    assert files._float_text("1.50") == FloatText("1.50")
    assert files._float_text("1E5") == FloatText("1E5")
    with pytest.raises(files._NotAFloat):
        files._float_text("123456789012345678901234567890")  # an older msgspec's "float"


def test_without_msgspec_or_with_one_too_old(monkeypatch: pytest.MonkeyPatch) -> None:
    """The standard reader reads everything: the same plan, no error."""
    plan = loads(SAMPLE.read_bytes(), "json")
    files._json_decoder.cache_clear()
    monkeypatch.setitem(sys.modules, "msgspec", None)  # import msgspec: ImportError
    try:
        assert files._json_decoder() is None
        assert repr(loads(SAMPLE.read_bytes(), "json")) == repr(plan)
    finally:
        files._json_decoder.cache_clear()
    monkeypatch.delitem(sys.modules, "msgspec")
    assert files._json_decoder() is not None


def test_the_decoder_is_built_once() -> None:
    assert files._json_decoder() is files._json_decoder()
    assert files._json_decoder() is not None  # msgspec is installed where the tests run
