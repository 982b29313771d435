"""IATI activity files: reading, writing, schema validation, safety, the mapping table."""

from __future__ import annotations

import datetime as dt
import decimal
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan import Funding, FundingSource, Labels, Money, Period, Plan, PlanMetadata, iati
from egovplan.errors import LoadError
from egovplan.files import Limits
from egovplan.flows import Flow, iati_transaction_type, kind_of_iati
from egovplan.funding import BudgetLine
from egovplan.objective import Baseline, TargetKind
from egovplan.when import When

pytest.importorskip("xmlschema")  # the `iati` extra, part of the `test` extra

DATA = Path(__file__).parent / "data" / "iati"
TESTS = DATA / "standard-tests"
EXAMPLE = DATA / "iati-2.03-activity-standard-example-annotated.xml"
SHOULD_PASS = sorted((TESTS / "should-pass").rglob("*.xml"))
SHOULD_FAIL = sorted(p for p in (TESTS / "should-fail").rglob("*") if p.is_file())
ROOT = Path(__file__).parent.parent


def _name(path: Path) -> str:
    return str(path.relative_to(TESTS))


def _xml_budgets_per_year(root: ET.Element) -> dict[tuple[str, int, str], Decimal]:
    """(activity, year of period-start, currency) -> the sum of the budgets' values."""
    sums: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
    for position, activity in enumerate(root.iter("iati-activity"), start=1):
        identifier = (activity.findtext("iati-identifier") or "").strip()
        identifier = identifier or f"activity-{position}"
        for budget in activity.findall("budget"):
            start = budget.find("period-start")
            value = budget.find("value")
            assert start is not None
            assert value is not None
            currency = value.get("currency") or activity.get("default-currency")
            assert currency is not None
            year = dt.date.fromisoformat(start.get("iso-date", "")).year
            sums[(identifier, year, currency)] += Decimal((value.text or "").strip())
    return dict(sums)


def _plan_budgets_per_year(plans: list[Plan]) -> dict[tuple[str, int, str], Decimal]:
    sums: dict[tuple[str, int, str], Decimal] = defaultdict(Decimal)
    for plan in plans:
        for line in plan.funding.lines:
            year = line.year if line.year is not None else line.period.start.year  # type: ignore[union-attr]
            sums[(plan.id, year, line.amount.currency)] += line.amount.amount
    return dict(sums)


# -- the standard's own tests ---------------------------------------------------------------


@pytest.mark.parametrize("path", SHOULD_PASS, ids=_name)
def test_every_should_pass_file_reads(path: Path) -> None:
    result = iati.read_report(path)
    assert result.plans
    assert len(result.plans) == len(ET.parse(path).getroot().findall("iati-activity"))


def test_the_standard_tests_are_all_there() -> None:
    assert len(SHOULD_PASS) == 58
    assert len(SHOULD_FAIL) == 226


