"""The public hypothesis strategies: valid objects, consistent plans."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan import testing as egst
from egovplan.agency import Agency, Level
from egovplan.catalog import Catalogues
from egovplan.document import DocumentRef, PlanMetadata
from egovplan.funding import BudgetLine, FundingSource, SpendingRule
from egovplan.indicator import Indicator, Observation
from egovplan.labels import Labels
from egovplan.money import Money, minor_digits
from egovplan.objective import Baseline, Comparator
from egovplan.period import Period
from egovplan.plan import Plan, Section
from egovplan.reporting import ReportingDuty
from egovplan.task import Assignment, Schedule, Task

PLAN_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _all_ids(plan: Plan) -> dict[str, list[str]]:
    return {
        "agency": [a.id for a in plan.agencies],
        "objective": [o.id for _, o in plan.walk_objectives()],
        "target": [t.id for _, t in plan.walk_targets()],
        "task": [t.id for t in plan.tasks],
        "source": [s.id for s in plan.funding.sources],
        "line": [line.id for line in plan.funding.lines],
        "rule": [r.id for r in plan.funding.rules],
        "indicator": [i.id for i in plan.indicators],
        "duty": [d.id for d in plan.reporting],
    }


@PLAN_SETTINGS
@given(egst.plans())
def test_plans_have_unique_ids_and_resolving_references(plan: Plan) -> None:
    for kind, ids in _all_ids(plan).items():
        folded = [i.casefold() for i in ids]
        assert len(set(folded)) == len(folded), kind
    for agency in plan.agencies:
        if agency.parent is not None:
            plan.agency(agency.parent)
        if agency.level is not None and plan.levels:
            plan.level(agency.level)
    for task in plan.tasks:
        assert len(task.lead) == 1
        for assignment in task.assignments:
            plan.agency(assignment.agency)
        for objective in task.objectives:
            plan.objective(objective)
        for indicator in task.indicators:
            plan.indicator(indicator)
    for line in plan.funding.lines:
        plan.source(line.source)
        for ref, lookup in ((line.agency, plan.agency), (line.task, plan.task)):
            if ref is not None:
                lookup(ref)
        if line.objective is not None:
            plan.objective(line.objective)
        assert line.year is None or plan.period.first_year <= line.year <= plan.period.last_year
    for duty in plan.reporting:
        assert duty.all_reporters
        assert duty.all_recipients
        for agency in (*duty.all_reporters, *duty.all_recipients, *duty.via):
            plan.agency(agency)
    for observation in plan.observations:
        plan.indicator(observation.indicator)


@PLAN_SETTINGS
@given(egst.plans())
def test_plans_are_consistent_in_money_and_time(plan: Plan) -> None:
    funding = plan.funding
    if funding.total is not None:
        stated = funding.sources_total
        assert stated is not None
        if funding.unstated:  # the total covers the sources without an amount too
            assert funding.total >= stated
        else:
            assert funding.total == stated
    for source in funding.sources:
        spent = sum((line.amount for line in funding.lines_of(source.id)), Money.zero("VND"))
        assert source.amount is None or spent <= source.amount
    if plan.horizon is not None:
        assert plan.horizon > plan.period.last_year
    last = max(plan.period.last_year, plan.horizon or 0)
    for _, target in plan.walk_targets():
        assert target.unit or not target.kind.is_quantitative  # words or a milestone: no unit
        assert target.deadline is None or plan.period.first_year <= target.deadline.year <= last
    cats = Catalogues.default()
    assert plan.metadata.kind in cats.document_kinds
    assert all(a.kind in cats.agency_kinds for a in plan.agencies)
    assert all(c in cats.cadences for d in plan.reporting for c in d.all_cadences)
    assert all(s.kind is None or s.kind in cats.funding_source_kinds for s in funding.sources)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(egst.plans())
def test_generated_plans_validate_clean(plan: Plan) -> None:
    report = plan.validate()
    assert not report.issues, [(i.code, i.path) for i in report.issues]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(egst.plans(currency="USD", max_lines=3))
def test_plans_in_another_currency_validate_clean(plan: Plan) -> None:
    assert all(
        (s.amount is None or s.amount.currency == "USD") and s.amount_in_words is None
        for s in plan.funding.sources
    )
    assert not plan.validate().issues


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    egst.plans(currency="EUR", locales=("es", "en"), language="es", level_set="vn-2025"),
)
def test_plans_outside_vietnam(plan: Plan) -> None:
    # No hidden Vietnam defaults: the currency, the language, the locales of every name
    # and the level set are the ones asked for, and such plans validate clean too.
    assert plan.metadata.language == "es"
    assert plan.funding.currencies <= {"EUR"}
    names = [
        *(a.names for a in plan.agencies),
        *(s.names for s in plan.funding.sources),
        *(i.names for i in plan.indicators),
    ]
    assert all(labels.locales and set(labels.locales) <= {"es", "en"} for labels in names)
    assert all(s.amount_in_words is None for s in plan.funding.sources)
    cats = Catalogues.default()
    assert plan.levels in ((), cats.level_set("vn-2025"))
    assert not plan.validate().issues


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(egst.plans(locales=("vi",)), egst.plans(locales=("en", "fr")))
def test_the_plans_language_is_one_of_its_locales(vietnamese: Plan, other: Plan) -> None:
    assert vietnamese.metadata.language == "vi"
    assert other.metadata.language in ("en", "fr")


def test_plans_refuse_what_they_cannot_draw() -> None:
    with pytest.raises(ValueError, match="locales"):
        egst.plans(locales=())
    with pytest.raises(KeyError, match="'level_sets' has no code 'vn-1990'"):
        egst.plans(level_set="vn-1990")


@given(st.sampled_from(["VND", "USD", "BHD", "JPY"]).flatmap(lambda c: egst.money(c)))
def test_money_is_whole_minor_units(amount: Money) -> None:
    assert amount.amount >= 0
    assert amount.rounded() == amount
    assert amount == Money.from_minor_units(amount.minor_units, amount.currency)
    assert minor_digits(amount.currency) in (0, 2, 3)


@given(egst.periods(2000, 2010), egst.periods(2000, 2010, whole_years=True))
def test_periods_stay_in_range(any_period: Period, years: Period) -> None:
    assert 2000 <= any_period.first_year <= any_period.last_year <= 2010
    assert years.is_whole_years


@settings(max_examples=30, deadline=None)
@given(
    labels=egst.labels(),
    ref=egst.document_refs(),
    metadata=egst.plan_metadata(),
    agency=egst.agencies(level_ids=("province",), parent_ids=("ubnd",)),
    line=egst.budget_lines(years=(2021,)),
    rule=egst.spending_rules(),
    task=egst.tasks(agency_ids=("a", "b", "c")),
    duty=egst.reporting_duties(),
    indicator=egst.indicators(),
    observation=egst.observations(),
    section=egst.sections(),
    assignment=egst.assignments(),
    baseline=egst.baselines(),
    schedule=egst.schedules(Period.years(2020, 2021)),
    levels=egst.levels("vn-2025"),
)
def test_every_strategy_builds_valid_models(
    labels: Labels,
    ref: DocumentRef,
    metadata: PlanMetadata,
    agency: Agency,
    line: BudgetLine,
    rule: SpendingRule,
    task: Task,
    duty: ReportingDuty,
    indicator: Indicator,
    observation: Observation,
    section: Section,
    assignment: Assignment,
    baseline: Baseline,
    schedule: Schedule,
    levels: tuple[Level, ...],
) -> None:
    assert str(labels)
    assert ref.number or ref.title
    assert metadata.title
    assert agency.level in (None, "province")
    assert agency.parent in (None, "ubnd")
    assert line.year in (None, 2021)
    required = rule.required
    if required is not None and rule.amount is not None:
        assert rule.comparator is not Comparator.BETWEEN
        if rule.comparator is Comparator.EQ:  # the share, rounded as the percent is written
            assert rule.base is not None
            assert rule.percent is not None
            if rule.base.amount:
                share = rule.amount.amount * 100 / rule.base.amount
                assert share.quantize(rule.percent, rounding=ROUND_HALF_UP) == rule.percent
            else:
                assert not rule.amount.amount
        else:
            assert rule.comparator.holds(rule.amount.amount, required.amount)
    assert len(task.lead) == 1
    assert all(c in Catalogues.default().cadences for c in duty.all_cadences)
    assert indicator.unit
    assert observation.indicator == "ict"
    assert section.title
    assert assignment.role in Catalogues.default().roles
    assert 0 <= baseline.value <= 100
    if schedule.period is not None:
        assert Period.years(2020, 2021).contains(schedule.period)
    if schedule.deadline is not None:
        assert Period.years(2020, 2021).contains(schedule.deadline)
    assert [lvl.id for lvl in levels] == ["central", "province", "commune"]


@given(egst.funding_sources())
def test_amounts_in_words_say_the_digits(source: FundingSource) -> None:
    from egovplan.words import words_to_amount

    words = source.amount_in_words
    if words is not None:
        assert Decimal(words_to_amount(words)) == source.amount.amount


def test_ids_are_slugs() -> None:
    @given(egst.ids())
    def check(value: str) -> None:
        assert value == value.strip().lower()
        assert value

    check()
