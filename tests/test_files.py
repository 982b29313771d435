"""Plan files: formats, canonical layout, safety limits, positions, atomic writes."""

from __future__ import annotations

import codecs
import functools
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan import files, testing
from egovplan.document import PlanMetadata
from egovplan.errors import FieldValueError, LoadError, WriteError
from egovplan.files import (
    FormatError,
    Limits,
    PlanFile,
    dump,
    dumps,
    format_of,
    load,
    loads,
    read,
    read_document,
    write_text,
)
from egovplan.period import Period
from egovplan.plan import Plan, Section
from egovplan.serialization import FloatText

PLANS = Path(__file__).parent / "data" / "plans"
EXAMPLES = sorted(p for p in PLANS.iterdir() if p.suffix in (".yaml", ".json", ".toml"))
SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

MINIMAL_YAML = """\
format_version: 1
id: p
metadata:
  kind: plan
  title: Kế hoạch
period: 2021-2025
"""


def load_error(text: str | bytes, format: str = "yaml", **kwargs: Any) -> LoadError:
    with pytest.raises(LoadError) as caught:
        loads(text, format, **kwargs)
    return caught.value


def only_problem(error: LoadError) -> tuple[str, str, int | None, int | None]:
    (problem,) = error.problems
    return problem.path, problem.message, problem.line, problem.column


def plan_with(**fields: Any) -> Plan:
    return Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="Kế hoạch"),
        period=Period.years(2021, 2025),
        **fields,
    )


# -- the example files and the canonical layout ---------------------------------------------


def test_there_are_examples_in_every_format() -> None:
    assert {p.suffix for p in EXAMPLES} == {".yaml", ".json", ".toml"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_canonical_files_are_reproduced_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    plan = load(path)
    assert dumps(plan, format_of(path)) == text
    assert plan.validate().ok


def test_the_same_plan_in_every_format() -> None:
    plans = [load(PLANS / f"sample-province-2021-2025.{ext}") for ext in ("yaml", "json", "toml")]
    assert plans[0] == plans[1] == plans[2]
    assert str(plans[0].funding.total) == "901000000000 VND"


@SETTINGS
@given(testing.plans())
def test_load_dump_load_gives_an_equal_plan_in_every_format(plan: Plan) -> None:
    for format in files.FORMATS:
        text = dumps(plan, format)
        again = loads(text, format)
        assert again == plan
        assert dumps(again, format) == text


@SETTINGS
@given(testing.plans())
def test_libyaml_and_pure_python_write_the_same_yaml(plan: Plan) -> None:
    data = files.to_dict(plan)
    options: dict[str, Any] = {
        "allow_unicode": True,
        "sort_keys": False,
        "default_flow_style": False,
        "width": 1_000_000,
        "indent": 2,
    }
    c = yaml.dump(data, Dumper=files._yaml_dumper(), **options)
    pure = yaml.dump(data, Dumper=files._yaml_dumper(pure=True), **options)
    assert c == pure == dumps(plan, "yaml")


#: Text that YAML may or may not hold: lone surrogates among letters, spaces, line breaks.
yaml_texts = st.lists(
    st.sampled_from(["\ud800", "\udfff", "\udc80", "đ", "a", " ", "\u2028", "\n", "😀"])
    | st.characters(codec="utf-8"),
    min_size=1,
    max_size=8,
).map("".join)


def _emitter(patch: pytest.MonkeyPatch, pure: bool) -> None:
    """Write YAML with PyYAML's own emitter (``pure``) or with libyaml's."""
    patch.setattr(files, "_yaml_dumper", functools.partial(files._yaml_dumper, pure=pure))


@SETTINGS
@given(yaml_texts, st.booleans())
def test_yaml_writes_a_text_exactly_when_it_is_unicode_with_either_emitter(
    title: str, pure: bool
) -> None:
    try:
        plan = Plan(
            id="p", metadata=PlanMetadata(kind="plan", title=title), period=Period.year(2021)
        )
    except ValueError:
        return  # a title the model refuses (blank, spaces around it)
    lone = any("\ud800" <= char <= "\udfff" for char in title)
    with pytest.MonkeyPatch.context() as patch:
        _emitter(patch, pure)
        if lone:
            # libyaml fails on a lone surrogate and PyYAML would write it as "\uD800":
            # both are refused alike, naming where, never a bare UnicodeEncodeError.
            message = r"cannot be written as UTF-8: metadata\.title has an unpaired surrogate"
            with pytest.raises(FieldValueError, match=message):
                dumps(plan, "yaml")
            with pytest.raises(FieldValueError, match=message):
                files.dumpb(plan, "yaml")
        else:
            text = dumps(plan, "yaml")
            assert loads(text, "yaml") == plan
            assert files.dumpb(plan, "yaml") == text.encode("utf-8")


TRICKY = [
    "yes",
    "no",
    "on",
    "null",
    "~",
    "true",
    "010",
    "1e3",
    "1.5",
    ".inf",
    "2021-07-21",
    "12:30",
    ">= 90",
    "- item",
    "a: b",
    "#not a comment",
    "  padded  ",
    "line\nbreak",
    "trailing\n",
    "\n\nleading",
    "tab\there",
    "quote ' and \"",
    "back\\slash",
    "é\u2028x",
    "\x85",
    "a\u2029b",
    "\x07bell",
    "\x00nul",
    "\ufeffbom",
    "emoji 😀",
    "Ð đ Đ",
    "[x]",
    "{y}",
    "*ref",
    "&anchor",
    "!tag",
    "%percent",
    "@at",
    "`tick",
    "|",
    ">",
    "",
    " ",
]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("format", files.FORMATS)
def test_any_text_survives_every_format(text: str, format: str) -> None:
    plan = plan_with(sections=(Section(title="x", text=text),))
    assert loads(dumps(plan, format), format) == plan


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30))
def test_generated_text_survives_every_format(text: str) -> None:
    plan = plan_with(sections=(Section(title="t", text=text),))
    for format in files.FORMATS:
        written = dumps(plan, format)
        assert loads(written, format) == plan
        assert dumps(loads(written, format), format) == written


