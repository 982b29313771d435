"""Plan-format versions: every version stays readable, the current one is written, an old
file is upgraded, an unknown one is refused by name; each version has its schema.

The machinery is tested with a history of its own (``using_history``): a made-up format
in which version 1 called the metadata's title ``heading``, and version 2 renamed it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from egovplan import FORMAT_HISTORY, FormatHistory, FormatVersion, UnknownFormatVersionError
from egovplan.cli import main
from egovplan.errors import FieldTypeError, FieldValueError, LoadError
from egovplan.files import dumps, load, loads, read_document
from egovplan.schema import json_schema
from egovplan.serialization import FORMAT_VERSION, to_dict
from egovplan.versions import active_history, frozen_schema, using_history

ROOT = Path(__file__).parent.parent
FROZEN = ROOT / "tests" / "data" / "format-1"

MINIMAL = "id: p\nmetadata: {kind: plan, title: P}\nperiod: 2021-2025\n"


def _rename_heading(body: dict[str, Any]) -> dict[str, Any]:
    metadata = body.get("metadata")
    if isinstance(metadata, dict) and "heading" in metadata:
        metadata = dict(metadata)
        metadata["title"] = metadata.pop("heading")
        body["metadata"] = metadata
    return body


#: A made-up history: version 1 wrote ``metadata.heading``, version 2 writes ``title``.
RENAMED = FormatHistory(
    (
        FormatVersion(number=1, changes=("The first made-up version.",)),
        FormatVersion(
            number=2,
            changes=("metadata.heading is now metadata.title.",),
            upgrade=_rename_heading,
        ),
    )
)
#: A made-up widening: the version after today's only adds fields, so it needs no upgrade step.
NEXT = FORMAT_HISTORY.current + 1
WIDENED = FORMAT_HISTORY.with_version(
    FormatVersion(number=NEXT, changes=("Budget lines may name a programme.",))
)

OLD_FILE = "format_version: 1\nid: p\nmetadata: {kind: plan, heading: Old}\nperiod: 2021-2025\n"


# -- today's versions ----------------------------------------------------------------------


def test_this_release_reads_versions_1_to_3_and_writes_3() -> None:
    assert FORMAT_HISTORY.readable == (1, 2, 3)
    assert FORMAT_HISTORY.current == FORMAT_VERSION == 3
    assert active_history() is FORMAT_HISTORY
    plan = loads("format_version: 1\n" + MINIMAL, "yaml")
    for format in ("yaml", "json", "toml"):
        assert read_document(dumps(plan, format), format)["format_version"] == 3


def test_version_2_only_adds_fields() -> None:
    version_2 = FORMAT_HISTORY.versions[1]
    assert version_2.upgrade is None
    assert any("collective" in change for change in version_2.changes)
    body = {"id": "p", "agencies": [{"id": "a", "names": {"vi": "A"}}]}
    assert FORMAT_HISTORY.upgrade(body, 1) == body


def test_version_3_adds_flows() -> None:
    version_3 = FORMAT_HISTORY.versions[2]
    assert any("`flows`" in change for change in version_3.changes)
    body = {"id": "p", "funding": {"sources": [{"id": "s", "names": {"vi": "S"}}]}}
    assert FORMAT_HISTORY.upgrade(body, 2) == body


def test_version_3_keeps_year_and_day_deadlines() -> None:
    version_3 = FORMAT_HISTORY.versions[2]
    assert version_3.number == 3
    assert any("deadline" in change for change in version_3.changes)
    body = {"id": "p", "tasks": [{"id": "t", "title": "T", "schedule": {"deadline": "2018-03-30"}}]}
    assert FORMAT_HISTORY.upgrade(body, 2) == body
    # a year deadline and a day deadline of versions 1 and 2 read and write as they were
    text = (
        "format_version: 2\n" + MINIMAL + "objectives:\n- id: o\n  targets:\n"
        "  - {id: t, measure: m, value: 1, deadline: 2025}\n"
        "tasks:\n- id: k\n  title: K\n  schedule: {deadline: 2021-03-30}\n"
    )
    plan = loads(text, "yaml")
    (target,) = plan.objectives[0].targets
    assert str(target.deadline) == "2025"
    written = read_document(dumps(plan, "yaml"), "yaml")
    assert written["objectives"][0]["targets"][0]["deadline"] == 2025
    assert written["tasks"][0]["schedule"]["deadline"] == "2021-03-30"


def test_version_3_renames_a_spending_rules_minimum_percent() -> None:
    version_3 = FORMAT_HISTORY.versions[2]
    assert version_3.upgrade is not None
    assert any("minimum_percent" in change for change in version_3.changes)
    old = {"funding": {"rules": [{"id": "r", "description": "", "minimum_percent": "1.5"}]}}
    new = FORMAT_HISTORY.upgrade(old, 2)
    assert new == {"funding": {"rules": [{"id": "r", "description": "", "percent": "1.5"}]}}
    assert old["funding"]["rules"][0] == {"id": "r", "description": "", "minimum_percent": "1.5"}
    assert FORMAT_HISTORY.upgrade(old, 1) == new
    # what is not a version-2 document's rules is left for the reader to report
    for odd in ({"funding": 3}, {"funding": {"rules": "x"}}, {"funding": {"rules": [1]}}):
        assert FORMAT_HISTORY.upgrade(odd, 2) == odd
    for version in (1, 2):
        text = (
            f"format_version: {version}\n{MINIMAL}funding:\n  rules:\n"
            "  - {id: r, description: d, minimum_percent: 1}\n"
        )
        (rule,) = loads(text, "yaml").funding.rules
        assert (rule.percent, rule.comparator.value) == (1, ">=")
    with pytest.raises(LoadError) as caught:
        loads(
            f"format_version: 3\n{MINIMAL}funding:\n  rules:\n"
            "  - {id: r, description: d, minimum_percent: 1}\n",
            "yaml",
        )
    assert "funding.rules[0].minimum_percent" in {p.path for p in caught.value.problems}


@pytest.mark.parametrize("format", ["yaml", "json", "toml"])
@pytest.mark.parametrize("version", [4, 99])
def test_a_future_version_is_refused_naming_the_versions_read(format: str, version: int) -> None:
    text = dumps(loads("format_version: 1\n" + MINIMAL, "yaml"), format)
    text = re.sub(r"(format_version\W+)3", rf"\g<1>{version}", text, count=1)
    with pytest.raises(LoadError) as caught:
        loads(text, format)
    (problem,) = caught.value.problems
    assert problem.path == "format_version"
    assert problem.message == (
        f"this egovplan reads format versions 1, 2 and 3, not the number {version}; a newer"
        " egovplan wrote this file: upgrade egovplan to read it"
    )
    assert (problem.line is not None) == (format != "toml")


@pytest.mark.parametrize("value", ["0", "-1", "'1'", "1.0", "true", "null"])
def test_a_version_that_is_no_version_is_refused(value: str) -> None:
    with pytest.raises(LoadError) as caught:
        loads(f"format_version: {value}\n" + MINIMAL, "yaml")
    message = dict(caught.value.problems)["format_version"]
    assert message.startswith("this egovplan reads format versions 1, 2 and 3, not ")
    assert "newer" not in message


# -- the frozen format-1 files ---------------------------------------------------------------

FROZEN_FILES = sorted(p for p in FROZEN.iterdir() if p.is_file())


def test_the_frozen_format_1_files_are_there() -> None:
    names = {path.name for path in FROZEN_FILES}
    assert {path.name for path in (ROOT / "examples").glob("*.yaml")} <= names
    assert len(names) == 10
    for path in FROZEN_FILES:
        assert read_document(path)["format_version"] == 1


@pytest.mark.parametrize("path", FROZEN_FILES, ids=lambda p: p.name)
def test_a_format_1_file_loads_with_the_same_result_forever(path: Path) -> None:
    # The plan as this file loaded when format 1 was current, upgraded as the versions
    # since say, is the plan it loads as now.
    recorded = json.loads((FROZEN / "expected" / f"{path.stem}.json").read_text("utf-8"))
    assert recorded.pop("format_version") == 1
    expected = {"format_version": FORMAT_HISTORY.current, **FORMAT_HISTORY.upgrade(recorded, 1)}
    assert to_dict(load(path)) == expected


# -- the machinery, with made-up versions --------------------------------------------------


def test_an_old_version_is_upgraded_on_reading_and_the_current_one_is_written() -> None:
    with using_history(RENAMED) as history:
        assert history.readable == (1, 2)
        for format in ("yaml", "json"):
            text = OLD_FILE if format == "yaml" else json.dumps(read_document(OLD_FILE, "yaml"))
            plan = loads(text, format)
            assert plan.metadata.title == "Old"
            assert read_document(dumps(plan, format), format)["format_version"] == 2
        new = dumps(plan, "yaml")
        assert "heading" not in new
        assert loads(new, "yaml") == plan
        with pytest.raises(LoadError, match="reads format versions 1 and 2, not the number 3"):
            loads(new.replace("format_version: 2", "format_version: 3"), "yaml")
    assert active_history() is FORMAT_HISTORY
    with pytest.raises(LoadError) as caught:
        loads(OLD_FILE, "yaml")  # version 1 of the real format has no heading
    assert {p.path for p in caught.value.problems} == {"metadata.title", "metadata.heading"}


def test_a_widening_version_reads_every_file_of_the_version_before_as_it_is() -> None:
    with using_history(WIDENED):
        for path in FROZEN_FILES:
            plan = load(path)
            assert read_document(dumps(plan, "json"), "json")["format_version"] == NEXT
    assert WIDENED.upgrade({"id": "p"}, 1) == {"id": "p"}
    assert WIDENED.changes_since(NEXT - 1) == ((NEXT, "Budget lines may name a programme."),)
    assert WIDENED.changes_since(NEXT) == ()


def test_upgrade_steps_run_in_order_on_a_copy() -> None:
    calls: list[int] = []

    def step(number: int) -> Any:
        def upgrade(body: dict[str, Any]) -> dict[str, Any]:
            calls.append(number)
            body["seen"] = [*body.get("seen", []), number]
            return body

        return upgrade

    history = FormatHistory(
        [
            FormatVersion(number=1, changes=["one"]),
            FormatVersion(number=2, changes=["two"], upgrade=step(2)),
            FormatVersion(number=3, changes=["three"], upgrade=step(3)),
        ]
    )
    original = {"id": "p"}
    assert history.upgrade(original, 1) == {"id": "p", "seen": [2, 3]}
    assert history.upgrade(original, 2) == {"id": "p", "seen": [3]}
    assert history.upgrade(original, 3) == {"id": "p"}
    assert original == {"id": "p"}
    assert calls == [2, 3, 3]
    assert history.describe_readable() == "versions 1, 2 and 3"


@pytest.mark.parametrize(
    ("versions", "error", "message"),
    [
        ((), FieldValueError, "at least version 1"),
        ([FormatVersion(number=2, changes=())], FieldValueError, "found 2 in place of 1"),
        (
            [FormatVersion(number=1, changes=()), FormatVersion(number=3, changes=())],
            FieldValueError,
            r"versions\[1\] must be the versions 1, 2, … in order; found 3 in place of 2",
        ),
        (
            [FormatVersion(number=1, changes=(), upgrade=_rename_heading)],
            FieldValueError,
            "version 1 has no version before it",
        ),
        (["1"], FieldTypeError, r"versions\[0\] must be FormatVersion"),
    ],
)
def test_a_history_is_the_versions_1_2_and_so_on(
    versions: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        FormatHistory(versions)


def test_a_version_is_a_number_from_1_with_its_changes() -> None:
    with pytest.raises(FieldTypeError, match=r"FormatVersion\.number must be int"):
        FormatVersion(number=0, changes=())
    with pytest.raises(FieldTypeError, match=r"FormatVersion\.changes\[0\] must be str"):
        FormatVersion(number=1, changes=[1])
    with pytest.raises(FieldTypeError, match=r"FormatVersion\.upgrade must be a callable"):
        FormatVersion(number=2, changes=(), upgrade="rename")  # type: ignore[arg-type]
    with (
        pytest.raises(FieldTypeError, match="FormatHistory"),
        using_history(RENAMED.versions),  # type: ignore[arg-type]
    ):
        pass
    with pytest.raises(UnknownFormatVersionError, match="not the number 4"):
        FORMAT_HISTORY.upgrade({}, 4)


# -- egovplan upgrade --------------------------------------------------------------------------


def test_upgrade_rewrites_an_old_file_in_the_current_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.yaml"
    path.write_text(OLD_FILE, encoding="utf-8")
    with using_history(RENAMED):
        assert main(["upgrade", str(path)]) == 0
        out = capsys.readouterr().out
        assert f"{path}: format version 1 -> 2, written to {path}" in out
        assert "version 2: metadata.heading is now metadata.title." in out
        data = read_document(path)
        assert data["format_version"] == 2
        assert data["metadata"] == {"kind": "plan", "title": "Old"}
        before = path.read_bytes()
        assert main(["upgrade", str(path)]) == 0
        assert "already format version 2; nothing to do" in capsys.readouterr().out
        assert path.read_bytes() == before


def test_upgrade_can_write_elsewhere_and_in_another_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, out = tmp_path / "old.yaml", tmp_path / "new.json"
    path.write_text(OLD_FILE, encoding="utf-8")
    with using_history(RENAMED):
        assert main(["upgrade", str(path), "--output", str(out)]) == 0
        assert load(out).metadata.title == "Old"
    assert path.read_text(encoding="utf-8") == OLD_FILE
    assert "written to" in capsys.readouterr().out


def test_upgrade_of_a_current_file_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    text = "# a comment upgrade would lose\nformat_version: 3\n" + MINIMAL
    path.write_text(text, encoding="utf-8")
    assert main(["upgrade", str(path)]) == 0
    assert "already format version 3; nothing to do" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("format_version: 7\n" + MINIMAL, "reads format versions 1, 2 and 3, not the number 7"),
        ("format_version: 1\nid: p\n", "metadata: required field is missing"),
        ("- a list\n", "a plan document must be a mapping"),
    ],
)
def test_upgrade_refuses_a_file_it_cannot_read(
    content: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    assert main(["upgrade", str(path)]) == 2
    assert message in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == content


def test_upgrade_needs_a_known_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("format_version: 1\n" + MINIMAL, encoding="utf-8")
    assert main(["upgrade", str(path), "-o", str(tmp_path / "plan.txt")]) == 2
    assert "cannot tell the format" in capsys.readouterr().err


# -- a schema per version ----------------------------------------------------------------------


def _without_descriptions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_descriptions(v) for k, v in value.items() if k != "description"}
    if isinstance(value, list):
        return [_without_descriptions(v) for v in value]
    return value


def test_every_version_read_has_its_schema_shipped() -> None:
    for version in FORMAT_HISTORY.readable:
        schema = frozen_schema(version)
        assert schema is not None, f"no schema is shipped for format version {version}"
        assert schema["$id"] == f"urn:egovplan:plan-format:{version}"
        assert schema["properties"]["format_version"]["const"] == version
        assert json_schema(version=version)["$id"] == schema["$id"]
    assert frozen_schema(len(FORMAT_HISTORY.readable) + 1) is None


def test_the_current_schema_is_the_frozen_one_so_a_format_change_needs_a_new_version() -> None:
    # If this fails, the models now read or write something format version
    # FORMAT_HISTORY.current did not: register the next version in egovplan.versions
    # (with an upgrade step if old files need one), freeze its schema with
    # ``python -m egovplan.schema --freeze``, and describe it in docs/format.md.
    frozen = frozen_schema(FORMAT_HISTORY.current)
    assert _without_descriptions(json_schema()) == _without_descriptions(frozen)


def test_an_unknown_schema_version_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(
        UnknownFormatVersionError, match="reads format versions 1, 2 and 3, not the number 5"
    ):
        json_schema(version=5)
    assert main(["schema", "--format-version", "5"]) == 2
    assert "not the number 5" in capsys.readouterr().err
    assert main(["schema", "--format-version", "1"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema(version=1)


# -- the documentation -------------------------------------------------------------------------


def test_docs_describe_the_changes_between_every_version() -> None:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    assert "## Changes between versions" in text
    section = text.split("## Changes between versions", 1)[1].split("\n## ", 1)[0]
    for version in FORMAT_HISTORY.versions:
        assert f"### Version {version.number}" in section
    assert "egovplan upgrade" in section
