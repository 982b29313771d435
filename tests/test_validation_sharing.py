"""Rules that share facts (one pass over the budget lines, id checks) find what their own
loops find: the same issues, in the same order, with the same paths and messages.

``rules._without_sharing`` makes every rule run its own loop; the plans are generated
(``egovplan.testing.plans()``) and then damaged in ways the shared passes look at:
duplicate ids, ids equal but for case or Unicode normal form, unsorted ids, unknown
references, negative amounts, other currencies, years outside the period, leads, and
values of the wrong type that make a shared pass fail.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan import rules
from egovplan.catalog import Catalogues
from egovplan.document import PlanMetadata
from egovplan.funding import BudgetLine, Funding, FundingSource
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.task import Assignment
from egovplan.testing import plans
from egovplan.validation import INTERNAL_ERROR, Context, Issue, _run_rule, default_registry

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)

#: Ids that differ and have the same caseless form (case, normal form, folding).
TWINS = (
    ("Sở-1", "sở-1"),
    ("s\u1edf-2", "so\u031b\u0309-2"),
    ("ID-3", "id-3"),
    ("ΣΑΣ", "σας"),
    ("ﬁ-4", "fi-4"),
    ("Straße", "STRASSE"),
)


def issues(plan: Plan, *, shared: bool, codes: tuple[str, ...] | None = None) -> list[Issue]:
    """The issues of the default rules (or ``codes``), internal errors first, as validate()."""
    context = Context(plan, catalogues=Catalogues.default(), locale="en")
    if not shared:
        rules._without_sharing(context)
    found: list[Issue] = []
    internal: list[Issue] = []
    for rule in default_registry().select("default" if codes is None else codes):
        failure = _run_rule(rule, plan, context, found)
        if failure is not None:
            internal.append(failure)
    return [*internal, *found]


def _evolve(item: Any, **changes: Any) -> Any:
    with attrs.validators.disabled():
        return attrs.evolve(item, **changes)


def _set(items: tuple[Any, ...], index: int, **changes: Any) -> tuple[Any, ...]:
    out = list(items)
    out[index] = _evolve(out[index], **changes)
    return tuple(out)


def _funding(plan: Plan, **changes: Any) -> Plan:
    return attrs.evolve(plan, funding=_evolve(plan.funding, **changes))


def _twins(data: st.DataObject, items: tuple[Any, ...]) -> tuple[Any, ...]:
    """Two items get ids that differ only in case or normal form (or are equal)."""
    if len(items) < 2:
        return items
    i, j = data.draw(st.lists(st.integers(0, len(items) - 1), min_size=2, max_size=2, unique=True))
    first, second = data.draw(st.sampled_from(TWINS))
    if data.draw(st.booleans()):
        second = first  # an exact duplicate
    return _set(_set(items, i, id=first), j, id=second)


def _damage_lines(plan: Plan, data: st.DataObject) -> Plan:
    lines = list(plan.funding.lines)
    if not lines:
        return plan
    for _ in range(data.draw(st.integers(0, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        change = data.draw(
            st.sampled_from(
                ("source", "agency", "task", "objective", "negative", "currency", "year", "id")
            )
        )
        if change in ("source", "agency", "task", "objective"):
            lines[i] = _evolve(line, **{change: data.draw(st.sampled_from(("nope", "Nope")))})
        elif change == "negative":
            lines[i] = _evolve(line, amount=Money(-line.amount.amount - 1, line.amount.currency))
        elif change == "currency":
            other = "USD" if line.amount.currency != "USD" else "EUR"
            lines[i] = _evolve(line, amount=Money(line.amount.amount, other))
        elif change == "year":
            lines[i] = _evolve(line, year=data.draw(st.sampled_from((1990, 2100, None))))
        else:
            lines[i] = _evolve(line, id=lines[data.draw(st.integers(0, len(lines) - 1))].id)
    if data.draw(st.booleans()):
        lines = data.draw(st.permutations(lines))
    return _funding(plan, lines=_twins(data, tuple(lines)) if data.draw(st.booleans()) else lines)


def _damage_tasks(plan: Plan, data: st.DataObject) -> Plan:
    tasks = plan.tasks
    if not tasks:
        return plan
    i = data.draw(st.integers(0, len(tasks) - 1))
    task = tasks[i]
    change = data.draw(st.sampled_from(("no lead", "two leads", "role", "twins", "unsorted")))
    if change == "no lead":
        kept = tuple(a for a in task.assignments if a.role != "lead")
        tasks = _set(tasks, i, assignments=kept)
    elif change == "two leads":
        agency = plan.agencies[0].id if plan.agencies else "nope"
        extra = Assignment(agency=agency, role="lead")
        tasks = _set(tasks, i, assignments=(*task.assignments, extra))
    elif change == "role":
        tasks = _set(tasks, i, assignments=(Assignment(agency="nope", role="boss"),))
    elif change == "twins":
        tasks = _twins(data, tasks)
    else:
        tasks = tuple(data.draw(st.permutations(tasks)))
    return attrs.evolve(plan, tasks=tasks)


@st.composite
def damaged_plans(draw: st.DrawFn) -> Plan:
    data = draw(st.data())
    plan = draw(plans(max_lines=12, max_tasks=6))
    if draw(st.booleans()):
        plan = _damage_lines(plan, data)
    if draw(st.booleans()):
        plan = _damage_tasks(plan, data)
    if draw(st.booleans()):
        plan = attrs.evolve(plan, agencies=_twins(data, plan.agencies))
    return plan


@SETTINGS
@given(damaged_plans())
def test_shared_facts_find_what_each_rule_finds_alone(plan: Plan) -> None:
    assert issues(plan, shared=True) == issues(plan, shared=False)


@settings(SETTINGS, max_examples=50)
@given(damaged_plans())
def test_each_rule_alone_finds_the_same_with_and_without_sharing(plan: Plan) -> None:
    # a rule run without the others builds the shared facts itself
    for code in default_registry().ruleset("default").codes:
        assert issues(plan, shared=True, codes=(code,)) == issues(
            plan, shared=False, codes=(code,)
        ), code


@given(plans(max_lines=12))
def test_a_generated_plan_has_its_facts_shared(plan: Plan) -> None:
    context = Context(plan, catalogues=Catalogues.default(), locale="en")
    lines = rules._lines(context)
    assert lines is not None
    assert lines.unknown == lines.negative == lines.foreign == []
    unshared = rules._without_sharing(Context(plan, catalogues=Catalogues.default()))
    assert rules._lines(unshared) is None


def _lines_plan() -> Plan:
    """A clean plan with one source and three budget lines."""
    vnd = Money(Decimal(900), "VND")
    source = FundingSource(id="central", kind="central_support", names=Labels(vi="TW"), amount=vnd)
    lines = tuple(
        BudgetLine(id=f"l{i}", source="central", year=2021 + i, amount=Money(Decimal(300), "VND"))
        for i in range(3)
    )
    plan = Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P"),
        period=Period.years(2021, 2025),
        funding=Funding(total=vnd, sources=(source,), lines=lines),
    )
    assert not plan.validate().issues
    return plan


def test_twins_in_many_lines_are_found_with_and_without_sharing() -> None:
    plan = _lines_plan()
    line = plan.funding.lines[0]
    # more ids than the shared check joins at a time, the twins in the last chunk
    many = tuple(attrs.evolve(line, id=f"l{i:05d}") for i in range(2 * rules._CHUNK))
    many = (*many, attrs.evolve(line, id="L00007"), attrs.evolve(line, id="l00011"))
    plan = _funding(plan, lines=many, total=None)
    for shared in (True, False):
        found = [(i.code, i.path) for i in issues(plan, shared=shared, codes=("EGP101", "EGP102"))]
        assert found == [
            ("EGP101", f"funding.lines[{2 * rules._CHUNK + 1}].id"),
            ("EGP102", f"funding.lines[{2 * rules._CHUNK}].id"),
        ]


def test_a_shared_pass_that_fails_leaves_each_rule_to_its_own_loop() -> None:
    # A year that is not a number makes the pass over the lines fail: only the rule about
    # years fails (EGP000 naming EGP503); the other line rules still report what they find.
    plan = _lines_plan()
    lines = plan.funding.lines
    negative = Money(Decimal(-5), lines[1].amount.currency)
    lines = _set(_set(lines, 0, year="2021"), 1, amount=negative)
    found = issues(_funding(plan, lines=lines), shared=True)
    assert [(i.code, i.path) for i in found] == [
        (INTERNAL_ERROR, ""),
        ("EGP206", "funding.lines[1].amount"),
    ]
    assert found[0].values["rule"] == "EGP503"
    assert found == issues(_funding(plan, lines=lines), shared=False)


def test_budget_lines_are_plain_models_here() -> None:
    # the damage above relies on BudgetLine being an attrs class (evolve, validators)
    assert attrs.has(BudgetLine)