@pytest.mark.parametrize("path", SHOULD_FAIL, ids=_name)
def test_every_should_fail_file_is_refused_naming_the_element(path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        iati.read(path)
    problem = caught.value.problems[0]
    assert str(path) in str(caught.value)
    if "well-formed" in problem.message:  # a duplicate attribute: the line says where
        assert problem.line is not None
    else:  # the element the file breaks is named by its path
        assert problem.path.startswith("/iati-activities")


def test_text_in_an_element_only_element_names_it() -> None:
    path = TESTS / "should-fail" / "capital-spend" / "03-contains-text.xml"
    with pytest.raises(LoadError) as caught:
        iati.read(path)
    problem = caught.value.problems[0]
    assert problem.path == "/iati-activities/iati-activity/capital-spend"
    assert "not text" in problem.message
    assert problem.line == 18


# -- what is carried over -------------------------------------------------------------------


def test_the_annotated_example_maps_onto_the_model() -> None:
    result = iati.read_report(EXAMPLE)
    (plan,) = result.plans
    assert plan.id == "AA-AAA-123456789-ABC123"
    assert plan.metadata.title == Labels(
        {"en": "Activity title", "fr": "Titre de l'activité", "es": "Título de la actividad"}
    )
    assert plan.metadata.language == "en"
    assert plan.metadata.issuing_body == "Organisation name"
    assert str(plan.period) == "Q2 2012-Q4 2015"
    assert plan.agency("AA-AAA-123456789").names == Labels(
        en="Organisation name", fr="Nom de l'organisme"
    )
    (task,) = plan.tasks
    assert [(a.agency, a.role) for a in task.assignments] == [
        ("BB-BBB-123456789", "fund"),
        ("CC-CCC-123456789", "monitor"),
        ("AA-AAA-123456789", "extend"),
    ]
    (line,) = plan.funding.lines
    assert (line.year, line.status, line.amount) == (2014, "original", Money(1000, "AUD"))
    (objective,) = plan.objectives
    (target,) = objective.targets
    assert (target.value, target.deadline) == (Decimal(10), When(2013, quarter=1))
    assert target.description == "Target comment text"
    assert target.baseline == Baseline(value=10, year=2012, source="Baseline comment text")
    (observation,) = plan.observations
    assert observation.value == Decimal(11)
    assert [s.title for s in plan.sections] == ["General", "Objectives", "Target groups"]
    assert plan.flows == (
        Flow(
            id="1234",
            kind="incoming_funds",
            source="iati-budget",
            date=dt.date(1995, 1, 1),
            agency="AA-AAA-123456789",
            description="Transaction description text",
            amount=Money(1000, "AUD"),
        ),
    )


def test_nothing_is_dropped_silently() -> None:
    result = iati.read_report(EXAMPLE)
    paths = {entry.path for entry in result.not_carried}
    activity = "/iati-activities/iati-activity"
    for element in (
        "transaction/provider-org",
        "transaction/@humanitarian",
        "planned-disbursement[1]",
        "sector[1]",
        "document-link",
        "related-activity",
        "recipient-country[1]",
    ):
        assert f"{activity}/{element}" in paths, element
    assert f"{activity}/budget/value/@value-date" in paths  # 1994-01-01, not the start
    assert "/iati-activities/@generated-datetime" in paths
    reasons = {entry.path: entry.reason for entry in result.not_carried}
    assert "flow" in reasons[f"{activity}/planned-disbursement[1]"]
    # Every element of the file is either used or under a reported path.
    root = ET.parse(EXAMPLE).getroot()
    assert len(result.not_carried) < sum(1 for _ in root.iter())


def test_every_element_and_attribute_is_used_or_reported() -> None:
    """Whatever is not reported comes back from write(): the file's facts are all kept."""
    result = iati.read_report(EXAMPLE)
    reported = [re.sub(r"\[\d+\]", "", entry.path) for entry in result.not_carried]
    written = ET.fromstring(iati.dumps(result.plans, kept=result.kept))
    original = ET.parse(EXAMPLE).getroot()
    lost = _leaves(original) - _leaves(written)
    for leaf in lost:
        path = leaf.split("=", 1)[0]
        assert any(
            path == p or path.startswith(p + "/") or p.startswith(path + "/@") for p in reported
        ) or path.endswith("/@xml:lang"), path


def _leaves(root: ET.Element) -> set[str]:
    """Paths without positions to every attribute value and text of a tree."""
    found: set[str] = set()

    def walk(element: ET.Element, path: str) -> None:
        for name, value in element.attrib.items():
            shown = "xml:lang" if name.endswith("}lang") else name
            found.add(f"{path}/@{shown}={value}")
        text = (element.text or "").strip()
        if text:
            found.add(f"{path}={text}")
        for child in element:
            walk(child, f"{path}/{child.tag}")

    walk(root, "/iati-activities")
    return {re.sub(r"=.*", "", p) + "=" + p.split("=", 1)[1] for p in found}


def test_budgets_summed_per_year_equal_the_xml() -> None:
    for path in [EXAMPLE, *SHOULD_PASS, ROOT / "src/egovplan/data/iati/example.xml"]:
        root = ET.parse(path).getroot()
        if not root.findall("iati-activity/budget"):
            continue
        plans = iati.read(path)
        assert _plan_budgets_per_year(plans) == _xml_budgets_per_year(root), path


def test_budgets_per_year_through_breakdown() -> None:
    plan = iati.read(ROOT / "src/egovplan/data/iati/example.xml")[0]
    rows = {row.key: row.amount for row in plan.breakdown("year").rows}
    assert rows == {2021: Money(100000, "USD")}  # 120 000 less the revision of 20 000


def test_a_negative_revision_is_read_and_not_reported() -> None:
    plan = iati.read(ROOT / "src/egovplan/data/iati/example.xml")[0]
    revised = [line for line in plan.funding.lines if line.status == "revised"]
    assert [line.amount for line in revised] == [Money(-20000, "USD")]
    assert not [i for i in plan.validate() if i.code == "EGP206"]


def test_a_budget_outside_the_activity_dates_is_reported_by_validation() -> None:
    text = (ROOT / "src/egovplan/data/iati/example.xml").read_text("utf-8")
    text = text.replace(
        'iso-date="2021-01-01"/>\n      <period-end iso-date="2021-12-31"/>\n'
        '      <value value-date="2021-01-01">120000',
        'iso-date="2020-01-01"/>\n      <period-end iso-date="2020-12-31"/>\n'
        '      <value value-date="2020-01-01">120000',
    )
    (plan,) = iati.reads_report(text).plans
    codes = {(issue.code, issue.path) for issue in plan.validate()}
    assert ("EGP503", "funding.lines[0].year") in codes
    # A budget period that is not a calendar year is a period: EGP211 reports it.
    text = text.replace(
        'iso-date="2020-01-01"/>\n      <period-end iso-date="2020-12-31"/>',
        'iso-date="2020-07-01"/>\n      <period-end iso-date="2021-06-30"/>',
    )
    (plan,) = iati.reads_report(text).plans
    codes = {(issue.code, issue.path) for issue in plan.validate()}
    assert ("EGP211", "funding.lines[0].period") in codes


# -- writing --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [EXAMPLE, *SHOULD_PASS], ids=lambda p: p.name)
def test_a_round_trip_validates_and_keeps_budgets_transactions_and_results(path: Path) -> None:
    result = iati.read_report(path)
    text = iati.dumps(result.plans, kept=result.kept)  # validates, or raises
    again = iati.reads_report(text)
    assert [p.funding.lines for p in again.plans] == [
        tuple(line for line in p.funding.lines) for p in result.plans
    ]
    assert [p.objectives for p in again.plans] == [p.objectives for p in result.plans]
    assert [p.observations for p in again.plans] == [p.observations for p in result.plans]
    original = ET.parse(path).getroot()
    written = ET.fromstring(text)
    for tag in ("transaction", "planned-disbursement", "result", "budget"):
        assert len(written.findall(f"iati-activity/{tag}")) == len(
            original.findall(f"iati-activity/{tag}")
        ), tag
    for before, after in zip(
        original.iter("transaction"), written.iter("transaction"), strict=True
    ):
        assert ET.tostring(before).strip() == ET.tostring(after).strip() or (
            _leaves(before) == _leaves(after)
        )
    # Writing what was read again gives the same file.
    assert iati.dumps(again.plans, kept=again.kept) == text


def test_writing_a_plan_of_egovplan(tmp_path: Path) -> None:
    from egovplan import load

    plan = (
        load(ROOT / "examples" / "quang-nam-2021-2025.yaml")
        if (ROOT / "examples" / "quang-nam-2021-2025.yaml").exists()
        else load(sorted((ROOT / "examples").glob("*.yaml"))[0])
    )
    target = tmp_path / "plan.xml"
    iati.write(plan, target)
    (back,) = iati.read(target)
    assert back.id == plan.id
    assert back.period == plan.period
    assert back.metadata.title == plan.metadata.title
    assert sorted(line.amount.amount for line in back.funding.lines) == sorted(
        line.amount.amount for line in plan.funding.lines
    )


def test_titles_in_several_languages_round_trip_as_labels() -> None:
    from egovplan import Labels, Objective

    title = Labels({"vi": "Chính quyền số", "en": "Digital government"})
    goal = Labels({"vi": "Dịch vụ công trực tuyến", "en": "Online public services"})
    plan = Plan(
        id="p-2",
        metadata=PlanMetadata(kind="plan", title=title, language="vi"),
        period=Period.years(2021, 2025),
        objectives=(Objective(id="result-1", text=goal),),
    )
    text = iati.dumps(plan)
    assert '<narrative xml:lang="en">Digital government</narrative>' in text
    result = iati.reads_report(text)
    (back,) = result.plans
    assert back.metadata.title == title
    assert back.objectives[0].text == goal
    assert not [e for e in result.not_carried if "narrative" in e.path]
    assert iati.dumps(back).count("<narrative") == text.count("<narrative")


def test_a_plan_without_agencies_or_lines_is_written_validly() -> None:
    plan = Plan(
        id="p-1", metadata=PlanMetadata(kind="plan", title="T"), period=Period.years(2021, 2025)
    )
    (back,) = iati.reads_report(iati.dumps(plan)).plans
    assert (back.id, back.period, back.metadata.title) == ("p-1", plan.period, "T")


_amounts = st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(2000, 2030),
            st.sampled_from(["USD", "EUR", "VND"]),
            _amounts,
            st.sampled_from([None, "original", "revised"]),
        ),
        max_size=8,
    )
)
def test_budget_lines_round_trip(rows: list[tuple[int, str, Decimal, str | None]]) -> None:
    lines = tuple(
        BudgetLine(
            id=f"budget-{i}",
            source="iati-budget",
            year=year,
            status=status,
            amount=Money(amount, currency),
        )
        for i, (year, currency, amount, status) in enumerate(rows, start=1)
    )
    sources = (FundingSource(id="iati-budget", names=Labels(en="IATI activity budget")),)
    plan = Plan(
        id="x",
        metadata=PlanMetadata(kind="project", title="x", language="en"),
        period=Period.years(2000, 2030),
        funding=Funding(sources=sources if lines else (), lines=lines),
    )
    (back,) = iati.reads_report(iati.dumps(plan)).plans
    assert back.funding.lines == plan.funding.lines


