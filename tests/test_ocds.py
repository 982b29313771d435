"""egovplan.ocds: OCDS planning budgets (and the budget breakdown extension) in and out."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan import load, ocds
from egovplan.catalog import Catalogues
from egovplan.cli import main
from egovplan.document import PlanMetadata
from egovplan.errors import LoadError
from egovplan.funding import BudgetLine, Funding, FundingSource
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.period import Period, Quarter
from egovplan.plan import Plan

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "ocds"
REAL = DATA / "release-package-cdmx-065-2015.json"
BREAKDOWN = DATA / "breakdown-release-package.json"
EXTENSION = DATA / "budget-breakdown-extension-release-schema.json"
FILES = [REAL, BREAKDOWN, ROOT / "src" / "egovplan" / "data" / "ocds" / "example.json"]


def _json(path: Path | str) -> Any:
    text = path.read_text("utf-8") if isinstance(path, Path) else path
    return json.loads(text, parse_float=Decimal)


def _latest(document: Any) -> list[dict[str, Any]]:
    """The release each plan is read from: the latest of each ocid."""
    latest: dict[str, dict[str, Any]] = {}
    for release in document["releases"]:
        before = latest.get(release["ocid"])
        if before is None or before["date"] <= release["date"]:
            latest[release["ocid"]] = release
    return list(latest.values())


def _json_budgets(document: Any) -> dict[tuple[str, str, str], Decimal]:
    """Amounts per (source, year or span, currency), from the JSON itself."""
    sums: dict[tuple[str, str, str], Decimal] = {}
    for release in _latest(document):
        budget = release.get("planning", {}).get("budget", {})
        entries = budget.get("budgetBreakdown") or (
            [{"amount": budget["amount"]}] if "amount" in budget else []
        )
        for entry in entries:
            source = entry.get("sourceParty", {}).get("id", "ocds-budget")
            period = entry.get("period")
            span = "-"
            if period:
                start, end = period["startDate"][:10], period["endDate"][:10]
                span = start[:4] if start[5:] == "01-01" and end[5:] == "12-31" else start + end
            value = entry["amount"]
            key = (source, span, value["currency"])
            sums[key] = sums.get(key, Decimal(0)) + value["amount"]
    return sums


def _plan_budgets(plans: list[Plan]) -> dict[tuple[str, str, str], Decimal]:
    sums: dict[tuple[str, str, str], Decimal] = {}
    for plan in plans:
        for line in plan.funding.lines:
            span = "-"
            if line.year is not None:
                span = str(line.year)
            elif line.period is not None:
                span = line.period.first_day.isoformat() + line.period.last_day.isoformat()
            key = (line.source, span, line.amount.currency)
            sums[key] = sums.get(key, Decimal(0)) + line.amount.amount
    return sums


# -- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_amounts_per_source_and_year_equal_the_json(path: Path) -> None:
    assert _plan_budgets(ocds.read(path)) == _json_budgets(_json(path))


def test_the_real_release_package() -> None:
    """Mexico City's release: a budget without breakdown, a buyer of OCDS 1.0, a payment."""
    result = ocds.read_report(REAL)
    (plan,) = result.plans
    assert plan.id == "OCDS-87SD3T-AD-SF-DRM-065-2015"
    assert plan.metadata.title == "AUTORIZACION PRESUPUESTAL SPP-041-2016"
    assert plan.metadata.language == "es"
    assert plan.metadata.issuing_body == "SECRETARÍA DE FINANZAS"
    assert plan.funding.total == Money("1471566.72", "MXN")
    assert [(line.id, line.source, line.amount) for line in plan.funding.lines] == [
        ("budget", "ocds-budget", Money("1471566.72", "MXN"))
    ]
    assert [(a.id, a.names["es"]) for a in plan.agencies] == [
        ("GDF9712054NA", "SECRETARÍA DE FINANZAS")
    ]
    assert [(a.agency, a.role) for a in plan.tasks[0].assignments] == [("GDF9712054NA", "lead")]
    (flow,) = plan.flows
    assert (flow.id, flow.kind, str(flow.date), flow.amount) == (
        "CLC0010000008-2016",
        "disbursement",
        "2016-05-10",
        Money("75464.96", "USD"),
    )
    paths = [entry.path for entry in result.not_carried]
    assert "/releases/0" in paths  # the earlier release of the same process, superseded
    assert "/releases/1/tender" in paths
    assert "/releases/1/planning/budget/amountyear" in paths