@pytest.mark.parametrize("text", TRICKY)
def test_the_pure_python_yaml_parser_reads_the_same(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = plan_with(sections=(Section(title="x", text=text),))
    written = dumps(plan, "yaml")
    monkeypatch.setattr(yaml, "CSafeLoader", None, raising=False)
    assert loads(written, "yaml") == plan


# -- what load() reads -----------------------------------------------------------------------


def test_sources_paths_and_text(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(MINIMAL_YAML, encoding="utf-8")
    assert load(path).id == "p"
    assert load(str(path)).id == "p"
    assert load(MINIMAL_YAML, "yaml").id == "p"  # a str with a line break is text
    assert load(MINIMAL_YAML.encode(), "yaml").id == "p"
    assert loads(MINIMAL_YAML.encode("utf-16"), "yaml").id == "p"
    assert load(tmp_path / "plan.yaml", "yaml").id == "p"
    assert "say which format" in str(load_error_of(lambda: load(MINIMAL_YAML)))
    assert "no such file" in str(load_error_of(lambda: load(str(tmp_path / "nope.yaml"))))
    one_line = json.dumps(json.loads(dumps(load(path), "json")))
    error = load_error_of(lambda: load(one_line))
    assert "use egovplan.loads" in str(error)
    assert loads(one_line, "json").id == "p"
    with pytest.raises(TypeError):
        load(42)  # type: ignore[arg-type]


def load_error_of(call: Any) -> LoadError:
    with pytest.raises(LoadError) as caught:
        call()
    return caught.value


def test_formats_come_from_extensions(tmp_path: Path) -> None:
    assert format_of("a.yml") == format_of("b.YAML") == "yaml"
    assert format_of(Path("c.json")) == "json"
    assert format_of("d.toml") == "toml"
    with pytest.raises(FormatError, match="from its extension"):
        format_of("plan.txt")
    odd = tmp_path / "plan.txt"
    odd.write_text(MINIMAL_YAML, encoding="utf-8")
    assert "cannot tell the format" in str(load_error_of(lambda: load(odd)))
    assert load(odd, "yaml").id == "p"
    assert "unknown format 'xml'" in str(load_error_of(lambda: loads(MINIMAL_YAML, "xml")))
    with pytest.raises(FormatError):
        dumps(load(odd, "yaml"), "xml")


def test_plan_files_point_into_the_text() -> None:
    planfile = read(PLANS / "sample-province-2021-2025.yaml")
    assert isinstance(planfile, PlanFile)
    text = planfile.text.splitlines()
    line, column = planfile.locate("funding.sources[1].amount")  # type: ignore[misc]
    assert text[line - 1][column - 1 :] == "amount: 150000000000 VND"[len("amount: ") :]
    line, column = planfile.locate("objectives[1].targets[0].by_level[1].value")  # type: ignore[misc]
    assert text[line - 1][column - 1 :] == "80"
    # a path that is not there: its deepest part that is
    assert planfile.locate("funding.sources[2].category") == planfile.locate("funding.sources[2]")
    assert planfile.locate("") is None
    json_file = read(PLANS / "sample-province-2021-2025.json")
    lines = json_file.text.splitlines()
    line, column = json_file.locate("funding.sources[1].amount")  # type: ignore[misc]
    assert lines[line - 1][column - 1 :] == '"150000000000 VND",'
    assert read(PLANS / "sample-province-2021-2025.toml").locate("funding.total") is None


# -- errors with positions -------------------------------------------------------------------


def test_yaml_problems_have_lines_and_columns() -> None:
    text = MINIMAL_YAML + "horizon: '2030'\nfunding:\n  total: 1.5\n"
    error = load_error(text)
    assert [(p.path, p.line, p.column) for p in error.problems] == [
        ("horizon", 7, 10),
        ("funding.total", 9, 10),
    ]


def test_json_problems_have_lines_and_columns() -> None:
    data = json.loads(dumps(load(PLANS / "sample-province-2021-2025.json"), "json"))
    data["funding"]["sources"][2]["amount"] = 81.5
    text = json.dumps(data, indent=1, ensure_ascii=False)
    error = load_error(text, "json")
    path, message, line, column = only_problem(error)
    assert path == "funding.sources[2].amount"
    assert "81.5 VND" in message
    assert text.splitlines()[line - 1][column - 1 :] == "81.5,"  # type: ignore[index, operator]


@pytest.mark.parametrize(
    ("text", "format", "message", "line"),
    [
        ("a: [1, 2\n", "yaml", "is not valid YAML", 2),
        ("a: b\n c: d\n", "yaml", "is not valid YAML", 2),
        ('{"a": 1,}\n', "json", "is not valid JSON", 1),
        ("a = \n", "toml", "is not valid TOML", 1),
        ("a = 1\na = 2\n", "toml", "is not valid TOML", 2),
    ],
)
def test_syntax_errors_have_positions(text: str, format: str, message: str, line: int) -> None:
    _, found, at, _ = only_problem(load_error(text, format))
    assert message in found
    assert at == line


def test_duplicate_keys_are_errors() -> None:
    error = load_error(MINIMAL_YAML + "id: q\n")
    assert only_problem(error) == ("id", "the key 'id' is given twice in this mapping", 7, 1)
    nested = load_error(MINIMAL_YAML.replace("  title: Kế hoạch\n", "  title: A\n  title: B\n"))
    assert only_problem(nested)[:3] == (
        "metadata.title",
        "the key 'title' is given twice in this mapping",
        6,
    )
    text = (
        '{"format_version": 1,\n "id": "p",\n "metadata": {"kind": "plan", "kind": "x"},\n'
        ' "id": "q"}'
    )
    error = load_error(text, "json")
    assert [(p.path, p.line, p.column) for p in error.problems] == [
        ("metadata.kind", 3, 31),
        ("id", 4, 2),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("!!python/object:os.system {}", "the tag tag:yaml.org,2002:python/object:os.system"),
        ("a: !!binary aGVsbG8=", "the tag tag:yaml.org,2002:binary is not allowed"),
        ("a: !custom x", "the tag !custom is not allowed"),
        ("a: !!int x", "'x' is not a valid !!int"),
        ("? [a]\n: b\n", "a key must be text, not a mapping or a list"),
        ("1: b\n", "a key must be text, not the number 1; put it in quotes"),
        ("a: *nowhere\n", "the alias *nowhere names no anchor defined before it"),
        ("a: &x [1, *x]\n", "the alias *x refers to a node that contains it"),
        ("a: 1\n---\nb: 2\n", "holds more than one YAML document"),
        ("# only a comment\n", "is empty"),
        ("---\n...\n", "a plan document must be a mapping of fields, not nothing (null)"),
    ],
)
def test_yaml_documents_egovplan_refuses(text: str, message: str) -> None:
    assert message in str(load_error(text))


def test_yaml_scalars_follow_yaml_1_2() -> None:
    data = read_document(
        "a: yes\nb: no\nc: on\nd: 010\ne: 2021-07-21\nf: 1.5\ng: ~\nh: true\ni: 1e3\nj: '1.5'\n"
        "k: !!str 12\nl: !!float 2\nm: .inf\nn: 12:30\n",
        "yaml",
    )
    assert data == {
        "a": "yes",
        "b": "no",
        "c": "on",
        "d": 10,
        "e": "2021-07-21",
        "f": FloatText("1.5"),
        "g": None,
        "h": True,
        "i": FloatText("1e3"),
        "j": "1.5",
        "k": "12",
        "l": FloatText("2"),
        "m": FloatText(".inf"),
        "n": "12:30",
    }
    anchors = read_document("a: &x {b: 1}\nc: *x\n", "yaml")
    assert anchors == {"a": {"b": 1}, "c": {"b": 1}}


def test_toml_and_json_numbers() -> None:
    assert read_document("a = 1.5\nb = 2021-07-21\nc = 2", "toml") == {
        "a": FloatText("1.5"),
        "b": __import__("datetime").date(2021, 7, 21),
        "c": 2,
    }
    assert read_document('{"a": 1.50, "b": NaN, "c": 3}\n', "json") == {
        "a": FloatText("1.50"),
        "b": FloatText("NaN"),
        "c": 3,
    }
    toml_plan = (
        'format_version = 1\nid = "p"\nperiod = "2021-2025"\n'
        '[metadata]\nkind = "plan"\ntitle = "T"\ndate = 2021-07-21\n'
    )
    assert str(loads(toml_plan, "toml").metadata.date) == "2021-07-21"
    error = load_error(toml_plan + "[funding]\ntotal = 1.5\n", "toml")
    assert 'like "1.5 VND"' in only_problem(error)[1]


# -- decoding ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        MINIMAL_YAML.encode("utf-8"),
        codecs.BOM_UTF8 + MINIMAL_YAML.encode("utf-8"),
        MINIMAL_YAML.encode("utf-16"),
        codecs.BOM_UTF16_BE + MINIMAL_YAML.encode("utf-16-be"),
        codecs.BOM_UTF16_LE + MINIMAL_YAML.encode("utf-16-le"),
    ],
)
def test_encodings_that_are_read(encoded: bytes, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(encoded)
    assert load(path).metadata.title == "Kế hoạch"


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        (MINIMAL_YAML.encode("utf-32"), "is UTF-32 text; save it as UTF-8"),
        ("title: café\n".encode("cp1252"), "is not UTF-8 text"),
        ("format_version: 1\n".encode("utf-16-le"), "looks like UTF-16 text without a byte-order"),
        (b"\x00\x01\x02binary", "contains NUL characters"),
        (bytes(range(256)), "is not UTF-8 text"),
        (b"", "is empty"),
        (b" \n\t\n", "is empty"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "is not UTF-16 text"),
    ],
)
def test_encodings_that_are_refused(encoded: bytes, message: str, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(encoded)
    error = load_error_of(lambda: load(path))
    assert message in str(error)
    assert str(error).startswith(str(path))


def test_bad_bytes_are_located() -> None:
    _, message, line, column = only_problem(load_error(b"a: b\nc: d\xe9f\n"))
    assert "byte 0xe9" in message
    assert (line, column) == (2, 5)


def test_unreadable_paths(tmp_path: Path) -> None:
    assert "is a directory" in str(load_error_of(lambda: load(tmp_path)))
    assert "no such file" in str(load_error_of(lambda: load(tmp_path / "x.yaml")))
    secret = tmp_path / "secret.yaml"
    secret.write_text(MINIMAL_YAML, encoding="utf-8")
    secret.chmod(0)
    try:
        if os.access(secret, os.R_OK):  # running as root: permissions do not apply
            assert load(secret).id == "p"
        else:
            assert "permission denied" in str(load_error_of(lambda: load(secret)))
    finally:
        secret.chmod(0o600)


# -- limits ------------------------------------------------------------------------------------


def test_the_size_is_checked_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(2 * 1024 * 1024)  # sparse: nothing is really written
    error = load_error_of(lambda: load(huge, limits=Limits(max_bytes=1024 * 1024)))
    assert "is 2097152 bytes; the limit is 1048576 (Limits.max_bytes)" in str(error)
    small = Limits(max_bytes=50)
    assert "larger than the limit of 50 bytes" in str(load_error(MINIMAL_YAML * 2, limits=small))


def test_nesting_is_limited() -> None:
    deep = "a: " + "[" * 100 + "]" * 100 + "\n"
    assert "nested deeper than 64 levels" in str(load_error(deep))
    assert "nested deeper than 5 levels" in str(
        load_error("a: [[[[[1]]]]]", limits=Limits(max_depth=5))
    )
    very_deep = "[" * 100_000 + "]" * 100_000
    assert "nested deeper than 64 levels" in str(load_error(very_deep, "json"))
    assert "nested too deeply" in str(load_error("a = " + "[" * 100_000 + "]" * 100_000, "toml"))


def test_aliases_and_items_are_limited() -> None:
    laughs = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        laughs.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    bomb = "\n".join(laughs) + "\n"
    error = load_error(bomb)  # 9**9 items from 72 aliases
    assert "more than 20000000 items" in str(error)
    many = "a: &a x\nb: [" + ", ".join(["*a"] * 101) + "]\n"
    assert "more than 100 aliases" in str(load_error(many))
    assert "more than 200 aliases" not in str(load_error(many, limits=Limits(max_aliases=200)))
    few = Limits(max_items=10)
    assert "more than 10 items" in str(
        load_error("a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]", limits=few)
    )
    assert "more than 10 items" in str(
        load_error(json.dumps({"a": list(range(20))}), "json", limits=few)
    )
    assert "more than 10 items" in str(load_error("a = [" + "1," * 20 + "]", "toml", limits=few))
    # the bound on separators is not the count: text with many commas is fine
    commas = json.dumps(
        {
            "format_version": 1,
            "id": "p" + "," * 50,
            "metadata": {"kind": "plan", "title": "T"},
            "period": 2018,
        }
    )
    assert loads(commas, "json", limits=few).id.endswith(",")


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Limits(max_items=0)
    with pytest.raises(TypeError, match="must be int"):
        Limits(max_bytes="1")  # type: ignore[arg-type]


def test_huge_numbers_are_refused() -> None:
    error = load_error('{"a": ' + "9" * 5000 + "}", "json")
    assert "has 5000 digits; the limit is 100 (Limits.max_digits)" in str(error)
    error = load_error("a: " + "9" * 5000, "yaml")
    assert "has 5000 digits; the limit is 100 (Limits.max_digits)" in str(error)


# -- writing -------------------------------------------------------------------------------------


def test_dump_writes_and_returns(tmp_path: Path) -> None:
    plan = load(PLANS / "sample-province-2018.yaml")
    assert dump(plan, format="json") == dumps(plan, "json")
    with pytest.raises(FormatError, match="say which format"):
        dump(plan)
    for ext in ("yaml", "yml", "json", "toml"):
        target = tmp_path / f"out.{ext}"
        assert dump(plan, target) is None
        assert load(target) == plan
    explicit = tmp_path / "out.txt"
    dump(plan, explicit, "json")
    assert json.loads(explicit.read_text(encoding="utf-8"))["id"] == "sample-province-2018"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "out.json",
        "out.toml",
        "out.txt",
        "out.yaml",
        "out.yml",
    ]