# -- safety ---------------------------------------------------------------------------------


def test_entities_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;">]>\n<iati-activities version="2.03">&lol2;'
        b"</iati-activities>"
    )
    with pytest.raises(LoadError, match="document type declaration"):
        iati.reads_report(bomb)


def test_external_entities_are_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<iati-activities version="2.03">&e;</iati-activities>'
    )
    with pytest.raises(LoadError, match="document type declaration"):
        iati.reads_report(xxe)


def test_limits_apply() -> None:
    text = EXAMPLE.read_bytes()
    with pytest.raises(LoadError, match="limit"):
        iati.reads_report(text, limits=Limits(max_bytes=1000))
    with pytest.raises(LoadError, match=r"Limits\.max_depth"):
        iati.reads_report(text, limits=Limits(max_depth=4))
    with pytest.raises(LoadError, match=r"Limits\.max_items"):
        iati.reads_report(text, limits=Limits(max_items=50))


def test_bad_xml_is_refused_with_its_line() -> None:
    with pytest.raises(LoadError) as caught:
        iati.reads_report(b'<iati-activities version="2.03">\n<iati-activity>\n</iati-activities>')
    assert caught.value.problems[0].line == 3
    assert "well-formed" in caught.value.problems[0].message


def test_version_1_is_refused() -> None:
    with pytest.raises(LoadError, match=r"IATI 1\.05"):
        iati.reads_report(b'<iati-activities version="1.05"><iati-activity/></iati-activities>')