def test_the_breakdown_maps_onto_sources_lines_roles_and_flows() -> None:
    result = ocds.read_report(BREAKDOWN)
    (plan,) = result.plans
    assert plan.funding.total == Money("1350000.50", "USD")
    assert [(s.id, s.names["en"]) for s in plan.funding.sources] == [
        ("XM-DOF", "Example Province Department of Finance"),
        ("XM-DONOR", "Example Development Bank"),
    ]
    assert [(line.id, line.source, line.year, line.period) for line in plan.funding.lines] == [
        ("1", "XM-DOF", 2024, None),
        ("2", "XM-DONOR", 2025, None),
        ("3", "XM-DONOR", None, Period.quarters(Quarter(2025, 3), Quarter(2025, 3))),
    ]
    assert plan.funding.lines[2].amount == Money(-50000, "USD")  # a negative entry is kept
    assert [(a.agency, a.role) for a in plan.tasks[0].assignments] == [
        ("XM-DOF", "lead"),
        ("XM-DOF", "fund"),
        ("XM-DOIC", "implement"),
        ("XM-DONOR", "fund"),
        ("XM-AUDIT", "monitor"),
    ]
    (flow,) = plan.flows
    assert (flow.source, flow.agency, flow.amount) == ("XM-DOF", "XM-VENDOR", Money(120000, "USD"))
    reasons = {entry.path: entry.reason for entry in result.not_carried}
    assert reasons["/releases/0/parties/0/roles/1"] == (
        "read as the role fund, which is written as the role funder"
    )
    assert reasons["/releases/0/parties/4/roles"] == "no home in the plan model"
    assert "/releases/0/planning/budget/budgetBreakdown/0/description" in reasons


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    if isinstance(value, dict) and value:
        return {k: v for key, item in value.items() for k, v in _leaves(item, (*path, key)).items()}
    if isinstance(value, list) and value:
        return {k: v for i, item in enumerate(value) for k, v in _leaves(item, (*path, i)).items()}
    return {path: value}


def _pointer(path: tuple[Any, ...]) -> str:
    return "".join(f"/{part}" for part in path)


@pytest.mark.parametrize("path", [BREAKDOWN, FILES[2]], ids=lambda p: p.name)
def test_nothing_is_dropped_silently(path: Path) -> None:
    """Each value is reported, or written back by the plan alone, at its place."""
    result = ocds.read_report(path)
    reported = [entry.path for entry in result.not_carried]
    written = _leaves(_json(ocds.dumps(result.plans)))
    for leaf, value in _leaves(_json(path)).items():
        pointer = _pointer(leaf)
        if any(pointer == p or pointer.startswith(p + "/") for p in reported):
            continue
        assert written.get(leaf) == value, pointer


def test_a_record_package_reads_its_compiled_release() -> None:
    release = _json(BREAKDOWN)["releases"][0]
    record = {
        "ocid": release["ocid"],
        "releases": [{"url": "https://example.org/r.json", "date": release["date"]}],
        "compiledRelease": release,
    }
    package = {"uri": "https://example.org/records.json", "records": [record]}
    result = ocds.reads_report(ocds._json(package))
    assert result.plans == ocds.reads_report(BREAKDOWN.read_text("utf-8")).plans
    assert "/records/0/releases" in [entry.path for entry in result.not_carried]


def test_a_single_release_reads() -> None:
    release = _json(BREAKDOWN)["releases"][0]
    (plan,) = ocds.reads_report(ocds._json(release)).plans
    assert plan.id == release["ocid"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[]", "/"),
        ('{"uri": "x"}', "/"),
        ('{"releases": {}}', "/releases"),
        ('{"releases": [1]}', "/releases/0"),
        ('{"releases": [{"id": "1"}]}', "/releases/0/ocid"),
        ('{"releases": [{"ocid": "x"}]}', "/releases/0"),
        ('{"releases": [{"ocid": " x", "date": "2024-01-01"}]}', "/releases/0/ocid"),
    ],
)
def test_what_is_not_ocds_is_refused_naming_the_place(text: str, where: str) -> None:
    with pytest.raises(LoadError) as caught:
        ocds.reads_report(text)
    assert caught.value.problems[0].path == where


def test_limits_apply() -> None:
    from egovplan.files import Limits

    with pytest.raises(LoadError, match="limit"):
        ocds.reads_report(BREAKDOWN.read_bytes(), limits=Limits(max_bytes=100))


# -- writing --------------------------------------------------------------------------------

