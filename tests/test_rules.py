"""The built-in rules: for each code, a plan that passes and a plan that fails.

``base_plan()`` is a small but complete plan (levels, agencies, nested objectives with
per-level, range, breakdown, list and rank targets, tasks, funding shaped like seed 003,
reporting, indicators, observations) that validates clean. Each failing case changes one
thing and asserts the exact issues, by code and path, of the whole default ruleset.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

from egovplan.agency import Agency, Level
from egovplan.catalog import Catalogues
from egovplan.document import Citation, DocumentRef, EntryIntoForce, PlanMetadata
from egovplan.exchange import ExchangeRate
from egovplan.flows import Flow
from egovplan.funding import BudgetLine, BudgetLineStatus, Funding, FundingSource, SpendingRule
from egovplan.indicator import Indicator, Observation, StatedRank
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.objective import (
    Baseline,
    Comparator,
    LevelTarget,
    Objective,
    ObjectiveKind,
    Target,
    TargetPart,
    TargetRef,
)
from egovplan.period import Period, Quarter
from egovplan.plan import Annex, Plan
from egovplan.recurrence import Recurrence
from egovplan.reporting import ReportingDuty
from egovplan.task import Assignment, Schedule, Task
from egovplan.validation import Severity, default_registry, validate
from egovplan.when import When

BILLION = 1_000_000_000


def _usd(rate: str) -> ExchangeRate:
    import datetime as dt

    return ExchangeRate(base="USD", quote="VND", rate=Decimal(rate), date=dt.date(2021, 1, 4))


def vnd(billions: int | str) -> Money:
    return Money(Decimal(billions) * BILLION, "VND")


def names(vi: str, en: str) -> Labels:
    return Labels({"vi": vi, "en": en})


#: Seed 003 (Quảng Nam 2021–2025): the seven sources, digits and words as written, except
#: that source 2's words are corrected here (the document says "Một trăm tỷ đồng").
SEED_003_SOURCES = (
    ("s1", "provincial_investment", 200, "Hai trăm tỷ đồng"),
    ("s2", "recurrent", 150, "Một trăm năm mươi tỷ đồng"),
    ("s3", "local_budget", 81, "Tám mươi mốt tỷ đồng"),
    ("s4", "central_support", 320, "Ba trăm hai mươi tỷ đồng"),
    ("s5", "science_project", 20, "Hai mươi tỷ đồng"),
    ("s6", "grant", 30, "Ba mươi tỷ đồng"),
    ("s7", "socialisation", 100, "Một trăm tỷ đồng"),
)
SHARES = ("22.20", "16.65", "8.99", "35.51", "2.22", "3.33", "11.10")


def seed_003_funding() -> Funding:
    return Funding(
        total=vnd(901),
        total_in_words="chín trăm lẻ một tỷ đồng",
        sources=tuple(
            FundingSource(
                id=sid, kind=kind, names=names(kind, kind), amount=vnd(b), amount_in_words=words
            )
            for sid, kind, b, words in SEED_003_SOURCES
        ),
    )


def base_plan() -> Plan:
    levels = (
        Level(id="province", names=names("cấp tỉnh", "province"), order=1),
        Level(id="district", names=names("cấp huyện", "district"), order=2),
        Level(id="commune", names=names("cấp xã", "commune"), order=3),
    )
    agencies = (
        Agency(
            id="ubnd", names=names("UBND tỉnh", "PC"), kind="people_committee", level="province"
        ),
        Agency(
            id="stttt",
            names=names("Sở TT&TT", "DIC"),
            kind="department",
            level="province",
            parent="ubnd",
        ),
        Agency(id="stc", names=names("Sở Tài chính", "DoF"), kind="department", parent="ubnd"),
        Agency(id="skhdt", names=names("Sở KH&ĐT", "DPI"), kind="department", parent="ubnd"),
        Agency(
            id="huyen",
            names=names("UBND huyện", "district PC"),
            kind="district_committee",
            level="district",
            parent="ubnd",
        ),
    )
    targets = (
        Target(
            id="t1",
            measure="dossiers processed online",
            by_level=(("province", Decimal(100)), ("district", Decimal(80)), ("commune", 60)),
            unit="percent",
            deadline=2025,
        ),
        Target(
            id="t2",
            measure="satisfaction",
            comparator=Comparator.BETWEEN,
            value=Decimal(88),
            upper=Decimal(90),
            unit="percent",
            deadline=2025,
            baseline=Baseline(value=Decimal(80), year=2020),
        ),
        Target(
            id="t3",
            measure="IT staff",
            value=Decimal(100),
            unit="people",
            deadline=2025,
            parts=(
                TargetPart(label="CIOs", value=Decimal(35)),
                TargetPart(label="specialists", value=Decimal(65)),
            ),
        ),
        Target(
            id="t4",
            measure="key databases",
            value=Decimal(3),
            unit="databases",
            deadline=2030,
            items=("land", "population", "enterprises"),
        ),
        Target(
            id="t5",
            measure="ICT-Index rank",
            comparator=Comparator.LE,
            value=Decimal(10),
            unit="rank",
            deadline=2025,
            indicator="ict",
        ),
    )
    objectives = (
        Objective(
            id="o1",
            kind=ObjectiveKind.GENERAL,
            text="Digital government",
            children=(Objective(id="o1a", kind=ObjectiveKind.SPECIFIC, targets=targets),),
        ),
    )
    tasks = (
        Task(
            id="k1",
            title="Build the data platform",
            objectives=("o1a",),
            indicators=("ict",),
            schedule=Schedule(period=Period.years(2021, 2023)),
            assignments=(
                Assignment(agency="stttt", role="lead"),
                Assignment(agency="stc", role="coordinate"),
            ),
        ),
        Task(
            id="k2",
            title="Fund the plan",
            assignments=(
                Assignment(agency="skhdt", role="lead"),
                Assignment(agency="stc", role="fund"),
            ),
        ),
    )
    funding = attrs.evolve(
        seed_003_funding(),
        lines=(
            BudgetLine(id="l1", source="s1", year=2021, agency="stttt", task="k1", amount=vnd(100)),
            BudgetLine(id="l2", source="s1", year=2022, amount=vnd(50)),
            BudgetLine(
                id="l3", source="s2", year=2023, agency="stc", objective="o1a", amount=vnd(150)
            ),
        ),
        stated_shares=tuple(
            (sid, Decimal(share)) for (sid, *_), share in zip(SEED_003_SOURCES, SHARES, strict=True)
        ),
        rules=(
            SpendingRule(
                id="r1",
                description="at least 1% of provincial spending on ICT",
                percent=Decimal(1),
                base=vnd(10_000),
                amount=vnd(120),
            ),
        ),
    )
    return Plan(
        id="qn-2021",
        metadata=PlanMetadata(kind="project", title="ICT application 2021–2025"),
        period=Period.years(2021, 2025),
        horizon=2030,
        legal_bases=(DocumentRef(kind="decision", number="749", issuer="TTg"),),
        levels=levels,
        agencies=agencies,
        objectives=objectives,
        tasks=tasks,
        funding=funding,
        flows=(
            Flow(id="f1", kind="commitment", source="s1", year=2021, task="k1", amount=vnd(90)),
            Flow(
                id="f2",
                kind="disbursement",
                source="s1",
                date=dt.date(2021, 9, 30),
                agency="stttt",
                task="k1",
                amount=vnd(60),
            ),
            Flow(
                id="f3",
                kind="expenditure",
                source="s2",
                year=2023,
                period=Period.quarter(2023, 2),
                objective="o1a",
                amount=vnd(20),
            ),
        ),
        reporting=(
            ReportingDuty(id="d1", reporter="huyen", recipient="stttt", cadence="quarterly"),
            ReportingDuty(id="d2", reporter="stttt", recipient="ubnd", cadence="yearly"),
        ),
        indicators=(Indicator(id="ict", names=names("ICT-Index", "ICT-Index"), unit="rank"),),
        observations=(
            Observation(
                indicator="ict", subject="quang-nam", period=Period.year(2020), rank=20, ranked=63
            ),
        ),
    )


# --- mutation helpers ------------------------------------------------------------------------


def _set(seq: tuple[Any, ...], index: int, **changes: Any) -> tuple[Any, ...]:
    out = list(seq)
    out[index] = attrs.evolve(out[index], **changes)
    return tuple(out)


def meta(plan: Plan, **changes: Any) -> Plan:
    return attrs.evolve(plan, metadata=attrs.evolve(plan.metadata, **changes))


DECISION = DocumentRef(kind="decision", number="886", issuer="UBND", date=dt.date(2012, 6, 11))
SUBMISSION = DocumentRef(
    kind="submission",
    number="170",
    issuer="STTTT",
    date=dt.date(2020, 9, 30),
    issuing_body="Sở Thông tin và Truyền thông",
)
CITED = DocumentRef(kind="decision", number="3540", issuer="UBND", date=dt.date(2017, 8, 9))


def funding(plan: Plan, **changes: Any) -> Plan:
    return attrs.evolve(plan, funding=attrs.evolve(plan.funding, **changes))


def source(plan: Plan, index: int, **changes: Any) -> Plan:
    return funding(plan, sources=_set(plan.funding.sources, index, **changes))


def line(plan: Plan, index: int, **changes: Any) -> Plan:
    return funding(plan, lines=_set(plan.funding.lines, index, **changes))


def flow(plan: Plan, index: int, **changes: Any) -> Plan:
    return attrs.evolve(plan, flows=_set(plan.flows, index, **changes))


def target(plan: Plan, index: int, **changes: Any) -> Plan:
    parent = plan.objectives[0]
    child = parent.children[0]
    child = attrs.evolve(child, targets=_set(child.targets, index, **changes))
    return attrs.evolve(plan, objectives=(attrs.evolve(parent, children=(child,)),))


def task(plan: Plan, index: int, **changes: Any) -> Plan:
    return attrs.evolve(plan, tasks=_set(plan.tasks, index, **changes))


def agency(plan: Plan, index: int, **changes: Any) -> Plan:
    return attrs.evolve(plan, agencies=_set(plan.agencies, index, **changes))


def add_agency(plan: Plan, agency_id: str) -> Plan:
    extra = Agency(id=agency_id, names=names(agency_id, agency_id), kind="department")
    return attrs.evolve(plan, agencies=(*plan.agencies, extra))


def stated(plan: Plan, rank: int, change: int) -> Plan:
    """The plan stating a 2020 rank and its change from 2019, with a 2019 observation."""
    earlier = Observation(indicator="ict", subject="quang-nam", period=Period.year(2019), rank=25)
    said = StatedRank(
        indicator="ict",
        subject="quang-nam",
        period=Period.year(2020),
        rank=rank,
        change=change,
        compared_to=Period.year(2019),
    )
    return attrs.evolve(plan, observations=(*plan.observations, earlier), stated_ranks=(said,))


def observed_again(plan: Plan, rank: int) -> Plan:
    again = attrs.evolve(plan.observations[0], rank=rank)
    return attrs.evolve(plan, observations=(*plan.observations, again))


def shares(*values: tuple[str, str]) -> Callable[[Plan], Plan]:
    return lambda p: funding(p, stated_shares=tuple((k, Decimal(v)) for k, v in values))


def minimal_plan(**changes: Any) -> Plan:
    return Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P"),
        period=Period.years(2021, 2025),
        **changes,
    )


T = "objectives[0].children[0].targets"


# --- the cases -------------------------------------------------------------------------------

Case = tuple[Callable[[Plan], Plan], list[tuple[str, str]]]

FAILS: dict[str, Case] = {
    "EGP101-flow": (lambda p: flow(p, 2, id="f1"), [("EGP101", "flows[2].id")]),
    "EGP103-flow": (
        lambda p: flow(p, 1, source="s9", agency="nobody", task="k9", objective="o9"),
        [
            ("EGP103", "flows[1].source"),
            ("EGP103", "flows[1].agency"),
            ("EGP103", "flows[1].task"),
            ("EGP103", "flows[1].objective"),
        ],
    ),
    "EGP105-flow": (lambda p: flow(p, 0, kind="settlement"), [("EGP105", "flows[0].kind")]),
    "EGP225": (
        lambda p: flow(flow(p, 0, year=2020), 1, date=dt.date(2026, 1, 2)),
        [("EGP225", "flows[0].year"), ("EGP225", "flows[1].date")],
    ),
    "EGP225-period": (
        lambda p: flow(p, 2, year=None, period=Period.years(2024, 2026)),
        [("EGP225", "flows[2].period")],
    ),
    "EGP226": (
        lambda p: flow(flow(p, 1, year=2022), 2, period=Period.quarter(2024, 1)),
        [("EGP226", "flows[1].date"), ("EGP226", "flows[2].period")],
    ),
    "EGP226-date-period": (
        lambda p: flow(p, 2, year=None, date=dt.date(2023, 7, 1)),
        [("EGP226", "flows[2].date")],
    ),
    "EGP227": (
        lambda p: flow(p, 1, amount=Money(5000, "USD")),
        [("EGP227", "flows[1].amount")],
    ),
    "EGP228": (
        lambda p: flow(p, 2, amount=vnd(151)),
        [("EGP228", "funding.sources[1].amount")],
    ),
    "EGP101-agency": (lambda p: add_agency(p, "stc"), [("EGP101", "agencies[5].id")]),
    "EGP101-nested-objective": (
        lambda p: attrs.evolve(
            p,
            objectives=(
                attrs.evolve(
                    p.objectives[0],
                    children=(*p.objectives[0].children, Objective(id="o1")),
                ),
            ),
        ),
        [("EGP101", "objectives[0].children[1].id")],
    ),
    "EGP102": (lambda p: add_agency(p, "STC"), [("EGP102", "agencies[5].id")]),
    "EGP102-normal-form": (
        lambda p: add_agency(add_agency(p, "sở-tc"), unicodedata.normalize("NFD", "sở-tc")),
        [("EGP102", "agencies[6].id")],
    ),
    # All Cyrillic ("ѕтс"): looks like "stc" without mixing scripts.
    "EGP106": (lambda p: add_agency(p, "ѕтс"), [("EGP106", "agencies[5].id")]),
    "EGP107": (lambda p: add_agency(p, "new\u200bagency"), [("EGP107", "agencies[5].id")]),
    "EGP107-bidi": (lambda p: add_agency(p, "new\u202eagency"), [("EGP107", "agencies[5].id")]),
    "EGP108": (lambda p: add_agency(p, "nеw"), [("EGP108", "agencies[5].id")]),
    "EGP103-assignment": (
        lambda p: task(
            p,
            0,
            assignments=(
                Assignment(agency="stttt", role="lead"),
                Assignment(agency="sgtvt", role="coordinate"),
            ),
        ),
        [("EGP103", "tasks[0].assignments[1].agency")],
    ),
    "EGP103-by-level": (
        lambda p: target(p, 0, by_level=(("province", Decimal(100)), ("ward", Decimal(60)))),
        [("EGP103", f"{T}[0].by_level[1].level")],
    ),
    "EGP103-line-source": (
        lambda p: line(p, 1, source="s9"),
        [("EGP103", "funding.lines[1].source")],
    ),
    "EGP103-line-task-objective": (
        lambda p: line(line(p, 0, task="k9"), 2, objective="o9"),
        [("EGP103", "funding.lines[0].task"), ("EGP103", "funding.lines[2].objective")],
    ),
    "EGP103-share-source": (
        lambda p: funding(
            p, stated_shares=(*p.funding.stated_shares[:-1], ("s9", Decimal("11.10")))
        ),
        [("EGP103", "funding.stated_shares.s9")],
    ),
    "EGP103-reporting-observation-indicator": (
        lambda p: attrs.evolve(
            task(p, 0, indicators=("pci",)),
            reporting=_set(p.reporting, 1, recipient="vp"),
            observations=_set(p.observations, 0, indicator="pci"),
        ),
        [
            ("EGP103", "tasks[0].indicators[0]"),
            ("EGP103", "reporting[1].recipient"),
            ("EGP103", "observations[0].indicator"),
        ],
    ),
    "EGP103-parent-level": (
        lambda p: agency(p, 2, parent="tinh", level="ward"),
        [("EGP103", "agencies[2].parent"), ("EGP103", "agencies[2].level")],
    ),
    "EGP104": (lambda p: agency(p, 0, parent="stttt"), [("EGP104", "agencies[0].parent")]),
    "EGP104-self": (lambda p: agency(p, 3, parent="skhdt"), [("EGP104", "agencies[3].parent")]),
    "EGP105-source-kind": (
        lambda p: source(p, 6, kind="lotery"),
        [("EGP105", "funding.sources[6].kind")],
    ),
    "EGP105-role-document": (
        lambda p: task(
            attrs.evolve(p, legal_bases=(DocumentRef(kind="memo", number="1", issuer="X"),)),
            1,
            assignments=(
                Assignment(agency="skhdt", role="lead"),
                Assignment(agency="stc", role="pay"),
            ),
        ),
        [("EGP105", "legal_bases[0].kind"), ("EGP105", "tasks[1].assignments[1].role")],
    ),
    "EGP201": (
        lambda p: funding(p, total=vnd(851), total_in_words=None),
        [("EGP201", "funding.total")],
    ),
    "EGP202-seed-003": (
        lambda p: source(p, 1, amount_in_words="Một trăm tỷ đồng"),
        [("EGP202", "funding.sources[1].amount_in_words")],
    ),
    "EGP202-total": (
        lambda p: funding(p, total_in_words="chín trăm tỷ đồng"),
        [("EGP202", "funding.total_in_words")],
    ),
    "EGP203": (
        lambda p: source(p, 0, amount_in_words="hai trăm con mèo"),
        [("EGP203", "funding.sources[0].amount_in_words")],
    ),
    "EGP204": (
        shares(("s1", "60"), ("s2", "50")),
        [
            ("EGP204", "funding.stated_shares"),
            ("EGP205", "funding.stated_shares.s1"),
            ("EGP205", "funding.stated_shares.s2"),
        ],
    ),
    "EGP205": (shares(("s1", "25")), [("EGP205", "funding.stated_shares.s1")]),
    "EGP206": (
        lambda p: line(p, 1, amount=vnd(-5)),
        [("EGP206", "funding.lines[1].amount")],
    ),
    "EGP206-original": (
        lambda p: line(p, 1, amount=vnd(-5), status=BudgetLineStatus.ORIGINAL),
        [("EGP206", "funding.lines[1].amount")],
    ),
    "EGP207": (lambda p: line(p, 2, amount=vnd(160)), [("EGP207", "funding.sources[1].amount")]),
    "EGP211": (
        lambda p: line(p, 0, period=Period.quarter(2022, 3)),
        [("EGP211", "funding.lines[0].period")],
    ),
    "EGP211-plan": (
        lambda p: line(p, 1, year=None, period=Period.years(2025, 2027)),
        [("EGP211", "funding.lines[1].period")],
    ),
    "EGP208": (
        lambda p: line(p, 1, amount=Money(500, "USD")),
        [("EGP208", "funding.lines[1].amount")],
    ),
    "EGP209": (
        lambda p: funding(p, rules=_set(p.funding.rules, 0, amount=vnd(80))),
        [("EGP209", "funding.rules[0].amount")],
    ),
    "EGP210": (
        lambda p: funding(p, rules=_set(p.funding.rules, 0, percent=Decimal(-1))),
        [("EGP210", "funding.rules[0].percent")],
    ),
    "EGP212": (
        # at most 1 % of 10,000: 120 is above
        lambda p: funding(p, rules=_set(p.funding.rules, 0, comparator=Comparator.LE)),
        [("EGP212", "funding.rules[0].amount")],
    ),
    "EGP213": (
        # exactly 1 %: 150 of 10,000 is 1.5 %, which rounds to 2
        lambda p: funding(
            p, rules=_set(p.funding.rules, 0, comparator=Comparator.EQ, amount=vnd(150))
        ),
        [("EGP213", "funding.rules[0].amount")],
    ),
    "EGP214": (
        lambda p: funding(p, rules=_set(p.funding.rules, 0, comparator=Comparator.BETWEEN)),
        [("EGP214", "funding.rules[0].comparator")],
    ),
    "EGP215": (
        lambda p: funding(p, exchange_rates=(_usd("25000"), _usd("24000"))),
        [("EGP215", "funding.exchange_rates[1].rate")],
    ),
    "EGP208-rate": (
        # a rate recorded, but not for this currency
        lambda p: funding(line(p, 1, amount=Money(5, "EUR")), exchange_rates=(_usd("25000"),)),
        [("EGP208", "funding.lines[1].amount")],
    ),
    "EGP210-share": (
        shares(("s1", "22.2"), ("s2", "101")),
        [
            ("EGP204", "funding.stated_shares"),
            ("EGP205", "funding.stated_shares.s2"),
            ("EGP210", "funding.stated_shares.s2"),
        ],
    ),
    "EGP301": (
        lambda p: target(p, 0, by_level=(("district", Decimal(160)),)),
        [("EGP301", f"{T}[0].by_level[0].value")],
    ),
    "EGP302": (
        lambda p: target(p, 1, value=Decimal(90), upper=Decimal(88)),
        [("EGP302", f"{T}[1].upper")],
    ),
    "EGP302-missing": (
        lambda p: target(p, 1, upper=None),
        [("EGP302", f"{T}[1].upper")],
    ),
    "EGP302-unused": (
        lambda p: target(p, 4, upper=Decimal(12)),
        [("EGP302", f"{T}[4].upper")],
    ),
    "EGP302-level": (
        lambda p: target(
            p, 0, by_level=(LevelTarget(level="province", comparator="between", value=90),)
        ),
        [("EGP302", f"{T}[0].by_level[0].upper")],
    ),
    "EGP303": (lambda p: target(p, 2, unit=""), [("EGP303", f"{T}[2].unit")]),
    "EGP304": (
        lambda p: target(
            p,
            2,
            parts=(
                TargetPart(label="CIOs", value=Decimal(35)),
                TargetPart(label="specialists", value=Decimal(60)),
            ),
        ),
        [("EGP304", f"{T}[2].parts")],
    ),
    "EGP305": (lambda p: target(p, 3, items=("land", "population")), [("EGP305", f"{T}[3].items")]),
    "EGP305-at-least": (
        lambda p: target(p, 3, comparator=Comparator.GE, items=("land", "population")),
        [("EGP305", f"{T}[3].items")],
    ),
    "EGP306": (lambda p: target(p, 4, value=Decimal(0)), [("EGP306", f"{T}[4].value")]),
    "EGP307": (lambda p: target(p, 2, kind="qualitative"), [("EGP307", f"{T}[2].value")]),
    "EGP307-per-level": (
        lambda p: target(p, 0, kind="milestone"),
        [("EGP307", f"{T}[0].by_level")],
    ),
    "EGP308": (
        lambda p: target(p, 1, qualifiers=("strive", "approximate", "ensure")),
        [("EGP308", f"{T}[1].qualifiers")],
    ),
    "EGP309": (
        lambda p: target(p, 0, by_level=(("province", 100), ("district", 80), ("province", 90))),
        [("EGP309", f"{T}[0].by_level[2].level")],
    ),
    "EGP310": (
        lambda p: target(p, 1, contributes_to=(TargetRef(plan=p.id, target="t9"),)),
        [("EGP310", f"{T}[1].contributes_to[0].target")],
    ),
    "EGP310-itself": (
        lambda p: target(p, 1, contributes_to=(TargetRef(plan=p.id, target="t2"),)),
        [("EGP310", f"{T}[1].contributes_to[0]")],
    ),
    "EGP310-task": (
        lambda p: task(
            p,
            0,
            targets=(
                Target(
                    id="t9",
                    measure="m",
                    value=1,
                    unit="people",
                    contributes_to=(TargetRef(plan=p.id, target="t0"),),
                ),
            ),
        ),
        [("EGP310", "tasks[0].targets[0].contributes_to[0].target")],
    ),
    "EGP105-qualifier": (
        lambda p: target(p, 1, qualifiers=("hopefully",)),
        [("EGP105", f"{T}[1].qualifiers[0]")],
    ),
    "EGP105-counts": (
        lambda p: target(
            p, 0, by_level=(LevelTarget(level="province", value=1, counts="ministries"),)
        ),
        [("EGP105", f"{T}[0].by_level[0].counts")],
    ),
    "EGP306-fraction": (
        lambda p: target(p, 4, value=Decimal("2.5")),
        [("EGP306", f"{T}[4].value")],
    ),
    "EGP401": (
        lambda p: task(p, 1, assignments=(Assignment(agency="stc", role="fund"),)),
        [("EGP401", "tasks[1].assignments")],
    ),
    "EGP402": (
        lambda p: task(
            p,
            0,
            assignments=(
                Assignment(agency="stttt", role="lead"),
                Assignment(agency="stc", role="lead"),
            ),
        ),
        [("EGP402", "tasks[0].assignments")],
    ),
    "EGP401-only-coordinating": (
        # "Phối hợp với …" with no one named to act: still no lead.
        lambda p: task(
            p,
            1,
            assignments=(
                Assignment(agency="stttt", role="coordinate"),
                Assignment(agency="stc", role="coordinate"),
            ),
        ),
        [("EGP401", "tasks[1].assignments")],
    ),
    "EGP402-beside-a-group": (
        # A group's lead does not hide two single agencies leading jointly.
        lambda p: task(
            agency(p, 4, collective=True),
            0,
            assignments=(
                Assignment(agency="huyen", role="lead"),
                Assignment(agency="stttt", role="lead"),
                Assignment(agency="stc", role="lead"),
            ),
        ),
        [("EGP402", "tasks[0].assignments")],
    ),
    "EGP402-implement-and-leads": (
        lambda p: task(
            p,
            0,
            assignments=(
                Assignment(agency="stttt", role="lead"),
                Assignment(agency="skhdt", role="implement"),
                Assignment(agency="stc", role="lead"),
            ),
        ),
        [("EGP402", "tasks[0].assignments")],
    ),
    "EGP501": (
        lambda p: attrs.evolve(minimal_plan(), period=Period(Quarter(2025, 1), Quarter(2021, 4))),
        [("EGP501", "period")],
    ),
    "EGP501-observation": (
        lambda p: attrs.evolve(
            p,
            observations=_set(p.observations, 0, period=Period(Quarter(2020, 4), Quarter(2020, 1))),
        ),
        [("EGP501", "observations[0].period")],
    ),
    "EGP502": (
        lambda p: attrs.evolve(p, horizon=2025),
        [("EGP502", "horizon"), ("EGP504", f"{T}[3].deadline")],
    ),
    "EGP503": (lambda p: line(p, 0, year=2027), [("EGP503", "funding.lines[0].year")]),
    "EGP504": (lambda p: target(p, 0, deadline=2035), [("EGP504", f"{T}[0].deadline")]),
    "EGP504-before": (lambda p: target(p, 4, deadline=2019), [("EGP504", f"{T}[4].deadline")]),
    "EGP504-quarter": (
        lambda p: target(p, 4, deadline=When(2031, quarter=3)),
        [("EGP504", f"{T}[4].deadline")],
    ),
    "EGP505": (
        lambda p: task(p, 0, schedule=Schedule(deadline=When(2027, month=6, by=True))),
        [("EGP505", "tasks[0].schedule.deadline")],
    ),
    "EGP505-start": (
        lambda p: task(p, 1, schedule=Schedule(start=When(2020, month=12))),
        [("EGP505", "tasks[1].schedule.start")],
    ),
    "EGP506": (
        lambda p: task(
            p, 0, schedule=Schedule(start=When(2024, month=1), deadline=When(2023, quarter=3))
        ),
        [("EGP506", "tasks[0].schedule.start")],
    ),
    "EGP506-period": (
        lambda p: task(p, 0, schedule=Schedule(start=When(2024), period=Period.years(2021, 2023))),
        [("EGP506", "tasks[0].schedule.start")],
    ),
    "EGP507": (
        lambda p: task(p, 0, schedule=Schedule(recurrence=Recurrence(interval=0, unit="month"))),
        [("EGP507", "tasks[0].schedule.recurrence.interval")],
    ),
    "EGP508": (
        lambda p: task(
            p, 0, schedule=Schedule(recurrence=Recurrence(interval=2, unit="fortnight"))
        ),
        [("EGP508", "tasks[0].schedule.recurrence.unit")],
    ),
    "EGP509": (
        lambda p: task(
            p,
            0,
            schedule=Schedule(
                period=Period.years(2021, 2022), recurrence=Recurrence(interval=3, unit="year")
            ),
        ),
        [("EGP509", "tasks[0].schedule.recurrence")],
    ),
    "EGP510": (
        lambda p: task(p, 0, schedule=Schedule(start=When(2022, by=True))),
        [("EGP510", "tasks[0].schedule.start")],
    ),
    "EGP601": (
        lambda p: attrs.evolve(p, reporting=_set(p.reporting, 0, cadence="fortnightly")),
        [("EGP601", "reporting[0].cadence")],
    ),
    "EGP601-cadences": (
        lambda p: attrs.evolve(
            p, reporting=_set(p.reporting, 0, cadences=("fortnightly", "six_monthly"))
        ),
        [("EGP601", "reporting[0].cadences[0]")],
    ),
    "EGP103-via": (
        lambda p: attrs.evolve(
            p, reporting=_set(p.reporting, 0, recipient=None, recipients=("ubnd",), via=("vp",))
        ),
        [("EGP103", "reporting[0].via[0]")],
    ),
    "EGP602": (
        lambda p: attrs.evolve(p, reporting=_set(p.reporting, 1, reporter=None)),
        [("EGP602", "reporting[1].reporter")],
    ),
    "EGP603": (
        lambda p: attrs.evolve(p, reporting=_set(p.reporting, 0, recipient=None)),
        [("EGP603", "reporting[0].recipient")],
    ),
    "EGP801": (
        lambda p: meta(p, date=dt.date(2012, 6, 12), issued_with=DECISION),
        [("EGP801", "metadata.issued_with.date")],
    ),
    "EGP802": (
        lambda p: meta(
            p,
            issued_with=attrs.evolve(DECISION, date=dt.date(2020, 9, 29)),
            submission=SUBMISSION,
        ),
        [("EGP802", "metadata.submission.date")],
    ),
    "EGP803": (
        lambda p: meta(
            p,
            date=dt.date(2012, 6, 11),
            entry_into_force=EntryIntoForce(date=dt.date(2011, 6, 21)),
        ),
        [("EGP803", "metadata.entry_into_force.date")],
    ),
    "EGP803-days": (
        lambda p: meta(p, entry_into_force=EntryIntoForce(days_after_signing=-10)),
        [("EGP803", "metadata.entry_into_force.days_after_signing")],
    ),
    "EGP804": (
        lambda p: attrs.evolve(
            p,
            legal_bases=(
                *p.legal_bases,
                DocumentRef(kind="law", number="221", issuer="L.", jurisdiction="itl"),
            ),
        ),
        [("EGP804", "legal_bases[1].jurisdiction")],
    ),
    "EGP805": (
        lambda p: attrs.evolve(p, citations=(Citation(document=CITED),)),
        [("EGP805", "citations[0].at")],
    ),
    "EGP103-citation": (
        lambda p: attrs.evolve(
            p, citations=(Citation(document=CITED, task="nope"),), annexes=(Annex(id="a1"),)
        ),
        [("EGP103", "citations[0].task")],
    ),
    "EGP101-annex": (
        lambda p: attrs.evolve(p, annexes=(Annex(id="a1"), Annex(id="a1", label="Phụ lục 2"))),
        [("EGP101", "annexes[1].id")],
    ),
    "EGP701": (lambda p: stated(p, 20, 3), [("EGP701", "stated_ranks[0].change")]),
    "EGP702": (lambda p: observed_again(p, 21), [("EGP702", "observations[1].rank")]),
    "EGP703": (
        lambda p: attrs.evolve(p, observations=_set(p.observations, 0, rank=70)),
        [("EGP703", "observations[0].ranked")],
    ),
    "EGP703-zero": (
        lambda p: attrs.evolve(p, observations=_set(p.observations, 0, rank=0)),
        [("EGP703", "observations[0].rank")],
    ),
}

EXTENDED = Catalogues.default().extended(
    funding_source_kinds={"lottery": {"vi": "xổ số kiến thiết", "en": "lottery"}},
    cadences={"fortnightly": {"vi": "hai tuần một lần", "en": "fortnightly"}},
)

#: Near misses: plans that come close to each rule's problem and must pass it.
PASSES: dict[str, tuple[Callable[[Plan], Plan], Catalogues | None]] = {
    # a day inside the year and the plan, a period of years inside the plan
    "EGP225": (
        lambda p: flow(flow(p, 0, year=2025), 2, year=None, period=Period.years(2021, 2025)),
        None,
    ),
    # a day of the period's quarter and of the year
    "EGP226": (lambda p: flow(p, 2, date=dt.date(2023, 6, 30)), None),
    "EGP227": (lambda p: attrs.evolve(p, flows=()), None),
    # spent exactly what the source plans; a commitment beyond it is not spending, and a
    # return brings the sum back under
    "EGP228": (
        lambda p: attrs.evolve(
            flow(flow(p, 2, amount=vnd(150)), 0, amount=vnd(900)),
            flows=(
                *flow(flow(p, 2, amount=vnd(150)), 0, amount=vnd(900)).flows,
                Flow(id="f4", kind="disbursement", source="s1", amount=vnd(200)),
                Flow(id="f5", kind="disbursement", source="s1", amount=vnd(-60)),
            ),
        ),
        None,
    ),
    "EGP101": (lambda p: add_agency(p, "stc-2"), None),
    "EGP102": (lambda p: add_agency(p, "stc_"), None),
    "EGP106": (lambda p: add_agency(p, "ѕтс-2"), None),
    "EGP107": (lambda p: add_agency(p, "sở tài chính"), None),
    "EGP108": (lambda p: add_agency(p, "東京-office"), None),
    "EGP103": (
        lambda p: attrs.evolve(p, levels=(), agencies=_set(p.agencies, 0, level="province")),
        None,
    ),
    "EGP104": (lambda p: agency(p, 3, parent="stttt"), None),
    "EGP105": (lambda p: source(p, 6, kind="lottery"), EXTENDED),
    "EGP201": (lambda p: funding(p, total=Money("901000000000.00", "VND")), None),
    "EGP202": (lambda p: source(p, 1, amount_in_words="một trăm năm mươi tỷ đồng"), None),
    "EGP203": (lambda p: source(p, 0, amount_in_words=None), None),
    "EGP204": (
        shares(
            ("s1", "22"),
            ("s2", "17"),
            ("s3", "9"),
            ("s4", "36"),
            ("s5", "2"),
            ("s6", "3"),
            ("s7", "11"),
        ),
        None,
    ),
    "EGP205": (shares(("s1", "22.2"), ("s4", "35.5")), None),
    # a zero line, and a revised line taking money back
    "EGP206": (
        lambda p: line(
            line(p, 1, amount=vnd(0)), 2, amount=vnd(-5), status=BudgetLineStatus.REVISED
        ),
        None,
    ),
    # a quarter inside the line's year, a range of years inside the plan's period
    "EGP211": (
        lambda p: line(
            line(p, 0, period=Period.quarter(2021, 3)),
            1,
            year=None,
            period=Period.years(2022, 2023),
        ),
        None,
    ),
    "EGP207": (lambda p: line(p, 2, amount=vnd(150)), None),
    "EGP208": (lambda p: funding(p, total=None, total_in_words=None), None),
    "EGP209": (lambda p: funding(p, rules=_set(p.funding.rules, 0, amount=vnd(100))), None),
    "EGP210": (
        lambda p: funding(p, rules=_set(p.funding.rules, 0, percent=Decimal("1.2"))),
        None,
    ),
    "EGP212": (
        lambda p: funding(
            p, rules=_set(p.funding.rules, 0, comparator=Comparator.LE, amount=vnd(100))
        ),
        None,
    ),
    # 1.4 % is 1 % as the rule writes it (no decimals)
    "EGP213": (
        lambda p: funding(
            p, rules=_set(p.funding.rules, 0, comparator=Comparator.EQ, amount=vnd(140))
        ),
        None,
    ),
    "EGP214": (
        lambda p: funding(p, rules=_set(p.funding.rules, 0, comparator=Comparator.GT)),
        None,
    ),
    # the same rate written both ways, and another day's rate
    "EGP215": (
        lambda p: funding(
            p,
            exchange_rates=(
                _usd("25000"),
                ExchangeRate(base="VND", quote="USD", rate=Decimal("0.00004"), date=_usd("1").date),
                attrs.evolve(_usd("24000"), date=_usd("1").date.replace(year=2020)),
            ),
        ),
        None,
    ),
    "EGP301": (lambda p: target(p, 0, by_level=(("district", Decimal(0)),)), None),
    "EGP302": (lambda p: target(p, 1, value=Decimal(90), upper=Decimal(90)), None),
    "EGP303": (lambda p: target(p, 2, unit="per_civil_servant"), None),
    "EGP304": (lambda p: target(p, 2, value=Decimal("100.0")), None),
    "EGP305": (
        lambda p: target(p, 3, comparator=Comparator.GE, items=("a", "b", "c", "d")),
        None,
    ),
    "EGP306": (lambda p: target(p, 4, value=Decimal(1)), None),
    "EGP307": (
        lambda p: target(p, 2, kind="milestone", value=None, parts=(), unit=""),
        None,
    ),
    "EGP308": (lambda p: target(p, 1, qualifiers=("strive", "approximate", "expected")), None),
    "EGP309": (
        lambda p: target(
            p,
            0,
            by_level=(
                LevelTarget(level="province", value=100, counts="departments"),
                LevelTarget(level="province", comparator="ge", value=60, counts="communes"),
            ),
        ),
        None,
    ),
    "EGP310": (
        lambda p: target(
            p,
            1,
            contributes_to=(
                TargetRef(plan=p.id, target="t1"),
                TargetRef(plan="national", target="not-loaded"),
            ),
        ),
        None,
    ),
    "EGP401": (lambda p: task(p, 1, assignments=(Assignment(agency="stc", role="lead"),)), None),
    "EGP402": (lambda p: task(p, 0, assignments=(Assignment(agency="stc", role="lead"),)), None),
    "EGP501": (lambda p: attrs.evolve(minimal_plan(), period=Period.quarter(2021, 1)), None),
    "EGP502": (lambda p: target(attrs.evolve(p, horizon=2026), 3, deadline=2026), None),
    "EGP503": (lambda p: line(line(p, 0, year=2025), 1, year=None), None),
    # the first year, a quarter, and a "by" deadline at the horizon
    "EGP504": (
        lambda p: target(
            target(target(p, 0, deadline=2021), 1, deadline=When(2024, quarter=3)),
            4,
            deadline=When(2030, by=True),
        ),
        None,
    ),
    "EGP505": (
        lambda p: task(
            p,
            0,
            schedule=Schedule(
                start=When(2021, month=1), deadline=When(2025, month=12, day=31, by=True)
            ),
        ),
        None,
    ),
    # from Q3 2023 within 2021–2023, to be done by the end of Q3 2023: one day is enough
    "EGP506": (
        lambda p: task(
            p,
            0,
            schedule=Schedule(
                start=When(2023, quarter=3),
                period=Period.years(2021, 2023),
                deadline=When(2023, month=9, day=30),
            ),
        ),
        None,
    ),
    # "hàng năm" in a one-year task; every six months; weekly
    "EGP507": (
        lambda p: task(
            task(
                p,
                0,
                schedule=Schedule(
                    period=Period.year(2022), recurrence=Recurrence(interval=1, unit="year")
                ),
            ),
            1,
            schedule=Schedule(recurrence=Recurrence(interval=6, unit="month")),
        ),
        None,
    ),
    "EGP508": (
        lambda p: task(p, 0, schedule=Schedule(recurrence=Recurrence(interval=2, unit="week"))),
        None,
    ),
    # every 5 years over the whole 2021–2025 period
    "EGP509": (
        lambda p: task(p, 1, schedule=Schedule(recurrence=Recurrence(interval=5, unit="year"))),
        None,
    ),
    "EGP510": (lambda p: task(p, 0, schedule=Schedule(start=When(2022, quarter=2))), None),
    "EGP601": (
        lambda p: attrs.evolve(p, reporting=_set(p.reporting, 0, cadence="fortnightly")),
        EXTENDED,
    ),
    "EGP602": (
        # Several reporters, no single one ("các Sở, ngành, UBND các huyện").
        lambda p: attrs.evolve(
            p, reporting=_set(p.reporting, 1, reporter=None, reporters=("stttt", "huyen"))
        ),
        None,
    ),
    "EGP603": (
        # Several recipients, through an intermediary, at several cadences; "định kỳ".
        lambda p: attrs.evolve(
            p,
            reporting=_set(
                p.reporting,
                0,
                recipient=None,
                recipients=("ubnd", "skhdt"),
                via=("stttt",),
                cadence="periodic",
                cadences=("six_monthly", "ad_hoc"),
            ),
        ),
        None,
    ),
    "EGP701": (lambda p: stated(p, 20, 5), None),
    "EGP801": (lambda p: meta(p, date=dt.date(2012, 6, 11), issued_with=DECISION), None),
    "EGP802": (
        lambda p: meta(p, date=dt.date(2020, 9, 30), submission=SUBMISSION),  # the same day
        None,
    ),
    "EGP803": (
        lambda p: meta(
            p,
            issued_with=DECISION,
            entry_into_force=EntryIntoForce(days_after_signing=10, date=dt.date(2012, 6, 21)),
        ),
        None,
    ),
    "EGP804": (
        lambda p: attrs.evolve(
            p,
            legal_bases=(
                *p.legal_bases,
                DocumentRef.parse("Legge 17 dicembre 2012, n. 221", jurisdiction="it"),
                DocumentRef.parse("Regulation (EU) 2021/241", language="en"),
            ),
        ),
        None,
    ),
    "EGP805": (
        lambda p: attrs.evolve(
            p,
            annexes=(Annex(id="annex-1", label="Phụ lục 1"),),
            citations=(
                Citation(document=CITED, at="II.1"),
                Citation(document=CITED, annex="annex-1"),
                Citation(document=CITED, task=p.tasks[0].id),
            ),
        ),
        None,
    ),
    "EGP702": (lambda p: observed_again(p, 20), None),
    "EGP703": (lambda p: attrs.evolve(p, observations=_set(p.observations, 0, rank=63)), None),
}


def _pairs(plan: Plan, catalogues: Catalogues | None = None) -> list[tuple[str, str]]:
    return [(issue.code, issue.path) for issue in validate(plan, catalogues=catalogues)]


def test_the_base_plan_is_clean() -> None:
    report = validate(base_plan())
    assert report.issues == (), str(report)
    assert report.ok
    assert report.checked == default_registry().codes


@pytest.mark.parametrize(("change", "expected"), FAILS.values(), ids=list(FAILS))
def test_a_rule_flags_its_problem_at_its_path(
    change: Callable[[Plan], Plan], expected: list[tuple[str, str]]
) -> None:
    assert _pairs(change(base_plan())) == expected


#: Patterns of real plans that EGP401 and EGP402 must not flag (no finding at all).
LEAD_PASSES: dict[str, Callable[[Plan], Plan]] = {
    "EGP401-implement": (
        # "Sở TT&TT phối hợp với Sở Tài chính thực hiện…": the department acts.
        lambda p: task(
            p,
            1,
            assignments=(
                Assignment(agency="stttt", role="implement"),
                Assignment(agency="stc", role="coordinate"),
            ),
        )
    ),
    "EGP401-lead-or-coordinate": (
        lambda p: task(p, 1, assignments=(Assignment(agency="stc", role="lead_or_coordinate"),))
    ),
    "EGP402-groups": (
        # "Các sở, ban, ngành; UBND các huyện …": groups whose members act for themselves.
        lambda p: task(
            agency(agency(p, 4, collective=True), 3, collective=True),
            0,
            assignments=(
                Assignment(agency="skhdt", role="lead"),
                Assignment(agency="huyen", role="lead"),
            ),
        )
    ),
    "EGP402-a-group-and-one": (
        lambda p: task(
            agency(p, 4, collective=True),
            0,
            assignments=(
                Assignment(agency="stttt", role="lead"),
                Assignment(agency="huyen", role="lead"),
            ),
        )
    ),
    "EGP402-several-implement": (
        # V.3 and V.4 of Quảng Nam: each "phối hợp với" the other to balance the budget.
        lambda p: task(
            p,
            0,
            assignments=(
                Assignment(agency="skhdt", role="implement"),
                Assignment(agency="stc", role="implement"),
                Assignment(agency="stttt", role="coordinate"),
            ),
        )
    ),
}


@pytest.mark.parametrize("change", LEAD_PASSES.values(), ids=list(LEAD_PASSES))
def test_an_acting_agency_or_a_group_is_no_false_alarm(
    change: Callable[[Plan], Plan],
) -> None:
    assert _pairs(change(base_plan()), None) == []


@pytest.mark.parametrize(("change", "catalogues"), PASSES.values(), ids=list(PASSES))
def test_a_near_miss_passes(change: Callable[[Plan], Plan], catalogues: Catalogues | None) -> None:
    assert _pairs(change(base_plan()), catalogues) == []


def test_amounts_in_another_currency_convert_by_the_recorded_rates() -> None:
    # a line in dollars, with its rate recorded: no EGP208, and it counts within its source
    plan = funding(line(base_plan(), 1, amount=Money(2, "USD")), exchange_rates=(_usd("25"),))
    assert _pairs(plan) == []
    # 2 USD at 25 billion đồng each is beyond what source s1 leaves: EGP207 sees it
    over = funding(plan, exchange_rates=(_usd(str(10**12)),))
    assert ("EGP207", "funding.sources[0].amount") in _pairs(over)
    # a rule's amount in dollars against a base in đồng: 120 billion đồng is 1.2 %
    rule = funding(
        plan,
        rules=_set(plan.funding.rules, 0, amount=Money(4_800_000, "USD")),
        exchange_rates=(_usd("25000"),),
    )
    assert _pairs(rule) == []
    assert _pairs(funding(rule, exchange_rates=(_usd("20000"),))) == [
        ("EGP209", "funding.rules[0].amount")
    ]


def test_every_rule_has_a_failing_and_a_passing_case() -> None:
    codes = set(default_registry().codes)
    failing = {code for _, expected in FAILS.values() for code, _ in expected}
    assert failing == codes
    assert set(PASSES) == codes


def test_fail_cases_report_the_rule_severity() -> None:
    registry = default_registry()
    for change, _expected in FAILS.values():
        for issue in validate(change(base_plan())):
            assert issue.severity is registry.rule(issue.code).severity
    assert registry.rule("EGP402").severity is Severity.WARNING
    assert registry.rule("EGP401").severity is Severity.ERROR
    assert registry.rule("EGP102").severity is Severity.WARNING
    assert registry.rule("EGP105").severity is Severity.WARNING


def test_seed_003_words_disagree_with_digits() -> None:
    """The real Quảng Nam funding: 150 billion in digits, "Một trăm tỷ đồng" in words."""
    funding_003 = seed_003_funding()
    funding_003 = attrs.evolve(
        funding_003,
        total_in_words="chín trăm lẻ một tỷ đồng",
        sources=_set(funding_003.sources, 1, amount_in_words="Một trăm tỷ đồng"),
    )
    plan = minimal_plan(funding=funding_003)
    report = validate(plan)
    assert [(i.code, i.path) for i in report] == [("EGP202", "funding.sources[1].amount_in_words")]
    issue = report.issues[0]
    assert issue.values["amount"] == vnd(150)
    assert issue.values["read"] == vnd(100)
    assert issue.values["words"] == "Một trăm tỷ đồng"
    assert "Một trăm tỷ đồng" in issue.message
    vi = validate(plan, locale="vi").issues[0]
    assert vi.message.startswith("'Một trăm tỷ đồng' là ")
    assert vi.message != issue.message


def test_messages_name_the_values() -> None:
    report = validate(FAILS["EGP201"][0](base_plan()))
    (issue,) = report.issues
    assert issue.values["total"] == vnd(851)
    assert issue.values["sum"] == vnd(901)
    assert issue.values["difference"] == vnd(-50)
    assert "851" in issue.message
    assert "901" in issue.message

    (issue,) = validate(FAILS["EGP103-assignment"][0](base_plan())).issues
    assert issue.message == "no agency has id 'sgtvt'"
    (issue,) = validate(FAILS["EGP103-assignment"][0](base_plan()), locale="vi").issues
    assert issue.message == "không có cơ quan nào có mã 'sgtvt'"
    assert issue.values == {"kind": "agency", "id": "sgtvt"}


def test_cycle_message_lists_the_ring() -> None:
    (issue,) = validate(FAILS["EGP104"][0](base_plan())).issues
    assert issue.values["cycle"] == "ubnd → stttt → ubnd"


def test_range_variants_have_their_own_messages() -> None:
    messages = {
        validate(FAILS[name][0](base_plan())).issues[0].message
        for name in ("EGP302", "EGP302-missing", "EGP302-unused")
    }
    assert len(messages) == 3


def test_shares_tolerance_follows_the_written_precision() -> None:
    # 22.2 is within 0.05 of 22.197..., but 22.3 is not.
    ok = shares(("s1", "22.2"))(base_plan())
    assert "EGP205" not in validate(ok).codes()
    bad = shares(("s1", "22.3"))(base_plan())
    assert validate(bad).codes() == ("EGP205",)


def test_level_codes_fall_back_to_the_catalogue_when_the_plan_lists_no_levels() -> None:
    plan = attrs.evolve(base_plan(), levels=())
    assert _pairs(plan) == []
    plan = agency(plan, 4, level="ward")
    assert _pairs(plan) == [("EGP105", "agencies[4].level")]


def test_rulesets_select_their_rules() -> None:
    plan = FAILS["EGP402"][0](FAILS["EGP201"][0](base_plan()))
    assert validate(plan, ruleset="funding").codes() == ("EGP201",)
    assert validate(plan, ruleset="tasks").codes() == ("EGP402",)
    assert validate(plan, ruleset="structure").codes() == ()
    assert validate(plan).codes() == ("EGP201", "EGP402")
    assert validate(plan, ruleset=["EGP402"]).ruleset == "custom"


def test_every_builtin_ruleset_is_a_subset_of_default() -> None:
    registry = default_registry()
    default = set(registry.ruleset("default").codes)
    assert default == set(registry.codes)
    for name in registry.ruleset_names:
        assert set(registry.ruleset(name).codes) <= default
    assert {"EGP101", "EGP103", "EGP501"} <= set(registry.ruleset("structure").codes)
    assert {"EGP201", "EGP207"} <= set(registry.ruleset("funding").codes)
    assert {"EGP301", "EGP504"} <= set(registry.ruleset("targets").codes)


def test_many_budget_lines_are_checked_one_by_one() -> None:
    plan = base_plan()
    lines = tuple(
        BudgetLine(id=f"x{i}", source="s4", year=2021 + i % 5, agency="stttt", amount=vnd(0))
        for i in range(5000)
    )
    big = funding(plan, lines=(*plan.funding.lines, *lines))
    assert validate(big).issues == ()
    wrong = funding(plan, lines=tuple(attrs.evolve(x, year=2030, agency="nobody") for x in lines))
    report = validate(wrong)
    assert len(report.by_code("EGP503")) == 5000
    assert len(report.by_code("EGP103")) == 5000
    assert report.by_code("EGP103")[-1].path == "funding.lines[4999].agency"
    assert report.by_code("EGP503")[1].path == "funding.lines[1].year"


def test_a_reversed_period_is_reported_in_vietnamese_quarters() -> None:
    (issue,) = validate(FAILS["EGP501"][0](base_plan()), locale="vi").issues
    assert issue.message == "giai đoạn kết thúc (Quý IV/2021) trước khi bắt đầu (Quý I/2025)"