# -- the mapping data -----------------------------------------------------------------------


def test_the_element_order_is_the_schemas() -> None:
    from egovplan._iati_xml import schema

    activity = schema().elements["iati-activities"].type.content[0]
    names = [e.name for e in activity.type.content.iter_elements() if e.name]
    assert iati._data()["element_order"] == names


def test_every_iati_role_has_a_role_and_back() -> None:
    from egovplan.catalog import Catalogues

    roles = Catalogues.default().roles
    for code, role in iati._data()["roles"].items():
        assert roles[role].get("iati_role") == code


def test_the_interop_page_shows_the_mapping_table() -> None:
    """The page's table is the one the data gives, row for row, in order."""
    page = (ROOT / "docs" / "interop.md").read_text("utf-8")
    start = page.index("| IATI | egovplan | how |")
    table = page[start:].split("\n\n", 1)[0].splitlines()[2:]
    assert table == [f"| `{e}` | {field} | {note} |" for e, field, note in iati.mapping_table()]


# -- robustness -----------------------------------------------------------------------------

_NASTY = [
    "",
    " ",
    "x y",
    "xx",
    "1E+99999",
    "-0",
    "9" * 120,
    "2020-13-45",
    "NaN",
    "Infinity",
    "0.000000000000000000000000000001",
    "1900-01-01",
    "2201-01-01",
    "ZZZ",
    "\u00a0",
]