#: The parts of the OCDS 1.1 release schema that the budget breakdown extension refers to
#: (Value, Period, OrganizationReference), abridged from OCDS 1.1's release-schema.json:
#: the field types, without titles and descriptions.
_CORE = {
    "Value": {
        "type": "object",
        "properties": {
            "amount": {"type": ["number", "null"]},
            "currency": {"type": ["string", "null"]},
        },
    },
    "Period": {
        "type": "object",
        "properties": {
            "startDate": {"type": ["string", "null"], "format": "date-time"},
            "endDate": {"type": ["string", "null"], "format": "date-time"},
            "maxExtentDate": {"type": ["string", "null"], "format": "date-time"},
            "durationInDays": {"type": ["integer", "null"]},
        },
    },
    "OrganizationReference": {
        "type": "object",
        "properties": {
            "name": {"type": ["string", "null"]},
            "id": {"type": ["string", "integer"]},
        },
    },
}


def _budget_schema() -> dict[str, Any]:
    extension = json.loads(EXTENSION.read_text("utf-8"))
    definitions = {**_CORE, **extension["definitions"]}
    return {
        "definitions": definitions,
        "type": "object",
        "required": ["releases"],
        "properties": {
            "releases": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["ocid", "id", "date", "tag", "initiationType"],
                    "properties": {
                        "planning": {
                            "type": "object",
                            "properties": {
                                "budget": {
                                    "allOf": [
                                        {"$ref": "#/definitions/Budget"},
                                        {"properties": {"amount": {"$ref": "#/definitions/Value"}}},
                                    ]
                                }
                            },
                        }
                    },
                },
            }
        },
    }


def _check_against_the_extension(text: str) -> None:
    document = json.loads(text)  # numbers as JSON numbers, as a consumer reads them
    jsonschema.Draft4Validator(_budget_schema()).validate(document)


def test_the_schema_check_can_fail() -> None:
    release: dict[str, Any] = {
        "ocid": "x",
        "id": "1",
        "date": "d",
        "tag": [],
        "initiationType": "t",
    }
    release["planning"] = {"budget": {"budgetBreakdown": [{"amount": {"amount": "1"}}]}}
    bad = {"releases": [release]}
    with pytest.raises(jsonschema.ValidationError):
        _check_against_the_extension(json.dumps(bad))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_round_trip_keeps_every_budget_amount(path: Path) -> None:
    result = ocds.read_report(path)
    text = ocds.dumps(result.plans, kept=result.kept)
    _check_against_the_extension(text)
    original = _latest(_json(path))
    back = _json(text)["releases"]
    for before, after in zip(original, back, strict=True):
        assert after["planning"]["budget"] == before["planning"]["budget"]
        assert after.get("contracts") == before.get("contracts")
    again = ocds.reads_report(text)
    assert again.plans == result.plans
    assert ocds.dumps(again.plans, kept=again.kept) == text


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_writing_a_plan_of_egovplan(path: Path) -> None:
    plan = load(path)
    text = ocds.dumps(plan)
    _check_against_the_extension(text)
    (back,) = ocds.reads_report(text).plans
    assert _plan_budgets([back]) == _plan_budgets([plan])
    assert back.funding.total == plan.funding.total
    assert {(s.id, s.amount) for s in back.funding.sources if s.amount} == {
        (s.id, s.amount) for s in plan.funding.sources if s.amount and not _has_lines(plan, s.id)
    }


def _has_lines(plan: Plan, source: str) -> bool:
    return any(line.source == source for line in plan.funding.lines)


def test_two_plans_with_one_id_are_refused() -> None:
    plan = ocds.read(BREAKDOWN)[0]
    with pytest.raises(ocds.OcdsWriteError, match="ocds-xm0000-egov-2024"):
        ocds.dumps([plan, plan])


_amounts = st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["state", "donor", "ocds-budget"]),
            st.one_of(
                st.none(),
                st.integers(2000, 2030),
                st.tuples(st.integers(2000, 2030), st.integers(1, 4)),
            ),
            st.sampled_from(["USD", "EUR", "VND"]),
            _amounts,
        ),
        max_size=8,
    ),
    st.one_of(st.none(), st.builds(Money, _amounts, st.sampled_from(["USD", "VND"]))),
)
def test_budget_lines_round_trip(
    rows: list[tuple[str, Any, str, Decimal]], total: Money | None
) -> None:
    lines = []
    for number, (source, when, currency, amount) in enumerate(rows, start=1):
        year = when if isinstance(when, int) else None
        period = Period.quarter(*when) if isinstance(when, tuple) else None
        lines.append(
            BudgetLine(
                id=f"line-{number}",
                source=source,
                year=year,
                period=period,
                amount=Money(amount, currency),
            )
        )
    used = {line.source for line in lines}
    sources = tuple(
        FundingSource(id=ident, names=Labels(en=f"The {ident}"))
        for ident in ("state", "donor")
        if ident in used
    )
    if "ocds-budget" in used:
        sources += (FundingSource(id="ocds-budget", names=Labels(en="OCDS planning budget")),)
    plan = Plan(
        id="ocds-x-1",
        metadata=PlanMetadata(kind="project", title="x", language="en"),
        period=Period.years(2000, 2030),
        funding=Funding(total=total, sources=sources, lines=tuple(lines)),
    )
    text = ocds.dumps(plan)
    _check_against_the_extension(text)
    (back,) = ocds.reads_report(text).plans
    if lines or total is None:
        assert back.funding.lines == plan.funding.lines
    else:  # a total alone is also the one line of a budget without breakdown
        assert back.funding.lines == (BudgetLine(id="budget", source="ocds-budget", amount=total),)
        sources += (FundingSource(id="ocds-budget", names=Labels(en="OCDS planning budget")),)
    assert back.funding.total == total
    assert sorted(s.id for s in back.funding.sources) == sorted(s.id for s in sources)


