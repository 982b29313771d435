"""Properties: generated valid plans validate clean; one injected problem gives one code.

``egovplan.testing.plans()`` draws internally consistent plans. Each injection below
changes one thing in such a plan and names the code that must then be reported, and
nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovplan.agency import Agency
from egovplan.catalog import Catalogues
from egovplan.document import Citation, DocumentRef, EntryIntoForce
from egovplan.flows import Flow
from egovplan.funding import SpendingRule
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.objective import (
    Comparator,
    Objective,
    Target,
    TargetKind,
    TargetPart,
    TargetRef,
)
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.recurrence import Recurrence
from egovplan.task import Assignment, Schedule
from egovplan.testing import plans
from egovplan.validation import validate
from egovplan.when import When
from egovplan.words import amount_to_words

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)

Injection = Callable[[Plan, st.DataObject], "Plan | None"]


def _set(seq: tuple[Any, ...], index: int, **changes: Any) -> tuple[Any, ...]:
    out = list(seq)
    out[index] = attrs.evolve(out[index], **changes)
    return tuple(out)


def _funding(plan: Plan, **changes: Any) -> Plan:
    return attrs.evolve(plan, funding=attrs.evolve(plan.funding, **changes))


def _one_unit(money: Money) -> Money:
    return Money.from_minor_units(1, money.currency)


def _pick(data: st.DataObject, count: int) -> int:
    return data.draw(st.integers(0, count - 1))


def _fresh(plan: Plan, stem: str) -> str:
    taken = {a.id.casefold() for a in plan.agencies} | {r.id.casefold() for r in plan.funding.rules}
    taken |= {o.id.casefold() for _, o in plan.walk_objectives()}
    taken |= {t.id.casefold() for _, t in plan.walk_targets()}
    candidate = stem
    while candidate.casefold() in taken:
        candidate += "x"
    return candidate


def _with_targets(plan: Plan) -> list[tuple[int, list[int], Target]]:
    """Every target with the position of its objective: (top index, child trail, target)."""
    found: list[tuple[int, list[int], Target]] = []

    def walk(top: int, trail: list[int], objective: Objective) -> None:
        for target in objective.targets:
            found.append((top, trail, target))
        for i, child in enumerate(objective.children):
            walk(top, [*trail, i], child)

    for top, objective in enumerate(plan.objectives):
        walk(top, [], objective)
    return found


def _replace_target(plan: Plan, top: int, trail: list[int], old: Target, new: Target) -> Plan:
    def rebuild(objective: Objective, rest: list[int]) -> Objective:
        if not rest:
            targets = tuple(new if t is old else t for t in objective.targets)
            return attrs.evolve(objective, targets=targets)
        children = list(objective.children)
        children[rest[0]] = rebuild(children[rest[0]], rest[1:])
        return attrs.evolve(objective, children=tuple(children))

    objectives = list(plan.objectives)
    objectives[top] = rebuild(objectives[top], trail)
    return attrs.evolve(plan, objectives=tuple(objectives))


def _change_target(
    plan: Plan,
    data: st.DataObject,
    wanted: Callable[[Target], bool],
    change: Callable[[Target], Target],
) -> Plan:
    """``change`` applied to a target ``wanted`` accepts; one is added when none fits."""
    candidates = [found for found in _with_targets(plan) if wanted(found[2])]
    if not candidates:
        target = Target(
            id=_fresh(plan, "injected-target"),
            measure="key databases",
            value=Decimal(3),
            unit="databases",
        )
        objective = Objective(id=_fresh(plan, "injected-objective"), targets=(target,))
        plan = attrs.evolve(plan, objectives=(*plan.objectives, objective))
        candidates = [(len(plan.objectives) - 1, [], target)]
    top, trail, target = candidates[_pick(data, len(candidates))]
    with attrs.validators.disabled():
        changed = change(target)
    return _replace_target(plan, top, trail, target, changed)


def _money_of(plan: Plan) -> list[Money]:
    funding = plan.funding
    out = [] if funding.total is None else [funding.total]
    out += [s.amount for s in funding.sources if s.amount is not None]
    out += [line.amount for line in funding.lines]
    for rule in funding.rules:
        out += [m for m in (rule.base, rule.amount) if m is not None]
    return out


# --- the injections: each returns the changed plan, or None when the plan has no place for it


def change_a_source_amount(plan: Plan, data: st.DataObject) -> Plan | None:
    funding = plan.funding
    if funding.total is None or not funding.sources or funding.unstated:
        return None  # with a source without an amount, the total may exceed the stated sum
    i = _pick(data, len(funding.sources))
    amount = funding.sources[i].amount
    assert amount is not None
    sources = _set(funding.sources, i, amount=amount + _one_unit(amount), amount_in_words=None)
    return _funding(plan, sources=sources, stated_shares=())


def words_disagree(plan: Plan, data: st.DataObject) -> Plan | None:
    sources = [
        i
        for i, s in enumerate(plan.funding.sources)
        if s.amount is not None and s.amount.currency == "VND"
    ]
    if not sources:
        return None
    i = sources[_pick(data, len(sources))]
    amount = plan.funding.sources[i].amount
    assert amount is not None
    words = amount_to_words(int(amount.amount) + 1, "vi")
    return _funding(plan, sources=_set(plan.funding.sources, i, amount_in_words=words))


def drop_the_lead(plan: Plan, data: st.DataObject) -> Plan | None:
    if not plan.tasks:
        return None
    i = _pick(data, len(plan.tasks))
    leading = {kind.code for kind in Catalogues.default().roles if kind.get("leads")}
    kept = tuple(a for a in plan.tasks[i].assignments if a.role not in leading)
    return attrs.evolve(plan, tasks=_set(plan.tasks, i, assignments=kept))


def add_a_second_lead(plan: Plan, data: st.DataObject) -> Plan | None:
    if not plan.tasks:
        return None
    i = _pick(data, len(plan.tasks))
    extra = Assignment(agency=plan.agencies[0].id, role="lead")
    assignments = (*plan.tasks[i].assignments, extra)
    # Leads of groups (collective agencies) are not joint leads: make them single agencies.
    single = tuple(attrs.evolve(agency, collective=False) for agency in plan.agencies)
    return attrs.evolve(plan, agencies=single, tasks=_set(plan.tasks, i, assignments=assignments))


def assign_an_unknown_agency(plan: Plan, data: st.DataObject) -> Plan | None:
    if not plan.tasks:
        return None
    i = _pick(data, len(plan.tasks))
    task = plan.tasks[i]
    j = _pick(data, len(task.assignments))
    assignments = _set(task.assignments, j, agency=_fresh(plan, "unknown-agency"))
    return attrs.evolve(plan, tasks=_set(plan.tasks, i, assignments=assignments))


def repeat_an_agency_id(plan: Plan, data: st.DataObject) -> Plan | None:
    i = _pick(data, len(plan.agencies))
    return attrs.evolve(plan, agencies=(*plan.agencies, plan.agencies[i]))


def repeat_an_id_in_other_case(plan: Plan, data: st.DataObject) -> Plan | None:
    other = _fresh(plan, "injected-agency")
    first = Agency(id=other, names=Labels({"vi": "cơ quan", "en": "agency"}))
    second = attrs.evolve(first, id=other.upper())
    return attrs.evolve(plan, agencies=(*plan.agencies, first, second))


def make_an_agency_its_own_parent(plan: Plan, data: st.DataObject) -> Plan | None:
    i = _pick(data, len(plan.agencies))
    return attrs.evolve(plan, agencies=_set(plan.agencies, i, parent=plan.agencies[i].id))


def use_an_unknown_source_kind(plan: Plan, data: st.DataObject) -> Plan | None:
    if not plan.funding.sources:
        return None
    i = _pick(data, len(plan.funding.sources))
    return _funding(plan, sources=_set(plan.funding.sources, i, kind="lotery"))


def overdraw_a_source(plan: Plan, data: st.DataObject) -> Plan | None:
    funding = plan.funding
    stated = {s.id: s.amount for s in funding.sources if s.amount is not None}
    bounded = [i for i, line in enumerate(funding.lines) if line.source in stated]
    if not bounded:
        return None  # a source without an amount bounds nothing
    i = bounded[_pick(data, len(bounded))]
    source_amount = stated[funding.lines[i].source]
    amount = source_amount + _one_unit(source_amount)
    return _funding(plan, lines=_set(funding.lines, i, amount=amount))


def make_a_line_negative(plan: Plan, data: st.DataObject) -> Plan | None:
    if not plan.funding.lines:
        return None
    i = _pick(data, len(plan.funding.lines))
    line = plan.funding.lines[i]
    with attrs.validators.disabled():
        amount = -line.amount - _one_unit(line.amount)
        # a revised line may be negative: this one is not a revision
        return _funding(plan, lines=_set(plan.funding.lines, i, amount=amount, status=None))


def _unrated(plan: Plan, currency: str) -> str:
    """A currency other than ``currency`` that no recorded exchange rate converts."""
    rated = {code for rate in plan.funding.exchange_rates for code in (rate.base, rate.quote)}
    return next(c for c in ("USD", "EUR", "GBP", "THB", "SGD") if c not in rated | {currency})


def put_a_line_in_another_currency(plan: Plan, data: st.DataObject) -> Plan | None:
    if not plan.funding.lines or len(_money_of(plan)) < 2:
        return None  # one amount alone is in one currency
    funding = plan.funding
    # With no total and no source amount, the first line's currency is the funding's, which
    # the flows' must be (EGP227): change another line.
    decides = funding.total is None and all(s.amount is None for s in funding.sources)
    first = 1 if decides and plan.flows else 0
    if first >= len(funding.lines):
        return None
    i = first + _pick(data, len(funding.lines) - first)
    line = plan.funding.lines[i]
    other = _unrated(plan, line.amount.currency)
    amount = Money(line.amount.amount, other)
    return _funding(plan, lines=_set(plan.funding.lines, i, amount=amount))


def move_a_line_out_of_the_period(plan: Plan, data: st.DataObject) -> Plan | None:
    if not plan.funding.lines:
        return None
    i = _pick(data, len(plan.funding.lines))
    year = plan.period.last_year + 1
    # without its period, which would then lie outside its year (EGP211)
    return _funding(plan, lines=_set(plan.funding.lines, i, year=year, period=None))


def break_a_spending_rule(plan: Plan, data: st.DataObject) -> Plan | None:
    currency = next((amount.currency for amount in _money_of(plan)), "VND")
    rule = SpendingRule(
        id=_fresh(plan, "injected-rule"),
        description="at least 1%",
        percent=Decimal(1),
        base=Money(1000, currency),
        amount=Money(0, currency),
    )
    return _funding(plan, rules=(*plan.funding.rules, rule))


def exceed_a_spending_ceiling(plan: Plan, data: st.DataObject) -> Plan | None:
    currency = next((amount.currency for amount in _money_of(plan)), "VND")
    rule = SpendingRule(
        id=_fresh(plan, "injected-ceiling"),
        description="at most 1%",
        comparator=Comparator.LE,
        percent=Decimal(1),
        base=Money(1000, currency),
        amount=Money(11, currency),
    )
    return _funding(plan, rules=(*plan.funding.rules, rule))


def give_a_rule_two_bounds(plan: Plan, data: st.DataObject) -> Plan | None:
    rules = plan.funding.rules
    if not rules:
        return None
    return _funding(plan, rules=_set(rules, _pick(data, len(rules)), comparator=Comparator.BETWEEN))


def record_a_disagreeing_rate(plan: Plan, data: st.DataObject) -> Plan | None:
    rates = plan.funding.exchange_rates
    if not rates:
        return None
    rate = rates[_pick(data, len(rates))]
    other = attrs.evolve(rate, rate=rate.rate + 1)
    return _funding(plan, exchange_rates=(*rates, other))


def _signed(plan: Plan) -> dt.date | None:
    issued = plan.metadata.issued_with
    return issued.date if issued is not None and issued.date is not None else plan.metadata.date


def submit_after_signing(plan: Plan, data: st.DataObject) -> Plan | None:
    signed = _signed(plan)
    if signed is None:
        return None
    late = DocumentRef(number="6", issuer="STTTT", date=signed + dt.timedelta(days=1))
    return attrs.evolve(plan, metadata=attrs.evolve(plan.metadata, submission=late))


def take_effect_before_signing(plan: Plan, data: st.DataObject) -> Plan | None:
    signed = _signed(plan)
    if signed is None:
        return None
    early = EntryIntoForce(date=signed - dt.timedelta(days=1))
    return attrs.evolve(plan, metadata=attrs.evolve(plan.metadata, entry_into_force=early))


def date_the_issuing_decision_otherwise(plan: Plan, data: st.DataObject) -> Plan | None:
    metadata = plan.metadata
    if metadata.date is None or metadata.submission is not None:
        return None
    # signed a day later: taking effect on the plan's date would then be early (EGP803)
    decision = DocumentRef(number="14", issuer="UBND", date=metadata.date + dt.timedelta(days=1))
    changed = attrs.evolve(metadata, issued_with=decision, entry_into_force=None)
    return attrs.evolve(plan, metadata=changed)


def cite_without_saying_where(plan: Plan, data: st.DataObject) -> Plan | None:
    cited = Citation(document=DocumentRef(number="", issuer="", title="Luật Giao dịch điện tử"))
    return attrs.evolve(plan, citations=(*plan.citations, cited))


def cite_in_an_unknown_annex(plan: Plan, data: st.DataObject) -> Plan | None:
    cited = Citation(document=DocumentRef(number="1", issuer="TTg"), annex="no-such-annex")
    return attrs.evolve(plan, citations=(*plan.citations, cited))


def name_an_unknown_jurisdiction(plan: Plan, data: st.DataObject) -> Plan | None:
    basis = DocumentRef(number="82", issuer="X", jurisdiction="zz")
    return attrs.evolve(plan, legal_bases=(*plan.legal_bases, basis))


def push_a_deadline_past_the_horizon(plan: Plan, data: st.DataObject) -> Plan | None:
    last = max(plan.period.last_year, plan.horizon or 0)
    return _change_target(plan, data, lambda t: True, lambda t: attrs.evolve(t, deadline=last + 1))


def pull_the_horizon_into_the_period(plan: Plan, data: st.DataObject) -> Plan | None:
    last = plan.period.last_year
    deadlines = [t.deadline.year for _, t in plan.walk_targets() if t.deadline is not None]
    if any(deadline > last for deadline in deadlines):
        return None
    return attrs.evolve(plan, horizon=last)


def drop_a_target_unit(plan: Plan, data: st.DataObject) -> Plan | None:
    # A qualitative target or a milestone has no unit, rightly.
    return _change_target(
        plan, data, lambda t: t.kind.is_quantitative, lambda t: attrs.evolve(t, unit="")
    )


def push_a_percent_over_100(plan: Plan, data: st.DataObject) -> Plan | None:
    return _change_target(
        plan,
        data,
        lambda t: t.unit == "percent" and t.value is not None and t.upper is None,
        lambda t: attrs.evolve(t, unit="percent", value=Decimal(150)),
    )


def break_a_breakdown(plan: Plan, data: st.DataObject) -> Plan | None:
    return _change_target(
        plan,
        data,
        lambda t: t.value is not None,
        lambda t: attrs.evolve(t, parts=(TargetPart(label="part", value=t.value + 1),)),
    )


def _countable(target: Target) -> bool:
    value = target.value
    return (
        target.comparator is Comparator.EQ
        and value is not None
        and value == value.to_integral_value()
        and 0 <= value < 200
        and target.unit not in ("percent", "%", "rank")
    )


def miscount_a_list(plan: Plan, data: st.DataObject) -> Plan | None:
    return _change_target(
        plan,
        data,
        _countable,
        lambda t: attrs.evolve(t, items=tuple(f"item {n}" for n in range(int(t.value) + 1))),
    )


def use_an_unknown_cadence(plan: Plan, data: st.DataObject) -> Plan | None:
    if not plan.reporting:
        return None
    i = _pick(data, len(plan.reporting))
    return attrs.evolve(plan, reporting=_set(plan.reporting, i, cadence="fortnightly"))


def _reschedule(plan: Plan, data: st.DataObject, schedule: Schedule) -> Plan | None:
    if not plan.tasks:
        return None
    i = _pick(data, len(plan.tasks))
    return attrs.evolve(plan, tasks=_set(plan.tasks, i, schedule=schedule))


def put_a_task_deadline_after_the_period(plan: Plan, data: st.DataObject) -> Plan | None:
    deadline = When(plan.period.last_year + 1, month=6, by=True)
    return _reschedule(plan, data, Schedule(deadline=deadline))


def start_a_task_after_its_deadline(plan: Plan, data: st.DataObject) -> Plan | None:
    first = plan.period.first_day
    start = When.of(first + dt.timedelta(days=1))
    return _reschedule(plan, data, Schedule(start=start, deadline=When.of(first)))


def recur_every_zero_months(plan: Plan, data: st.DataObject) -> Plan | None:
    return _reschedule(plan, data, Schedule(recurrence=Recurrence(interval=0, unit="month")))


def recur_in_an_unknown_unit(plan: Plan, data: st.DataObject) -> Plan | None:
    return _reschedule(plan, data, Schedule(recurrence=Recurrence(unit="fortnight")))


def start_by_a_deadline(plan: Plan, data: st.DataObject) -> Plan | None:
    return _reschedule(plan, data, Schedule(start=When(plan.period.first_year, by=True)))


def recur_beyond_the_period(plan: Plan, data: st.DataObject) -> Plan | None:
    years = len(plan.period.quarter_list) // 4 + 1  # more years than the period has
    return _reschedule(plan, data, Schedule(recurrence=Recurrence(interval=years, unit="year")))


def give_a_qualitative_target_a_value(plan: Plan, data: st.DataObject) -> Plan | None:
    return _change_target(
        plan,
        data,
        lambda t: t.value is not None,
        lambda t: attrs.evolve(t, kind=TargetKind.QUALITATIVE),
    )


def qualify_a_target_twice_alike(plan: Plan, data: st.DataObject) -> Plan | None:
    # "strive" and "ensure" are both commitments: one of a group at most.
    return _change_target(
        plan, data, lambda t: True, lambda t: attrs.evolve(t, qualifiers=("strive", "ensure"))
    )


def repeat_a_level(plan: Plan, data: st.DataObject) -> Plan | None:
    if not any(target.by_level for _, _, target in _with_targets(plan)):
        return None
    return _change_target(
        plan,
        data,
        lambda t: bool(t.by_level),
        lambda t: attrs.evolve(t, by_level=(*t.by_level, t.by_level[0])),
    )


def contribute_to_an_unknown_target(plan: Plan, data: st.DataObject) -> Plan | None:
    ref = TargetRef(plan=plan.id, target=_fresh(plan, "unknown-target"))
    return _change_target(
        plan, data, lambda t: True, lambda t: attrs.evolve(t, contributes_to=(ref,))
    )


def _fresh_flow(plan: Plan) -> str:
    taken = {flow.id.casefold() for flow in plan.flows}
    candidate = "injected-flow"
    while candidate in taken:
        candidate += "x"
    return candidate


def move_a_flow_out_of_the_period(plan: Plan, data: st.DataObject) -> Plan | None:
    if not plan.flows:
        return None
    i = _pick(data, len(plan.flows))
    day = plan.period.last_day + dt.timedelta(days=1)
    return attrs.evolve(plan, flows=_set(plan.flows, i, year=None, period=None, date=day))


def make_a_flows_day_disagree(plan: Plan, data: st.DataObject) -> Plan | None:
    quarters = plan.period.quarter_list
    if not plan.flows or len(quarters) < 2:
        return None
    i = _pick(data, len(plan.flows))
    within = Period(start=quarters[0], end=quarters[0])
    flows = _set(plan.flows, i, year=None, period=within, date=quarters[1].first_day)
    return attrs.evolve(plan, flows=flows)


def put_a_flow_in_another_currency(plan: Plan, data: st.DataObject) -> Plan | None:
    funding = plan.funding
    stated = [s for s in funding.sources if s.amount is not None]
    if not plan.flows or (funding.total is None and not stated and not funding.lines):
        return None  # with no total, source or line, the first flow's currency is the plan's
    i = _pick(data, len(plan.flows))
    amount = plan.flows[i].amount
    other = _unrated(plan, amount.currency)
    return attrs.evolve(plan, flows=_set(plan.flows, i, amount=Money(amount.amount, other)))


def spend_more_than_a_source(plan: Plan, data: st.DataObject) -> Plan | None:
    stated = [s for s in plan.funding.sources if s.amount is not None]
    if not stated:
        return None
    source = stated[_pick(data, len(stated))]
    assert source.amount is not None
    flow = Flow(
        id=_fresh_flow(plan),
        kind="expenditure",
        source=source.id,
        amount=source.amount + _one_unit(source.amount),
    )
    return attrs.evolve(plan, flows=(*plan.flows, flow))


INJECTIONS: dict[str, tuple[Injection, str]] = {
    "change-a-source-amount": (change_a_source_amount, "EGP201"),
    "words-disagree": (words_disagree, "EGP202"),
    "drop-the-lead": (drop_the_lead, "EGP401"),
    "add-a-second-lead": (add_a_second_lead, "EGP402"),
    "assign-an-unknown-agency": (assign_an_unknown_agency, "EGP103"),
    "repeat-an-agency-id": (repeat_an_agency_id, "EGP101"),
    "repeat-an-id-in-other-case": (repeat_an_id_in_other_case, "EGP102"),
    "make-an-agency-its-own-parent": (make_an_agency_its_own_parent, "EGP104"),
    "use-an-unknown-source-kind": (use_an_unknown_source_kind, "EGP105"),
    "overdraw-a-source": (overdraw_a_source, "EGP207"),
    "make-a-line-negative": (make_a_line_negative, "EGP206"),
    "put-a-line-in-another-currency": (put_a_line_in_another_currency, "EGP208"),
    "move-a-line-out-of-the-period": (move_a_line_out_of_the_period, "EGP503"),
    "break-a-spending-rule": (break_a_spending_rule, "EGP209"),
    "push-a-deadline-past-the-horizon": (push_a_deadline_past_the_horizon, "EGP504"),
    "pull-the-horizon-into-the-period": (pull_the_horizon_into_the_period, "EGP502"),
    "drop-a-target-unit": (drop_a_target_unit, "EGP303"),
    "push-a-percent-over-100": (push_a_percent_over_100, "EGP301"),
    "break-a-breakdown": (break_a_breakdown, "EGP304"),
    "miscount-a-list": (miscount_a_list, "EGP305"),
    "use-an-unknown-cadence": (use_an_unknown_cadence, "EGP601"),
    "put-a-task-deadline-after-the-period": (put_a_task_deadline_after_the_period, "EGP505"),
    "start-a-task-after-its-deadline": (start_a_task_after_its_deadline, "EGP506"),
    "recur-every-zero-months": (recur_every_zero_months, "EGP507"),
    "recur-in-an-unknown-unit": (recur_in_an_unknown_unit, "EGP508"),
    "start-by-a-deadline": (start_by_a_deadline, "EGP510"),
    "recur-beyond-the-period": (recur_beyond_the_period, "EGP509"),
    "give-a-qualitative-target-a-value": (give_a_qualitative_target_a_value, "EGP307"),
    "qualify-a-target-twice-alike": (qualify_a_target_twice_alike, "EGP308"),
    "repeat-a-level": (repeat_a_level, "EGP309"),
    "contribute-to-an-unknown-target": (contribute_to_an_unknown_target, "EGP310"),
    "move-a-flow-out-of-the-period": (move_a_flow_out_of_the_period, "EGP225"),
    "make-a-flows-day-disagree": (make_a_flows_day_disagree, "EGP226"),
    "put-a-flow-in-another-currency": (put_a_flow_in_another_currency, "EGP227"),
    "spend-more-than-a-source": (spend_more_than_a_source, "EGP228"),
    "exceed-a-spending-ceiling": (exceed_a_spending_ceiling, "EGP212"),
    "give-a-rule-two-bounds": (give_a_rule_two_bounds, "EGP214"),
    "record-a-disagreeing-rate": (record_a_disagreeing_rate, "EGP215"),
    "submit-after-signing": (submit_after_signing, "EGP802"),
    "take-effect-before-signing": (take_effect_before_signing, "EGP803"),
    "date-the-issuing-decision-otherwise": (date_the_issuing_decision_otherwise, "EGP801"),
    "cite-without-saying-where": (cite_without_saying_where, "EGP805"),
    "cite-in-an-unknown-annex": (cite_in_an_unknown_annex, "EGP103"),
    "name-an-unknown-jurisdiction": (name_an_unknown_jurisdiction, "EGP804"),
}


@SETTINGS
@given(plans())
def test_a_generated_plan_validates_clean(plan: Plan) -> None:
    report = validate(plan)
    assert report.issues == (), str(report)


@settings(max_examples=10, deadline=None)
@given(plans())
def test_a_generated_plan_validates_clean_in_vietnamese(plan: Plan) -> None:
    assert validate(plan, locale="vi").issues == ()


def test_one_injected_problem_gives_exactly_its_code() -> None:
    """Each injection, applied alone to each generated plan it fits, gives its code only."""
    applied: Counter[str] = Counter()

    @SETTINGS
    @given(plan=plans(), data=st.data())
    def run(plan: Plan, data: st.DataObject) -> None:
        for name, (inject, code) in INJECTIONS.items():
            changed = inject(plan, data)
            if changed is None:
                continue
            applied[name] += 1
            report = validate(changed)
            assert report.codes() == (code,), f"{name}:\n{report}"

    run()
    assert set(applied) == set(INJECTIONS), sorted(set(INJECTIONS) - set(applied))


@SETTINGS
@given(plans())
def test_every_ruleset_reports_a_subset_of_default(plan: Plan) -> None:
    plan = attrs.evolve(plan, horizon=plan.period.last_year)
    full = validate(plan)
    for name in ("structure", "funding", "targets", "tasks", "reporting", "references"):
        part = validate(plan, ruleset=name)
        assert set(part.issues) <= set(full.issues)