def _mutated(seed: st.DataObject) -> bytes:
    root = ET.parse(EXAMPLE).getroot()
    elements = list(root.iter())
    for _ in range(seed.draw(st.integers(1, 6), label="mutations")):
        element = seed.draw(st.sampled_from(elements), label="element")
        action = seed.draw(st.sampled_from(["attribute", "text", "remove"]), label="action")
        if action == "attribute" and element.attrib:
            name = seed.draw(st.sampled_from(sorted(element.attrib)), label="attribute")
            element.set(name, seed.draw(st.sampled_from(_NASTY), label="value"))
        elif action == "text":
            element.text = seed.draw(st.sampled_from(_NASTY), label="text")
        elif action == "remove":
            for parent in root.iter():
                if element in list(parent):
                    parent.remove(element)
                    break
    return ET.tostring(root)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_a_mutated_file_reads_or_is_refused_and_what_reads_writes(data: st.DataObject) -> None:
    text = _mutated(data)
    try:
        result = iati.reads_report(text)
    except LoadError:
        return
    written = iati.dumps(result.plans, kept=result.kept)
    again = iati.reads_report(written)
    assert [p.funding.lines for p in again.plans] == [p.funding.lines for p in result.plans]
    assert [p.flows for p in again.plans] == [p.flows for p in result.plans]
    assert [p.objectives for p in again.plans] == [p.objectives for p in result.plans]


_SMALL = ROOT / "src" / "egovplan" / "data" / "iati" / "example.xml"


@pytest.mark.parametrize(
    ("old", "new", "reported", "reason"),
    [
        (">120000<", ">" + "9" * 150 + "<", "budget[1]", "Limits.max_digits"),
        (
            '<target value="80"/>',
            '<target value="1E+99999"/>',
            "period/target",
            "Limits.max_digits",
        ),
        ('<baseline year="2020"', '<baseline year="99999"', "baseline", "1900..2200"),
        (
            '2023-12-31"/>\n          <target',
            '2500-12-31"/>\n          <target',
            "indicator/period",
            "1900..2200",
        ),
        (
            "<narrative>Provincial e-government platform</narrative>",
            "<narrative> </narrative>",
            "title",
            "the plan's title is its id",
        ),
        ('default-currency="USD"', 'default-currency="ZZZ"', "budget[1]", "ZZZ"),
    ],
)
def test_values_no_field_can_hold_are_reported(
    old: str, new: str, reported: str, reason: str
) -> None:
    text = _SMALL.read_text("utf-8")
    assert old in text
    result = iati.reads_report(text.replace(old, new))
    entries = [e for e in result.not_carried if e.path.endswith(reported)]
    assert entries, [str(e) for e in result.not_carried]
    assert reason in entries[0].reason
    iati.dumps(result.plans, kept=result.kept)  # and the rest is still written validly


def test_activity_dates_outside_the_calendar_are_refused_naming_the_element() -> None:
    text = _SMALL.read_text("utf-8").replace(
        'iso-date="2023-12-31"/>\n    <budget', 'iso-date="2999-12-31"/>\n    <budget'
    )
    with pytest.raises(LoadError) as caught:
        iati.reads_report(text)
    problem = caught.value.problems[0]
    assert problem.path == "/iati-activities/iati-activity/activity-date[2]"
    assert problem.line == 24


_BUDGET = (
    '<budget{type}><period-start iso-date="{start}"/><period-end iso-date="{end}"/>'
    '<value currency="{currency}" value-date="{start}">{value}</value></budget>'
)


@st.composite
def _budgets(draw: st.DrawFn) -> str:
    """An activity's budgets: calendar years, quarters and other spans, any sign."""
    parts = []
    for _ in range(draw(st.integers(0, 8))):
        year = draw(st.integers(2000, 2030))
        first = draw(st.sampled_from([(1, 1), (4, 1), (7, 1), (4, 15)]))
        start = dt.date(year, *first)
        ends = [dt.date(year, 12, 31), dt.date(year, 6, 30), dt.date(year + 1, 3, 31)]
        end = draw(st.sampled_from([day for day in ends if day >= start]))
        parts.append(
            _BUDGET.format(
                type=draw(st.sampled_from(["", ' type="1"', ' type="2"'])),
                start=start.isoformat(),
                end=end.isoformat(),
                currency=draw(st.sampled_from(["USD", "EUR", "VND"])),
                value=draw(_amounts),
            )
        )
    return "".join(parts)