# -- data and docs --------------------------------------------------------------------------


def test_every_ocds_role_reads_as_a_role_that_writes_it_back_first() -> None:
    roles = Catalogues.default().roles
    seen: dict[str, str] = {}
    for kind in roles:
        for name in kind.get("ocds_roles") or ():
            assert name not in seen, f"{name} is listed by {seen.get(name)} and {kind.code}"
            seen[name] = kind.code
    assert {"buyer", "procuringEntity", "funder", "payer"} <= set(seen)
    assert seen["buyer"] == "lead"
    assert seen["funder"] == "fund"


def test_the_interop_page_shows_the_mapping_table() -> None:
    page = (ROOT / "docs" / "interop.md").read_text("utf-8")
    start = page.index("| OCDS | egovplan | how |")
    table = page[start:].split("\n\n", 1)[0].splitlines()[2:]
    assert table == [f"| `{o}` | {field} | {note} |" for o, field, note in ocds.mapping_table()]


# -- the command line -----------------------------------------------------------------------


def test_convert_from_and_to_ocds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan_file = tmp_path / "plan.yaml"
    assert main(["convert", str(BREAKDOWN), str(plan_file), "--from", "ocds"]) == 0
    err = capsys.readouterr().err
    assert "not carried over: /releases/0/planning/budget/budgetBreakdown/0/description" in err
    assert load(plan_file) == ocds.read(BREAKDOWN)[0]
    out = tmp_path / "out.json"
    assert main(["convert", str(plan_file), str(out), "--to", "ocds"]) == 0
    (back,) = ocds.read(out)
    assert _plan_budgets([back]) == _plan_budgets([load(plan_file)])
    _check_against_the_extension(out.read_text("utf-8"))


def test_a_json_file_is_egovplan_s_own_unless_told(tmp_path: Path) -> None:
    """Without --from ocds, a .json is read as a plan file (and an OCDS one is refused)."""
    assert main(["convert", str(BREAKDOWN), str(tmp_path / "plan.yaml")]) == 2


# -- robustness -----------------------------------------------------------------------------

_ANY_JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**30), 10**30),
        st.decimals(allow_nan=False, allow_infinity=False, places=3),
        st.sampled_from(["", " x", "2024-01-01", "2024-13-40T00:00:00Z", "USD", "XXX", "buyer"]),
        st.text(max_size=5),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*path, index))
    return found


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_mutated_file_reads_or_is_refused_and_what_reads_writes(data: st.DataObject) -> None:
    document = _json(BREAKDOWN)
    for _ in range(data.draw(st.integers(1, 3))):
        places = _places(document)
        path = data.draw(st.sampled_from(places[1:]))
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = data.draw(_ANY_JSON)
    try:
        result = ocds.reads_report(ocds._json(document))
    except LoadError:
        return
    text = ocds.dumps(result.plans, kept=result.kept)
    again = ocds.reads_report(text)
    assert _plan_budgets(list(again.plans)) == _plan_budgets(list(result.plans))


def test_a_title_in_several_languages_is_written_as_ocds_language_fields() -> None:
    title = Labels({"es": "Plataforma de gobierno digital", "en": "Digital government platform"})
    plan = Plan(
        id="ocds-xm0000-1",
        metadata=PlanMetadata(kind="plan", title=title, language="es"),
        period=Period.years(2024, 2025),
    )
    (release,) = json.loads(ocds.dumps([plan]))["releases"]
    budget = release["planning"]["budget"]
    assert budget["project"] == "Plataforma de gobierno digital"
    assert budget["project_en"] == "Digital government platform"
    (back,) = ocds.reads_report(ocds.dumps([plan])).plans
    assert back.metadata.title == "Plataforma de gobierno digital"