def test_dump_keeps_the_permissions_of_an_existing_file(tmp_path: Path) -> None:
    plan = load(PLANS / "sample-province-2018.yaml")
    target = tmp_path / "plan.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    dump(plan, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert load(target) == plan
    fresh = tmp_path / "fresh.json"
    dump(plan, fresh)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


def test_a_failed_dump_leaves_the_target_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = load(PLANS / "sample-province-2018.yaml")
    target = tmp_path / "plan.yaml"
    target.write_text("the old plan\n", encoding="utf-8")

    def fail(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        dump(plan, target)
    assert target.read_text(encoding="utf-8") == "the old plan\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]  # no temporary file left


def test_dump_refuses_a_directory_and_other_types(tmp_path: Path) -> None:
    plan = load(PLANS / "sample-province-2018.yaml")
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(WriteError, match="is a directory, not a file") as caught:
        dump(plan, tmp_path / "dir.json")
    assert isinstance(caught.value, OSError)
    assert caught.value.filename == str(tmp_path / "dir.json")
    with pytest.raises(TypeError, match="writes a Plan"):
        dumps(plan.funding, "json")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        dump(plan, tmp_path / "missing" / "plan.json")


@given(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40),
    st.characters(categories=("Cs",)),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40),
)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_write_text_names_the_line_and_column_of_a_lone_surrogate(
    tmp_path: Path, before: str, surrogate: str, after: str
) -> None:
    target = tmp_path / "report.txt"
    target.write_bytes(b"old")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    with pytest.raises(FieldValueError) as caught:
        write_text(target, before + surrogate + after)
    assert f"line {line}, column {column} has an unpaired surrogate" in str(caught.value)
    assert str(target) in str(caught.value)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]