@settings(max_examples=40, deadline=None)
@given(_budgets())
def test_generated_budgets_sum_per_year_and_round_trip(budgets: str) -> None:
    text = (
        '<iati-activities version="2.03"><iati-activity xml:lang="en">'
        "<iati-identifier>XM-1</iati-identifier>"
        '<reporting-org ref="XM" type="10"><narrative>R</narrative></reporting-org>'
        "<title><narrative>T</narrative></title>"
        '<description type="1"><narrative>D</narrative></description>'
        '<participating-org ref="XM" role="4"><narrative>R</narrative></participating-org>'
        '<activity-status code="2"/><activity-date type="1" iso-date="2000-01-01"/>'
        f"{budgets}</iati-activity></iati-activities>"
    )
    result = iati.reads_report(text)
    assert _plan_budgets_per_year(list(result.plans)) == _xml_budgets_per_year(ET.fromstring(text))
    again = iati.reads_report(iati.dumps(result.plans, kept=result.kept))
    assert again.plans[0].funding.lines == result.plans[0].funding.lines
    # A budget not on quarter bounds is reported, never silently moved.
    moved = {e.path for e in result.not_carried if "/period-start" in e.path}
    assert len(moved) == budgets.count('-04-15"/><period-end')


@pytest.mark.parametrize(
    "context",
    [
        decimal.Context(prec=1, Emax=3, Emin=-3, traps=[decimal.Inexact, decimal.Rounded]),
        decimal.Context(prec=2, rounding=decimal.ROUND_05UP, capitals=0, clamp=1),
    ],
)
def test_reading_and_writing_do_not_depend_on_the_caller_s_decimal_context(
    context: decimal.Context,
) -> None:
    expected = iati.read_report(EXAMPLE)
    text = iati.dumps(expected.plans, kept=expected.kept)
    previous = decimal.getcontext()
    decimal.setcontext(context)
    try:
        found = iati.read_report(EXAMPLE)
        assert found == expected
        assert iati.dumps(found.plans, kept=found.kept) == text
    finally:
        decimal.setcontext(previous)


@pytest.mark.parametrize(
    ("tag", "language", "reported"),
    [("EN", "en", True), ("vi", "vi", False), ("x-klingon", "en", True)],
)
def test_the_activity_language_becomes_the_plan_s(tag: str, language: str, reported: bool) -> None:
    text = _SMALL.read_text("utf-8").replace('xml:lang="en" default', f'xml:lang="{tag}" default')
    result = iati.reads_report(text)
    assert result.plans[0].metadata.language == language
    paths = {e.path for e in result.not_carried}
    assert ("/iati-activities/iati-activity/@xml:lang" in paths) is reported


# -- transactions as flows, results with dates -----------------------------------------------


@pytest.mark.parametrize("path", [EXAMPLE, *SHOULD_PASS], ids=lambda p: p.name)
def test_flows_written_from_their_fields_read_back_the_same(path: Path) -> None:
    """Without the transactions as read, write() writes each flow from its fields."""
    result = iati.read_report(path)
    kept = {key: attrs.evolve(value, transactions=()) for key, value in result.kept.items()}
    text = iati.dumps(result.plans, kept=kept)
    again = iati.reads_report(text)
    assert [p.flows for p in again.plans] == [p.flows for p in result.plans]
    original = ET.parse(path).getroot()
    for before, after in zip(
        original.findall("iati-activity"), ET.fromstring(text).findall("iati-activity"), strict=True
    ):
        assert len(after.findall("transaction")) == len(before.findall("transaction"))


def test_every_transaction_of_the_should_pass_files_is_a_flow() -> None:
    for path in [EXAMPLE, *SHOULD_PASS]:
        result = iati.read_report(path)
        root = ET.parse(path).getroot()
        for plan, activity in zip(result.plans, root.findall("iati-activity"), strict=True):
            types = [t.get("code") for t in activity.findall("transaction/transaction-type")]
            known = [code for code in types if kind_of_iati(code or "") is not None]
            assert [iati_transaction_type(flow.kind) for flow in plan.flows] == known, path
            assert len(known) == len(types) or result.kept[plan.id].elements, path


def test_a_changed_flow_is_written_from_its_fields() -> None:
    result = iati.read_report(EXAMPLE)
    (plan,) = result.plans
    (flow,) = plan.flows
    changed = attrs.evolve(plan, flows=(attrs.evolve(flow, amount=Money(-250, "EUR")),))
    (back,) = iati.reads_report(iati.dumps(changed, kept=result.kept)).plans
    assert back.flows == changed.flows  # a negative value in another currency
    written = ET.fromstring(iati.dumps(changed, kept=result.kept))
    assert written.find("iati-activity/transaction/provider-org") is None  # not a field


def test_a_transaction_type_no_kind_has_is_kept_whole_and_reported() -> None:
    text = _SMALL.read_text("utf-8").replace(
        '<transaction-type code="3"/>', '<transaction-type code="99"/>'
    )
    result = iati.reads_report(text)
    assert result.plans[0].flows == ()
    (entry,) = [e for e in result.not_carried if e.path.endswith("/transaction")]
    assert "'99'" in entry.reason
    written = iati.dumps(result.plans, kept=result.kept)
    assert '<transaction-type code="99" />' in written


def test_execution_of_the_annotated_example_gives_planned_and_actual() -> None:
    from egovplan.breakdowns import execution

    (plan,) = iati.read(EXAMPLE)
    # Its one transaction is incoming funds (1000 AUD), its one budget 1000 AUD for 2014.
    done = execution(plan, basis="lines", kinds=["incoming_funds"])
    (row,) = done.rows
    assert (row.key, row.planned, row.actual) == (
        "iati-budget",
        Money(1000, "AUD"),
        Money(1000, "AUD"),
    )
    assert done.rate == Decimal(100)
    by_year = execution(plan, by="year", basis="lines", kinds=["incoming_funds"])
    assert [(r.key, r.planned, r.actual) for r in by_year.rows] == [
        (1995, Money(0, "AUD"), Money(1000, "AUD")),
        (2014, Money(1000, "AUD"), Money(0, "AUD")),
    ]
    # By default only money spent counts (disbursements, expenditure): none here.
    assert execution(plan, basis="lines").actual == Money(0, "AUD")


def test_execution_of_the_small_example() -> None:
    from egovplan.breakdowns import execution

    (plan,) = iati.read(_SMALL)
    done = execution(plan, by="year", basis="lines")
    assert (done.planned, done.actual) == (Money(100000, "USD"), Money(50000, "USD"))
    assert (done.rate, done.remaining) == (Decimal(50), Money(50000, "USD"))


_PERIOD = (
    '<period><period-start iso-date="{start}"/><period-end iso-date="{end}"/>'
    "{target}{actual}</period>"
)


@pytest.mark.parametrize(
    ("start", "end", "actual", "deadline", "exact"),
    [
        ("2022-01-01", "2022-12-31", False, When(2022), True),
        ("2022-04-01", "2022-06-30", False, When(2022, quarter=2), True),
        ("2022-05-01", "2022-05-31", False, When(2022, month=5), True),
        ("2022-05-15", "2022-05-15", False, When(2022, month=5, day=15), True),
        ("2022-01-01", "2022-06-30", True, When(2022, quarter=2), True),
        ("2022-01-01", "2022-05-20", True, When(2022, month=5, day=20), True),
        ("2022-02-10", "2022-05-20", False, When(2022, month=5, day=20), False),
    ],
)
def test_a_period_s_end_is_the_target_s_deadline_to_the_day(
    start: str, end: str, actual: bool, deadline: When, exact: bool
) -> None:
    period = _PERIOD.format(
        start=start,
        end=end,
        target='<target value="5"/>',
        actual='<actual value="4"/>' if actual else "",
    )
    text = _SMALL.read_text("utf-8").replace("</indicator>", period + "</indicator>")
    result = iati.reads_report(text)
    (plan,) = result.plans
    target = plan.objectives[0].targets[-1]
    assert target.deadline == deadline
    moved = [e for e in result.not_carried if "/period[2]/period-" in e.path]
    assert (not moved) == exact
    again = iati.reads_report(iati.dumps(plan, kept=result.kept))
    assert again.plans[0].objectives == plan.objectives
    assert again.plans[0].observations == plan.observations


def test_qualitative_indicators_comments_and_baseline_sources_round_trip() -> None:
    text = _SMALL.read_text("utf-8").replace(
        '<baseline year="2020" value="10"/>',
        '<baseline year="2020" value="10"><comment><narrative>Survey 2020</narrative>'
        "</comment></baseline>",
    )
    text = text.replace(
        "</result>",
        '<indicator measure="5" ascending="1"><title><narrative>Citizens trust the portal'
        '</narrative></title><period><period-start iso-date="2023-01-01"/>'
        '<period-end iso-date="2023-12-31"/><target><comment><narrative>Most users say'
        " they trust it</narrative></comment></target></period></indicator></result>",
    )
    result = iati.reads_report(text)
    (plan,) = result.plans
    quantitative, qualitative = plan.objectives[0].targets
    assert quantitative.baseline == Baseline(value=10, year=2020, source="Survey 2020")
    assert qualitative.kind is TargetKind.QUALITATIVE
    assert (qualitative.value, qualitative.unit) == (None, "")
    assert qualitative.description == "Most users say they trust it"
    assert qualitative.deadline == When(2023)
    paths = [e.path for e in result.not_carried]
    assert not [p for p in paths if "/result/" in p], paths
    # Written from the fields alone (no parts kept), it reads back the same.
    (back,) = iati.reads_report(iati.dumps(plan)).plans
    assert back.objectives == plan.objectives


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                sorted(
                    k
                    for k in (
                        "commitment",
                        "disbursement",
                        "expenditure",
                        "incoming_funds",
                        "reimbursement",
                    )
                )
            ),
            st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
            st.sampled_from(["USD", "EUR", "VND"]),
            _amounts,
            st.sampled_from([None, "DOIC", "MOF"]),
        ),
        max_size=6,
    )
)
def test_flows_round_trip(rows: list[tuple[str, dt.date, str, Decimal, str | None]]) -> None:
    from egovplan.agency import Agency

    flows = tuple(
        Flow(id=f"t{i}", kind=kind, date=day, agency=agency, amount=Money(amount, currency))
        for i, (kind, day, currency, amount, agency) in enumerate(rows, start=1)
    )
    plan = Plan(
        id="x",
        metadata=PlanMetadata(kind="project", title="x", language="en"),
        period=Period.years(2000, 2030),
        agencies=(Agency(id="DOIC", names=Labels(en="Department"), kind="department"),),
        flows=flows,
    )
    (back,) = iati.reads_report(iati.dumps(plan)).plans
    assert back.flows == plan.flows


def test_a_planned_start_or_end_inside_a_quarter_is_the_activity_task_s_schedule() -> None:
    result = iati.read_report(EXAMPLE)
    (plan,) = result.plans
    (task,) = plan.tasks
    assert task.schedule is not None
    assert (task.schedule.start, task.schedule.deadline) == (When(2012, month=4, day=15), None)
    paths = [e.path for e in result.not_carried]
    assert "/iati-activities/iati-activity/activity-date[1]" not in paths
    assert "/iati-activities/iati-activity/activity-date[2]" in paths  # the actual start
    # Written from the fields alone, the dates come back.
    written = ET.fromstring(iati.dumps(plan))
    dates = {d.get("type"): d.get("iso-date") for d in written.iter("activity-date")}
    assert dates == {"1": "2012-04-15", "3": "2015-12-31"}


@pytest.mark.parametrize(
    ("start", "end", "schedule"),
    [
        ("2021-01-01", "2023-12-31", None),
        ("2021-03-01", "2023-12-31", (When(2021, month=3), None)),
        ("2021-01-01", "2023-11-30", (None, When(2023, month=11))),
        ("2021-02-17", "2023-10-04", (When(2021, month=2, day=17), When(2023, month=10, day=4))),
    ],
)
def test_activity_dates_round_trip_to_the_day(
    start: str, end: str, schedule: tuple[When | None, When | None] | None
) -> None:
    text = (
        _SMALL.read_text("utf-8")
        .replace('type="1" iso-date="2021-01-01"', f'type="1" iso-date="{start}"')
        .replace('type="3" iso-date="2023-12-31"', f'type="3" iso-date="{end}"')
    )
    result = iati.reads_report(text)
    (plan,) = result.plans
    assert str(plan.period) == "2021-2023"
    (task,) = plan.tasks
    found = None if task.schedule is None else (task.schedule.start, task.schedule.deadline)
    assert found == schedule
    assert not [e for e in result.not_carried if "activity-date" in e.path]
    (back,) = iati.reads_report(iati.dumps(plan)).plans
    assert back.tasks == plan.tasks
