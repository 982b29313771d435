"""The built-in validation rules (codes ``EGPnnn``) and their rulesets.

Codes are stable and grouped by area:

- ``EGP000``: the engine itself (a rule that failed on a plan);
- ``EGP1xx``: identity and references (unique ids, references that resolve, agency
  parent cycles, kinds known in their catalogues);
- ``EGP2xx``: funding (totals, amounts in words, shares, budget lines, spending rules;
  flows of actual money, EGP225–EGP228, in :mod:`egovplan.flows`);
- ``EGP3xx``: objectives and targets (percent ranges, range bounds, units, breakdowns,
  counts);
- ``EGP4xx``: tasks and assignments (one lead per task);
- ``EGP5xx``: periods and schedule (period order, horizon, years and deadlines, task
  starts and deadlines, recurrence);
- ``EGP6xx``: reporting (cadences, reporters, recipients).

Each rule's texts (title, description, why, example, message) are data, in
``data/messages/{en,vi}.toml``; ``docs/rules.md`` is generated from the registry by
:func:`egovplan.validation.rules_markdown`.

Every check is linear in the size of the plan: indexes (ids by kind, flattened
objectives) are built once per validation run through :meth:`Context.cached` and shared,
and so are the facts several rules need from the budget lines and the tasks (one pass
over each list for all of them; see "facts shared by several rules" below).

>>> from egovplan.validation import default_registry
>>> default_registry().ruleset("funding").codes[:3]
('EGP201', 'EGP202', 'EGP203')
"""

from __future__ import annotations

import datetime as dt
import decimal
import operator
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, Any, Final, TypeVar

from egovplan import _decimal
from egovplan.errors import UnknownReferenceError
from egovplan.funding import BudgetLineStatus
from egovplan.objective import PERCENT_UNITS, RANK, Comparator
from egovplan.rulebook import (
    Check,
    Context,
    Finding,
    Rule,
    RuleRegistry,
    Ruleset,
    Severity,
    Term,
    shipped_texts,
)

if TYPE_CHECKING:
    from egovplan.document import DocumentRef
    from egovplan.money import Money
    from egovplan.objective import Objective, Target
    from egovplan.period import Period
    from egovplan.plan import Plan
    from egovplan.task import Schedule, Task
    from egovplan.when import When

__all__ = ["BUILTIN_RULESETS", "build_registry", "builtin_rules", "flow_rules"]

#: Exact decimal arithmetic for sums: wide enough for any bounded amount, every trap set.
_EXACT: Final = _decimal.context(
    120, traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow]
)
_HUNDRED: Final = Decimal(100)
_HALF: Final = Decimal("0.5")
_ZERO: Final = Decimal(0)

_T = TypeVar("_T")


# --- shared indexes ----------------------------------------------------------------------


def _objectives(context: Context) -> tuple[tuple[str, Objective], ...]:
    """Every objective, nested ones included, with its path, in document order."""

    def build() -> tuple[tuple[str, Objective], ...]:
        out: list[tuple[str, Objective]] = []
        stack = [(f"objectives[{i}]", o) for i, o in enumerate(context.plan.objectives)]
        stack.reverse()
        while stack:
            path, objective = stack.pop()
            out.append((path, objective))
            children = [
                (f"{path}.children[{i}]", child) for i, child in enumerate(objective.children)
            ]
            stack.extend(reversed(children))
        return tuple(out)

    return context.cached("objectives", build)


def _targets(context: Context) -> tuple[tuple[str, Target], ...]:
    """Every target of every objective, then of every task, with its path, in document order."""

    def build() -> tuple[tuple[str, Target], ...]:
        of_objectives = (
            (f"{path}.targets[{i}]", target)
            for path, objective in _objectives(context)
            for i, target in enumerate(objective.targets)
        )
        of_tasks = (
            (f"tasks[{i}].targets[{j}]", target)
            for i, task in enumerate(context.plan.tasks)
            for j, target in enumerate(task.targets)
        )
        return (*of_objectives, *of_tasks)

    return context.cached("targets", build)


class _Collection:
    """One kind of identified thing: its items and the path of each."""

    __slots__ = ("items", "kind", "path_of")

    def __init__(self, kind: str, items: Sequence[Any], path_of: Callable[[int], str]) -> None:
        self.kind = kind
        self.items = items
        self.path_of = path_of


def _collections(context: Context) -> tuple[_Collection, ...]:
    def build() -> tuple[_Collection, ...]:
        plan = context.plan
        objectives = _objectives(context)
        targets = _targets(context)

        def simple(kind: str, prefix: str, items: Sequence[Any]) -> _Collection:
            return _Collection(kind, items, lambda i: f"{prefix}[{i}]")

        return (
            simple("level", "levels", plan.levels),
            simple("agency", "agencies", plan.agencies),
            _Collection("objective", [o for _, o in objectives], lambda i: objectives[i][0]),
            _Collection("target", [t for _, t in targets], lambda i: targets[i][0]),
            simple("task", "tasks", plan.tasks),
            simple("indicator", "indicators", plan.indicators),
            simple("source", "funding.sources", plan.funding.sources),
            simple("line", "funding.lines", plan.funding.lines),
            simple("spending_rule", "funding.rules", plan.funding.rules),
            simple("flow", "flows", plan.flows),
            simple("reporting_duty", "reporting", plan.reporting),
            simple("annex", "annexes", plan.annexes),
        )

    return context.cached("collections", build)


def _ids(context: Context, kind: str) -> dict[str, int]:
    """Id -> index of its first occurrence, for one kind of thing."""

    def build() -> dict[str, int]:
        for collection in _collections(context):
            if collection.kind == kind:
                index: dict[str, int] = {}
                for i, item in enumerate(collection.items):
                    index.setdefault(item.id, i)
                return index
        raise UnknownReferenceError(f"no collection of kind {kind!r} in a plan")

    return context.cached(f"ids:{kind}", build)


def _id_set(context: Context, kind: str) -> set[str]:
    """The ids of one kind of thing, for membership tests only.

    Smaller and faster to build and to look up than :func:`_ids` (no positions), which
    counts when a million budget lines look up a hundred thousand task ids.
    """

    def build() -> set[str]:
        for collection in _collections(context):
            if collection.kind == kind:
                return {item.id for item in collection.items}
        raise UnknownReferenceError(f"no collection of kind {kind!r} in a plan")

    return context.cached(f"id set:{kind}", build)


def _currency(plan: Plan) -> str | None:
    """The funding's currency: that of its first amount (the total, else a source, ...)."""
    for amount, _ in _amounts(plan):
        return amount.currency
    return None


def _sum(amounts: Iterator[Decimal]) -> Decimal:
    total = Decimal(0)
    add = _EXACT.add
    for amount in amounts:
        total = add(total, amount)
    return total


def _in(plan: Plan, amount: Money, currency: str) -> Money | None:
    """``amount`` in ``currency``, through the funding's recorded rates; None without one."""
    if amount.currency == currency:
        return amount
    funding = plan.funding
    if not funding.exchange_rates:
        return None
    rate = funding.rates.find(amount.currency, currency)
    return None if rate is None else rate.convert(amount)


def _convertible(plan: Plan, currency: str, expected: str | None) -> bool:
    """Whether amounts in ``currency`` can be brought into ``expected`` by a recorded rate."""
    funding = plan.funding
    if expected is None or not funding.exchange_rates:
        return False
    return funding.rates.find(currency, expected) is not None


# --- facts shared by several rules --------------------------------------------------------
#
# Big plans have a million budget lines and a hundred thousand tasks. The rules about them
# share what they need from one pass over each list (built on first use, for one
# validation run, through Context.cached), and skip work that cannot find anything (a
# list whose ids are all different has no duplicate): each extra pass over a million
# objects, or hash table of a million ids, costs more per line the bigger the plan.
#
# A shared fact is an optimisation only. When it cannot be built (its pass raised on an
# odd plan) it is None and every rule that wanted it runs its own loop instead, which
# finds the same things, or fails on its own (EGP000 for that rule alone), as it would
# without sharing.

#: Context cache key: when set to True, no shared fact is built (the rules' own loops run).
_UNSHARED: Final = "rules:unshared"


def _shared(context: Context, key: str, build: Callable[[], _T]) -> _T | None:
    """The shared fact under ``key``, built with ``build()`` once; None if unavailable."""

    def guarded() -> _T | None:
        if context.cached(_UNSHARED, bool):
            return None
        try:
            return build()
        except Exception:  # the rules' own loops report it, each for itself
            return None

    return context.cached(f"rules:shared:{key}", guarded)


def _without_sharing(context: Context) -> Context:
    """``context``, set so that every rule runs its own loop (for tests: same findings).

    Call it before any rule runs with ``context``.
    """
    context.cached(_UNSHARED, lambda: True)
    return context


#: How many ids :class:`_IdFacts` checks per joined text.
_CHUNK: Final = 4096


class _IdFacts:
    """What EGP101 and EGP102 need to know of one kind's ids, from one pass over them.

    Attributes:
        distinct: the ids are all different (no duplicate to find).
        own_caseless: each id is its own caseless form (:func:`_caseless`: lower case,
            one normal form), so different ids cannot have the same caseless form.
        plain: every id is printable ASCII, so none has an invisible character or
            letters of two scripts, and two of them look alike only if they differ in
            letter case (EGP106, EGP107 and EGP108 have nothing to find).
    """

    __slots__ = ("distinct", "own_caseless", "plain")

    def __init__(self, ids: list[str]) -> None:
        # Ids in increasing order (as numbered or generated plans have them) are distinct
        # without a table of them; others are counted through a set.
        increasing = all(map(operator.lt, ids, islice(ids, 1, None)))
        self.distinct = increasing or len(set(ids)) == len(ids)
        # NUL joins the ids, a few thousand at a time (a text that stays in cache): both
        # steps of the caseless form leave NUL in place and it separates what they change
        # (normalisation reorders marks only between starters), so the joined text is its
        # own caseless form exactly when each id is.
        self.own_caseless = True
        self.plain = True
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            text = "\x00".join(chunk)
            if self.plain and not (text.isascii() and " ".join(chunk).isprintable()):
                self.plain = False
            if self.own_caseless and _caseless(text) != text:
                self.own_caseless = False
            if not (self.own_caseless or self.plain):
                break


def _id_facts(context: Context, collection: _Collection) -> _IdFacts | None:
    """The facts of one kind's ids, shared by EGP101 and EGP102."""
    return _shared(
        context,
        f"ids:{collection.kind}",
        lambda: _IdFacts([item.id for item in collection.items]),
    )


# --- EGP1xx identity and references ------------------------------------------------------


def check_unique_ids(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP101: ids are unique within their kind."""
    for collection in _collections(context):
        facts = _id_facts(context, collection)
        if facts is not None and facts.distinct:
            continue  # nothing to find
        index = _ids(context, collection.kind)
        for i, item in enumerate(collection.items):
            first = index[item.id]
            if first != i:
                yield Finding(
                    path=f"{collection.path_of(i)}.id",
                    values={
                        "kind": Term(collection.kind),
                        "id": item.id,
                        "first": f"{collection.path_of(first)}.id",
                    },
                )


def _caseless(text: str) -> str:
    """``text`` for caseless matching: case folded, and in one Unicode normal form.

    "sở" typed with a precomposed "ở" and with "o" plus combining marks look the same and
    are different strings; Unicode's canonical caseless match (NFD, fold, NFD) makes them one.
    """
    if text.isascii():
        return text.casefold()
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())


def _difference(first: str, second: str) -> tuple[Term, ...]:
    """How two ids differ, as terms messages show (``letter case``...)."""
    from egovplan._lookalike import differences

    return tuple(Term(f"id_{name}") for name in differences(first, second))


def check_case_folded_ids(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP102: ids of one kind differ in more than letter case or Unicode normal form.

    The message names the difference: letter case, the normal form (an accented letter
    precomposed in one id and with combining marks in the other), or both.
    """
    for collection in _collections(context):
        items = collection.items
        facts = _id_facts(context, collection)
        if facts is not None and facts.own_caseless:
            continue  # two different ids cannot have the same caseless form
        folded: dict[str, int] = {}
        for i, item in enumerate(items):
            first = folded.setdefault(_caseless(item.id), i)
            if first != i and items[first].id != item.id:
                yield Finding(
                    path=f"{collection.path_of(i)}.id",
                    values={
                        "kind": Term(collection.kind),
                        "id": item.id,
                        "other": items[first].id,
                        "first": f"{collection.path_of(first)}.id",
                        "difference": _difference(items[first].id, item.id),
                    },
                )


def _unplain(context: Context) -> Iterator[_Collection]:
    """The collections some of whose ids are not printable ASCII."""
    for collection in _collections(context):
        facts = _id_facts(context, collection)
        if facts is None or not facts.plain:
            yield collection


def check_lookalike_ids(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP106: ids of one kind do not look alike.

    Two ids look alike when they are the same once invisible characters are dropped,
    compatibility forms (full-width letters) and case are folded and look-alike letters
    of other scripts (a Cyrillic "о") are read as Latin; pairs that differ only in case
    or normal form are EGP102's. The message names the difference.
    """
    from egovplan._lookalike import skeleton

    for collection in _unplain(context):
        items = collection.items
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            first = seen.setdefault(skeleton(item.id), i)
            other = items[first].id
            if first != i and other != item.id and _caseless(other) != _caseless(item.id):
                yield Finding(
                    path=f"{collection.path_of(i)}.id",
                    values={
                        "kind": Term(collection.kind),
                        "id": item.id,
                        "other": other,
                        "first": f"{collection.path_of(first)}.id",
                        "difference": _difference(other, item.id),
                    },
                )


def check_invisible_in_ids(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP107: an id has no invisible, format or control character (zero-width, bidi)."""
    from egovplan._lookalike import char_name, invisible_at

    for collection in _unplain(context):
        for i, item in enumerate(collection.items):
            position = invisible_at(item.id)
            if position is not None:
                yield Finding(
                    path=f"{collection.path_of(i)}.id",
                    values={
                        "kind": Term(collection.kind),
                        "id": item.id,
                        "char": char_name(item.id[position]),
                        "position": position,
                    },
                )


def check_mixed_scripts_in_ids(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP108: the letters of an id are of one script (or of scripts written together)."""
    from egovplan._lookalike import char_name, first_of, mixed_scripts

    for collection in _unplain(context):
        for i, item in enumerate(collection.items):
            scripts = mixed_scripts(item.id)
            if scripts:
                yield Finding(
                    path=f"{collection.path_of(i)}.id",
                    values={
                        "kind": Term(collection.kind),
                        "id": item.id,
                        "scripts": tuple(script.title() for script in scripts),
                        "letters": tuple(
                            f"'{letter}' {char_name(letter)}"
                            for letter in (first_of(item.id, script) for script in scripts[1:])
                        ),
                    },
                )


#: A place in the plan as a ``str.format`` template and its indexes: building the path
#: string is left until a finding needs it, so that checks over a million budget lines
#: do not format a million paths.
Where = tuple[str, tuple[int, ...]]


def _path(where: Where) -> str:
    template, indexes = where
    return template.format(*indexes) if indexes else template


def _references(
    plan: Plan, context: Context, *, tasks: bool = True
) -> Iterator[tuple[str, str, Where]]:
    """Every reference of the plan except budget lines' as ``(kind, id, where)``.

    ``tasks=False`` leaves out the tasks' references (a shared pass over the tasks has
    them; see :class:`_Tasks`).
    """
    has_levels = bool(plan.levels)
    for i, agency in enumerate(plan.agencies):
        if agency.parent is not None:
            yield "agency", agency.parent, ("agencies[{}].parent", (i,))
        if has_levels and agency.level is not None:
            yield "level", agency.level, ("agencies[{}].level", (i,))
    for i, task in enumerate(plan.tasks if tasks else ()):
        for j, objective in enumerate(task.objectives):
            yield "objective", objective, ("tasks[{}].objectives[{}]", (i, j))
        for j, indicator in enumerate(task.indicators):
            yield "indicator", indicator, ("tasks[{}].indicators[{}]", (i, j))
        for j, assignment in enumerate(task.assignments):
            yield "agency", assignment.agency, ("tasks[{}].assignments[{}].agency", (i, j))
    for source, _ in plan.funding.stated_shares:
        yield "source", source, (f"funding.stated_shares.{source}", ())
    for path, target in _targets(context):
        if target.indicator is not None:
            yield "indicator", target.indicator, (f"{path}.indicator", ())
        if has_levels:
            for j, entry in enumerate(target.by_level):
                yield "level", entry.level, (f"{path}.by_level[{j}].level", ())
    for i, flow in enumerate(plan.flows):
        for name in ("source", "agency", "task", "objective"):
            ref = getattr(flow, name)
            if ref is not None:
                yield name, ref, (f"flows[{{}}].{name}", (i,))
    for i, duty in enumerate(plan.reporting):
        if duty.reporter is not None:
            yield "agency", duty.reporter, ("reporting[{}].reporter", (i,))
        if duty.recipient is not None:
            yield "agency", duty.recipient, ("reporting[{}].recipient", (i,))
        for name in ("reporters", "recipients", "via"):
            for j, ref in enumerate(getattr(duty, name)):
                yield "agency", ref, (f"reporting[{{}}].{name}[{{}}]", (i, j))
    for i, observation in enumerate(plan.observations):
        yield "indicator", observation.indicator, ("observations[{}].indicator", (i,))
    for i, rule in enumerate(plan.funding.rules):
        for kind, name in (("agency", "agencies"), ("source", "sources"), ("level", "levels")):
            if kind == "level" and not has_levels:
                continue  # a catalogue code then (EGP105)
            for j, ref in enumerate(getattr(rule, name)):
                yield kind, ref, (f"funding.rules[{{}}].{name}[{{}}]", (i, j))
        if rule.decided_by is not None:
            yield "agency", rule.decided_by, ("funding.rules[{}].decided_by", (i,))
    for i, citation in enumerate(plan.citations):
        for name in ("task", "objective", "annex"):
            ref = getattr(citation, name)
            if ref is not None:
                yield name, ref, (f"citations[{{}}].{name}", (i,))


def _line_references(plan: Plan, context: Context) -> Iterator[tuple[str, str, Where]]:
    """The references of the budget lines that do not resolve (a tight loop: lines are many)."""
    sources = _ids(context, "source")
    agencies = _ids(context, "agency")
    tasks = _ids(context, "task")
    objectives = _ids(context, "objective")
    for i, line in enumerate(plan.funding.lines):
        if line.source not in sources:
            yield "source", line.source, ("funding.lines[{}].source", (i,))
        if line.agency is not None and line.agency not in agencies:
            yield "agency", line.agency, ("funding.lines[{}].agency", (i,))
        if line.task is not None and line.task not in tasks:
            yield "task", line.task, ("funding.lines[{}].task", (i,))
        if line.objective is not None and line.objective not in objectives:
            yield "objective", line.objective, ("funding.lines[{}].objective", (i,))


class _Lines:
    """What the rules about budget lines find in them, from one pass over the lines.

    Attributes:
        unknown: the references that do not resolve, as :func:`_line_references` gives
            them (EGP103).
        negative: the positions of the lines with a negative amount, revised lines
            aside (EGP206).
        periods: the positions of the lines with a period (EGP211).
        foreign: the positions of the lines not in the funding's currency (EGP208).
        outside: the positions of the lines whose year is outside the period (EGP503).
        sums: source position -> the sum of its lines in the source's currency (EGP207).
    """

    __slots__ = ("foreign", "negative", "outside", "periods", "sums", "unknown")

    def __init__(self) -> None:
        self.unknown: list[tuple[str, str, Where]] = []
        self.negative: list[int] = []
        self.periods: list[int] = []
        self.foreign: list[int] = []
        self.outside: list[int] = []
        self.sums: dict[int, Decimal] = {}


def _lines(context: Context) -> _Lines | None:
    """The budget lines' facts for EGP103, EGP206, EGP207, EGP208 and EGP503, shared."""

    def build() -> _Lines:
        plan = context.plan
        funding = plan.funding
        found = _Lines()
        sources = _ids(context, "source")
        agencies = _id_set(context, "agency")
        tasks = _id_set(context, "task")
        objectives = _id_set(context, "objective")
        currencies = [
            None if source.amount is None else source.amount.currency for source in funding.sources
        ]
        expected = _currency(plan)
        rated = bool(funding.exchange_rates)
        first, last = plan.period.start.year, plan.period.end.year
        unknown, sums, add, zero = found.unknown, found.sums, _EXACT.add, _ZERO
        revised = BudgetLineStatus.REVISED
        for i, line in enumerate(funding.lines):
            amount = line.amount
            value, currency = amount.amount, amount.currency
            source = line.source
            position = sources.get(source)
            if position is None:
                unknown.append(("source", source, ("funding.lines[{}].source", (i,))))
            elif currency == currencies[position]:
                sums[position] = add(sums.get(position, zero), value)
            elif rated and currencies[position] is not None:
                converted = _in(plan, amount, str(currencies[position]))
                if converted is not None:
                    sums[position] = add(sums.get(position, zero), converted.amount)
            ref = line.agency
            if ref is not None and ref not in agencies:
                unknown.append(("agency", ref, ("funding.lines[{}].agency", (i,))))
            ref = line.task
            if ref is not None and ref not in tasks:
                unknown.append(("task", ref, ("funding.lines[{}].task", (i,))))
            ref = line.objective
            if ref is not None and ref not in objectives:
                unknown.append(("objective", ref, ("funding.lines[{}].objective", (i,))))
            if value < zero and line.status is not revised:
                found.negative.append(i)
            if line.period is not None:
                found.periods.append(i)
            if currency != expected:
                found.foreign.append(i)
            year = line.year
            if year is not None and not first <= year <= last:
                found.outside.append(i)
        return found

    return _shared(context, "lines", build)


class _Tasks:
    """What the rules about tasks find in them, from one pass over the tasks.

    Attributes:
        unknown: the tasks' references that do not resolve, in the order
            :func:`_references` gives them (EGP103).
        roles: ``(task, assignment)`` positions of roles not in the roles catalogue
            (EGP105).
        leads: ``(task position, leading agencies, sole leads)`` of the tasks with no
            leading agency or more than one sole lead (EGP401, EGP402); see
            :func:`_lead_roles`.
    """

    __slots__ = ("leads", "roles", "unknown")

    def __init__(self) -> None:
        self.unknown: list[tuple[str, str, Where]] = []
        self.roles: list[tuple[int, int]] = []
        self.leads: list[tuple[int, tuple[str, ...], tuple[str, ...]]] = []


def _lead_roles(context: Context) -> tuple[frozenset[str], frozenset[str]]:
    """The roles that lead a task, and those of them a task should have one of.

    From the roles catalogue's ``leads`` and ``sole`` keys (``lead``: both; ``implement``,
    ``lead_or_coordinate``: leads only), so a catalogue of your own can mark its roles.
    """
    roles = context.catalogues["roles"]
    leading = frozenset(kind.code for kind in roles if kind.get("leads") is True)
    sole = frozenset(kind.code for kind in roles if kind.get("sole") is True) & leading
    return leading, sole


def _task_leads(
    task: Task, leading: frozenset[str], sole: frozenset[str], collective: frozenset[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A task's leading agencies, and its sole-role leads that are not collective."""
    leads = tuple(a.agency for a in task.assignments if a.role in leading)
    joint = tuple(
        a.agency for a in task.assignments if a.role in sole and a.agency not in collective
    )
    return leads, joint


def _collective(plan: Plan) -> frozenset[str]:
    """The ids of the plan's collective agencies (groups whose members act for themselves)."""
    return frozenset(agency.id for agency in plan.agencies if agency.collective)


def _tasks(context: Context) -> _Tasks | None:
    """The tasks' facts for EGP103, EGP105, EGP401 and EGP402, shared."""

    def build() -> _Tasks:
        found = _Tasks()
        objectives = _id_set(context, "objective")
        indicators = _id_set(context, "indicator")
        agencies = _id_set(context, "agency")
        roles = context.catalogues["roles"]
        leading, sole = _lead_roles(context)
        collective = _collective(context.plan)
        known: dict[str, bool] = {}
        unknown = found.unknown
        for i, task in enumerate(context.plan.tasks):
            for j, ref in enumerate(task.objectives):
                if ref not in objectives:
                    unknown.append(("objective", ref, ("tasks[{}].objectives[{}]", (i, j))))
            for j, ref in enumerate(task.indicators):
                if ref not in indicators:
                    unknown.append(("indicator", ref, ("tasks[{}].indicators[{}]", (i, j))))
            for j, assignment in enumerate(task.assignments):
                ref = assignment.agency
                if ref not in agencies:
                    where = ("tasks[{}].assignments[{}].agency", (i, j))
                    unknown.append(("agency", ref, where))
                role = assignment.role
                is_known = known.get(role)
                if is_known is None:
                    is_known = known[role] = role in roles
                if not is_known:
                    found.roles.append((i, j))
            if len(task.assignments) != 1 or task.assignments[0].role not in sole:
                leads, joint = _task_leads(task, leading, sole, collective)
                if not leads or len(joint) > 1:
                    found.leads.append((i, leads, joint))
        return found

    return _shared(context, "tasks", build)


def check_references(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP103: every reference names something the plan defines."""
    indexes: dict[str, dict[str, int]] = {}
    found: list[tuple[str, str, Where]] = []
    tasks = _tasks(context)
    for kind, ref, where in _references(plan, context, tasks=tasks is None):
        index = indexes.get(kind)
        if index is None:
            index = indexes[kind] = _ids(context, kind)
        if ref not in index:
            found.append((kind, ref, where))
    if tasks is not None:
        found.extend(tasks.unknown)  # sorted into place below: parts never tie
    lines = _lines(context)
    found.extend(_line_references(plan, context) if lines is None else lines.unknown)
    found.sort(key=_document_order)
    for kind, ref, where in found:
        yield Finding(path=_path(where), values={"kind": Term(kind), "id": ref})


#: The order of the plan's parts in the file format, for reporting in document order.
_PART_ORDER: Final = {
    part: position
    for position, part in enumerate(
        (
            "agencies",
            "objectives",
            "tasks",
            "funding.lines",
            "funding.stated_shares",
            "flows",
            "reporting",
            "observations",
            "citations",
        )
    )
}


def _document_order(item: tuple[str, str, Where]) -> tuple[int, ...]:
    template = item[2][0]
    part = "funding.lines" if template.startswith("funding.lines") else template.split("[")[0]
    if part.startswith("funding.stated_shares"):
        part = "funding.stated_shares"
    return (_PART_ORDER.get(part, len(_PART_ORDER)), *item[2][1])


def check_parent_cycles(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP104: following agencies' parents never comes back to where it started."""
    index = _ids(context, "agency")
    agencies = plan.agencies
    parent_of = {
        agency.id: agency.parent for i, agency in enumerate(agencies) if index[agency.id] == i
    }
    done: set[str] = set()
    for start in parent_of:
        if start in done:
            continue
        walk: dict[str, int] = {}
        node: str | None = start
        while node is not None and node not in done and node not in walk:
            walk[node] = len(walk)
            node = parent_of.get(node)
        if node is not None and node in walk:
            order = list(walk)
            cycle = order[walk[node] :]
            first = min(cycle, key=index.__getitem__)
            at = cycle.index(first)
            ring = (*cycle[at:], *cycle[:at], first)
            yield Finding(
                path=f"agencies[{index[first]}].parent",
                values={"id": first, "cycle": " → ".join(ring)},
            )
        done.update(walk)


def _coded(plan: Plan, context: Context, *, tasks: bool = True) -> Iterator[tuple[str, str, str]]:
    """Every catalogue code of the plan as ``(path, catalogue, code)``.

    ``tasks=False`` leaves out the roles of the tasks' assignments, the last part (a
    shared pass over the tasks has them; see :class:`_Tasks`).
    """
    metadata = plan.metadata
    yield "metadata.kind", "document_kinds", metadata.kind
    for path, ref in _documents(plan):
        if ref.kind is not None:
            yield f"{path}.kind", "document_kinds", ref.kind
    for i, source in enumerate(plan.funding.sources):
        if source.kind is not None:
            yield f"funding.sources[{i}].kind", "funding_source_kinds", source.kind
    for i, flow in enumerate(plan.flows):
        yield f"flows[{i}].kind", "flow_kinds", flow.kind
    has_levels = bool(plan.levels)
    for i, agency in enumerate(plan.agencies):
        yield f"agencies[{i}].kind", "agency_kinds", agency.kind
        if not has_levels and agency.level is not None:
            yield f"agencies[{i}].level", "levels", agency.level
    for path, target in _targets(context):
        for j, entry in enumerate(target.by_level):
            if not has_levels:
                yield f"{path}.by_level[{j}].level", "levels", entry.level
            if entry.counts is not None:
                yield f"{path}.by_level[{j}].counts", "counted", entry.counts
        for j, qualifier in enumerate(target.qualifiers):
            yield f"{path}.qualifiers[{j}]", "target_qualifiers", qualifier
    for i, rule in enumerate(plan.funding.rules):
        if rule.base_kind is not None:
            yield f"funding.rules[{i}].base_kind", "spending_bases", rule.base_kind
        if rule.cadence is not None:
            yield f"funding.rules[{i}].cadence", "cadences", rule.cadence
        if not has_levels:
            for j, level in enumerate(rule.levels):
                yield f"funding.rules[{i}].levels[{j}]", "levels", level
    for i, task in enumerate(plan.tasks if tasks else ()):
        for j, assignment in enumerate(task.assignments):
            yield f"tasks[{i}].assignments[{j}].role", "roles", assignment.role


def check_known_kinds(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP105: kinds, roles, levels, qualifiers and counted things are catalogue codes."""
    catalogues = context.catalogues
    tasks = _tasks(context)
    for path, name, code in _coded(plan, context, tasks=tasks is None):
        if code not in catalogues[name]:
            yield Finding(path=path, values={"catalogue": Term(name), "code": code})
    for i, j in () if tasks is None else tasks.roles:
        code = plan.tasks[i].assignments[j].role
        yield Finding(
            path=f"tasks[{i}].assignments[{j}].role",
            values={"catalogue": Term("roles"), "code": code},
        )


# --- EGP2xx funding ----------------------------------------------------------------------


def _amounts(plan: Plan, lines: Sequence[int] | None = None) -> Iterator[tuple[Money, Where]]:
    """Every amount of the funding, with where it is.

    ``lines``, if given, are the positions of the only budget lines to include (those a
    shared pass over the lines found; see :class:`_Lines`), in order.
    """
    funding = plan.funding
    if funding.total is not None:
        yield funding.total, ("funding.total", ())
    for i, source in enumerate(funding.sources):
        if source.amount is not None:
            yield source.amount, ("funding.sources[{}].amount", (i,))
    if lines is None:
        for i, line in enumerate(funding.lines):
            yield line.amount, ("funding.lines[{}].amount", (i,))
    else:
        for i in lines:
            yield funding.lines[i].amount, ("funding.lines[{}].amount", (i,))
    for i, rule in enumerate(funding.rules):
        if rule.base is not None:
            yield rule.base, ("funding.rules[{}].base", (i,))
        if rule.amount is not None:
            yield rule.amount, ("funding.rules[{}].amount", (i,))


def _half_minor(currency: str) -> Decimal:
    """Half of ``currency``'s minor unit (0.005 for USD, 0.5 for VND)."""
    from egovplan.money import minor_digits

    return _EXACT.multiply(_HALF, Decimal(1).scaleb(-minor_digits(currency), context=_EXACT))


def check_total(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP201: the declared total equals the sum of the sources, exactly.

    When some sources state no amount, the total also covers them: the stated amounts
    then only must not add up to more than the total. Sources in another currency count
    converted by the funding's recorded rates, each up to half a minor unit of rounding.
    """
    funding = plan.funding
    total = funding.total
    stated = [source.amount for source in funding.sources if source.amount is not None]
    if total is None or not stated:
        return
    converted = [_in(plan, amount, total.currency) for amount in stated]
    if any(amount is None for amount in converted):
        return  # EGP208 reports it
    found = _sum(amount.amount for amount in converted if amount is not None)
    partial = len(stated) < len(funding.sources)
    # Each converted amount is rounded to the currency's minor unit: half a unit each.
    slack = _EXACT.multiply(
        _half_minor(total.currency), sum(amount.currency != total.currency for amount in stated)
    )
    difference = _EXACT.subtract(found, total.amount)
    if (difference > slack) if partial else (abs(difference) > slack):
        from egovplan.money import Money

        yield Finding(
            path="funding.total",
            values={
                "total": total,
                "sum": Money(found, total.currency),
                "difference": Money(_EXACT.subtract(total.amount, found), total.currency),
            },
        )


def _words(plan: Plan) -> Iterator[tuple[str, str, Money]]:
    """Every amount written in words: ``(path, words, amount in digits)``."""
    funding = plan.funding
    if funding.total_in_words is not None and funding.total is not None:
        yield "funding.total_in_words", funding.total_in_words, funding.total
    for i, source in enumerate(funding.sources):
        if source.amount_in_words is not None and source.amount is not None:
            yield f"funding.sources[{i}].amount_in_words", source.amount_in_words, source.amount


def _read_words(words: str, context: Context) -> Decimal | str:
    """The amount ``words`` says, or why it cannot be read (cached per run).

    The words are read in the plan's language (``metadata.language``) first, then in the
    other languages egovplan has number words for (a plan in English may quote amounts
    in Vietnamese words); when none reads them, the reason is the first language's.
    """
    cache: dict[str, Decimal | str] = context.cached("words", dict)
    if words in cache:
        return cache[words]
    from egovplan.errors import EgovplanError
    from egovplan.words import number_word_languages, words_to_amount

    language = context.plan.metadata.language.replace("-", "_").split("_", 1)[0].lower()
    others = [other for other in number_word_languages() if other != language]
    result: Decimal | str | None = None
    for candidate in (language, *others):
        try:
            result = Decimal(words_to_amount(words, candidate))
        except (EgovplanError, ValueError) as error:
            if result is None:
                result = str(error)
        else:
            break
    cache[words] = "" if result is None else result
    return cache[words]


def _words_currency(words: str) -> str | None:
    """The currency the words name by their trailing word ("đồng": VND), if any."""
    from egovplan.words import named_currency, number_word_languages

    for language in number_word_languages():
        named = named_currency(words, language)
        if named is not None:
            return named
    return None


def check_words(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP202: an amount written in words says the same amount as its digits.

    The same number in another currency is another amount: words in đồng under an
    amount in US dollars are reported.
    """
    for path, words, digits in _words(plan):
        read = _read_words(words, context)
        if not isinstance(read, Decimal):
            continue
        currency = _words_currency(words) or digits.currency
        if read != digits.amount or currency != digits.currency:
            from egovplan.money import Money

            yield Finding(
                path=path,
                values={"words": words, "amount": digits, "read": Money(read, currency)},
            )


def check_words_readable(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP203: an amount written in words can be read."""
    for path, words, _ in _words(plan):
        read = _read_words(words, context)
        if isinstance(read, str):
            yield Finding(path=path, values={"words": words, "reason": read})


def _unit(value: Decimal) -> Decimal:
    """One unit of the last decimal place ``value`` is written with (1 for whole numbers)."""
    exponent = value.as_tuple().exponent
    places = exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Decimal(1).scaleb(places, context=_EXACT)


def _half_unit(value: Decimal) -> Decimal:
    """Half a unit of the last decimal place ``value`` is written with."""
    return _EXACT.multiply(_HALF, _unit(value))


def check_shares_sum(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP204: stated shares sum to 100, up to the rounding of the shares as written."""
    funding = plan.funding
    shares = funding.stated_shares
    if not shares:
        return
    stated = _sum(share for _, share in shares)
    tolerance = _sum(_half_unit(share) for _, share in shares)
    covers = {source.id for source in funding.sources} <= {key for key, _ in shares}
    too_far = abs(_EXACT.subtract(stated, _HUNDRED)) > tolerance
    if too_far and (covers or stated > _HUNDRED):
        yield Finding(path="funding.stated_shares", values={"sum": stated, "tolerance": tolerance})


def check_share_amounts(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP205: a stated share agrees with the share its source's amount is of the sources.

    A share may differ from the exact one by less than one unit of its last decimal place:
    rounding that keeps the shares summing to 100 (largest remainder, as
    :func:`egovplan.allocation.shares`) moves a share by up to that much.
    """
    funding = plan.funding
    if not funding.stated_shares or not funding.sources:
        return
    amounts = [source.amount for source in funding.sources]
    if any(amount is None for amount in amounts):
        return  # a source without an amount: the whole is not known
    currency = amounts[0].currency if amounts[0] is not None else ""
    in_one = [None if a is None else _in(plan, a, currency) for a in amounts]
    if any(amount is None for amount in in_one):
        return  # EGP208 reports it
    known = [amount for amount in in_one if amount is not None]
    whole = _sum(amount.amount for amount in known)
    if whole <= 0:
        return
    index = _ids(context, "source")
    for key, stated in funding.stated_shares:
        position = index.get(key)
        if position is None:
            continue  # EGP103 reports it
        amount = known[position].amount
        exact = _EXACT.divide(_EXACT.multiply(amount, _HUNDRED), whole)
        if abs(_EXACT.subtract(stated, exact)) >= _unit(stated):
            shown = exact.quantize(Decimal("0.01"), context=_EXACT)
            yield Finding(
                path=f"funding.stated_shares.{key}",
                values={"source": key, "stated": stated, "computed": shown},
            )


def check_negative_amounts(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP206: no amount of money is negative, but that of a revised budget line."""
    lines = _lines(context)
    all_lines = plan.funding.lines
    for amount, where in _amounts(plan, None if lines is None else lines.negative):
        if amount.amount < 0:
            template, index = where
            if (
                template == "funding.lines[{}].amount"
                and all_lines[index[0]].status is BudgetLineStatus.REVISED
            ):
                continue  # a revision may take money back
            yield Finding(path=_path(where), values={"amount": amount})


def _source_sums(context: Context) -> dict[int, Decimal]:
    """Source position -> the sum of its budget lines in the source's currency.

    Lines in another currency count converted by the funding's recorded rates; without
    a rate they are left out (EGP208 reports them).
    """
    index = _ids(context, "source")
    sources = context.plan.funding.sources
    sums: dict[int, Decimal] = {}
    add = _EXACT.add
    for line in context.plan.funding.lines:
        position = index.get(line.source)
        if position is None:
            continue  # EGP103 reports it
        stated = sources[position].amount
        if stated is None:
            continue  # a source without an amount bounds nothing
        amount = _in(context.plan, line.amount, stated.currency)
        if amount is None:
            continue  # EGP208 reports it
        sums[position] = add(sums.get(position, Decimal(0)), amount.amount)
    return sums


def check_lines_within_sources(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP207: the budget lines of a source add up to no more than the source."""
    funding = plan.funding
    if not funding.lines:
        return
    sources = funding.sources
    shared = _lines(context)
    sums = _source_sums(context) if shared is None else shared.sums
    for position in sorted(sums):
        source = sources[position]
        stated = source.amount
        if stated is not None and sums[position] > stated.amount:
            from egovplan.money import Money

            yield Finding(
                path=f"funding.sources[{position}].amount",
                values={
                    "source": source.id,
                    "amount": stated,
                    "lines": Money(sums[position], stated.currency),
                },
            )


def check_one_currency(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP208: every amount is in the funding's currency, or has a recorded rate to it."""
    expected = _currency(plan)
    lines = _lines(context)
    for amount, where in _amounts(plan, None if lines is None else lines.foreign):
        if amount.currency != expected and not _convertible(plan, amount.currency, expected):
            yield Finding(
                path=_path(where), values={"currency": amount.currency, "expected": expected}
            )


def _rule_checks(plan: Plan) -> Iterator[tuple[int, Comparator, Money, Money, Decimal]]:
    """``(position, comparator, amount, base, share)`` of every rule stating all three.

    ``share`` is the amount the percent of the base comes to, exactly; the amount is in
    the base's currency, converted by the recorded rates (a rule whose amount has no
    rate to its base's currency is left out: EGP208 reports it).
    """
    from egovplan.money import Money

    for i, rule in enumerate(plan.funding.rules):
        base, stated, percent = rule.base, rule.amount, rule.percent
        if base is None or stated is None or percent is None:
            continue
        amount = _in(plan, stated, base.currency)
        if amount is None:
            continue
        share = _EXACT.divide(_EXACT.multiply(base.amount, percent), _HUNDRED)
        yield i, rule.comparator, Money(amount.amount, base.currency), base, share


def _actual_percent(amount: Money, base: Money) -> Decimal:
    if not base.amount:
        return Decimal(0)
    exact = _EXACT.divide(_EXACT.multiply(amount.amount, _HUNDRED), base.amount)
    return exact.quantize(Decimal("0.01"), context=_EXACT)


def _rule_finding(plan: Plan, i: int, amount: Money, base: Money, share: Decimal) -> Finding:
    from egovplan.money import Money

    rule = plan.funding.rules[i]
    return Finding(
        path=f"funding.rules[{i}].amount",
        values={
            "amount": rule.amount,
            "base": base,
            "minimum_percent": rule.percent,
            "rule_percent": rule.percent,
            "minimum": Money(share, base.currency),
            "share": Money(share, base.currency),
            "percent": _actual_percent(amount, base),
        },
    )


def check_spending_rules(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP209: a rule of at least (or more than) a share of a base is met by its amount."""
    for i, comparator, amount, base, share in _rule_checks(plan):
        if comparator in (Comparator.GE, Comparator.GT) and not comparator.holds(
            amount.amount, share
        ):
            yield _rule_finding(plan, i, amount, base, share)


def check_spending_ceilings(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP212: a rule of at most (or less than) a share of a base is kept by its amount."""
    for i, comparator, amount, base, share in _rule_checks(plan):
        if comparator in (Comparator.LE, Comparator.LT) and not comparator.holds(
            amount.amount, share
        ):
            yield _rule_finding(plan, i, amount, base, share)


def check_spending_exact(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP213: a rule of exactly a share of a base has that share, as the percent is written.

    The amount's share of the base, rounded to the decimal places of the rule's percent
    (half up), is the percent: "1 %" holds for 0.5 % up to below 1.5 %, "1.0 %" for 0.95 %
    up to below 1.05 %.
    """
    for i, comparator, amount, base, share in _rule_checks(plan):
        if comparator is not Comparator.EQ:
            continue
        percent = plan.funding.rules[i].percent
        assert percent is not None
        if not base.amount:
            if amount.amount:
                yield _rule_finding(plan, i, amount, base, share)
            continue
        exact = _EXACT.divide(_EXACT.multiply(amount.amount, _HUNDRED), base.amount)
        places = _unit(percent)
        if exact.quantize(places, rounding=decimal.ROUND_HALF_UP, context=_EXACT) != percent:
            yield _rule_finding(plan, i, amount, base, share)


def check_rule_comparators(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP214: a spending rule compares by at least, at most, exactly, more or less than.

    ``between`` needs two percents, and a rule has one.
    """
    for i, rule in enumerate(plan.funding.rules):
        if rule.comparator is Comparator.BETWEEN:
            yield Finding(path=f"funding.rules[{i}].comparator", values={"rule": rule.id})


def check_exchange_rates(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP215: two recorded rates between the same currencies on the same day agree.

    Otherwise it is open which one converts. A rate written the other way round counts
    as its inverse (1 USD = 25,000 VND is 1 VND = 0.00004 USD).
    """
    seen: dict[tuple[str, str, object], tuple[Decimal, int]] = {}
    for i, rate in enumerate(plan.funding.exchange_rates):
        if rate.base == rate.quote:
            continue  # converts nothing, never used
        low, high = sorted((rate.base, rate.quote))
        forward = rate.rate if rate.base == low else _EXACT.divide(1, rate.rate)
        key = (low, high, rate.date)
        if key in seen and seen[key][0] != forward:
            yield Finding(
                path=f"funding.exchange_rates[{i}].rate",
                values={
                    "base": rate.base,
                    "quote": rate.quote,
                    "date": rate.date.isoformat(),
                    "other": f"funding.exchange_rates[{seen[key][1]}]",
                },
            )
        seen.setdefault(key, (forward, i))


def check_funding_percents(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP210: stated shares and spending rules' percents lie in 0..100."""
    funding = plan.funding
    for key, value in funding.stated_shares:
        if not 0 <= value <= _HUNDRED:
            yield Finding(path=f"funding.stated_shares.{key}", values={"value": value})
    for i, rule in enumerate(funding.rules):
        if rule.percent is not None and not 0 <= rule.percent <= _HUNDRED:
            yield Finding(path=f"funding.rules[{i}].percent", values={"value": rule.percent})


# --- EGP225-EGP228 flows (actual money) -------------------------------------------------


def _flows_currency(plan: Plan) -> str | None:
    funding = plan.funding
    if funding.total is not None:
        return funding.total.currency
    for source in funding.sources:
        if source.amount is not None:
            return source.amount.currency
    for line in funding.lines:
        return line.amount.currency
    return None


def check_flow_periods(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP225: a flow's year, day or period lies in the plan's period."""
    period = plan.period
    for i, flow in enumerate(plan.flows):
        for name in ("year", "date", "period"):
            value = getattr(flow, name)
            if value is not None and not period.contains(value):
                shown = value.isoformat() if name == "date" else str(value)
                yield Finding(
                    path=f"flows[{i}].{name}",
                    values={"flow": flow.id, "when": shown, "period": str(period)},
                )


def check_flow_dates(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP226: a flow's year, day and period agree with each other."""
    for i, flow in enumerate(plan.flows):
        year, date, period = flow.year, flow.date, flow.period
        if year is not None and date is not None and date.year != year:
            yield Finding(
                path=f"flows[{i}].date",
                values={"flow": flow.id, "when": date.isoformat(), "other": str(year)},
            )
        if (
            year is not None
            and period is not None
            and not (period.first_year == period.last_year == year)
        ):
            yield Finding(
                path=f"flows[{i}].period",
                values={"flow": flow.id, "when": str(period), "other": str(year)},
            )
        if date is not None and period is not None and not period.contains(date):
            yield Finding(
                path=f"flows[{i}].date",
                values={"flow": flow.id, "when": date.isoformat(), "other": str(period)},
            )


def check_flow_currency(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP227: every flow is in the currency of the plan's funding."""
    expected = _flows_currency(plan)
    if expected is None:
        first = next(iter(plan.flows), None)
        expected = None if first is None else first.amount.currency
    for i, flow in enumerate(plan.flows):
        if flow.amount.currency != expected:
            yield Finding(
                path=f"flows[{i}].amount",
                values={"flow": flow.id, "currency": flow.amount.currency, "expected": expected},
            )


def check_flow_spending(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP228: the money spent from a source is not more than the source plans.

    What a source plans is its amount, else (a source named without one) the sum of its
    budget lines. A source whose spending and plan are not all in one currency is not
    judged (EGP227 and EGP208 report the amounts in another currency).
    """
    from egovplan.flows import spent_kinds
    from egovplan.money import Money

    spent = spent_kinds(context.catalogues)
    sums: dict[str, Decimal] = {}
    flow_currencies: dict[str, set[str]] = {}
    for flow in plan.flows:
        if flow.kind in spent and flow.source is not None:
            sums[flow.source] = _EXACT.add(sums.get(flow.source, _ZERO), flow.amount.amount)
            flow_currencies.setdefault(flow.source, set()).add(flow.amount.currency)
    if not sums:
        return
    by_lines: dict[str, Decimal] = {}
    line_currencies: dict[str, set[str]] = {}
    for line in plan.funding.lines:
        if line.source in sums:
            by_lines[line.source] = _EXACT.add(by_lines.get(line.source, _ZERO), line.amount.amount)
            line_currencies.setdefault(line.source, set()).add(line.amount.currency)
    seen: set[str] = set()
    for position, source in enumerate(plan.funding.sources):
        if source.id in seen or source.id not in sums:
            continue
        seen.add(source.id)
        found = flow_currencies[source.id]
        if source.amount is not None:
            planned, path = source.amount.amount, f"funding.sources[{position}].amount"
            found = found | {source.amount.currency}
        elif source.id in by_lines:
            planned, path = by_lines[source.id], f"funding.sources[{position}]"
            found = found | line_currencies[source.id]
        else:
            continue  # nothing planned to compare with
        if len(found) != 1 or sums[source.id] <= planned:
            continue
        currency = next(iter(found))
        yield Finding(
            path=path,
            values={
                "source": source.id,
                "planned": Money(planned, currency),
                "spent": Money(sums[source.id], currency),
                "excess": Money(_EXACT.subtract(sums[source.id], planned), currency),
            },
        )


# --- EGP3xx objectives and targets -------------------------------------------------------


def _target_values(path: str, target: Target) -> Iterator[tuple[str, Decimal]]:
    if target.value is not None:
        yield f"{path}.value", target.value
    if target.upper is not None:
        yield f"{path}.upper", target.upper
    for j, entry in enumerate(target.by_level):
        yield f"{path}.by_level[{j}].value", entry.value
        if entry.upper is not None:
            yield f"{path}.by_level[{j}].upper", entry.upper
    if target.baseline is not None:
        yield f"{path}.baseline.value", target.baseline.value


def check_percent_range(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP301: percent targets (value, upper bound, per-level values, baseline) are 0–100."""
    for path, target in _targets(context):
        if target.unit in PERCENT_UNITS:
            for where, value in _target_values(path, target):
                if not 0 <= value <= _HUNDRED:
                    yield Finding(path=where, values={"value": value})


def check_rank_values(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP306: rank targets (value, upper bound, per-level values, baseline) are ranks."""
    for path, target in _targets(context):
        if target.unit == RANK:
            for where, value in _target_values(path, target):
                if value < 1 or value != value.to_integral_value(context=_EXACT):
                    yield Finding(path=where, values={"value": value})


def _bounds(path: str, target: Target) -> Iterator[tuple[str, Comparator, Decimal | None, Any]]:
    """``(path, comparator, value, upper)`` of a target and of each of its per-level entries.

    A per-level target without a value of its own is checked through its entries only.
    """
    if target.value is not None or not target.by_level:
        yield path, target.comparator, target.value, target.upper
    for j, entry in enumerate(target.by_level):
        upper = target.upper_at(entry) if target.value is None else entry.upper
        yield f"{path}.by_level[{j}]", target.comparator_at(entry), entry.value, upper


def check_range_bounds(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP302: a range target has both bounds, in order; only a range has an upper bound.

    A per-level entry is checked with its own comparator and bounds (or the target's).
    """
    for path, target in _targets(context):
        if not target.kind.is_quantitative:
            continue  # EGP307 reports numbers on a qualitative target
        for here, comparator, value, upper in _bounds(path, target):
            between = comparator is Comparator.BETWEEN
            if between and (value is None or upper is None):
                where = f"{here}.value" if value is None else f"{here}.upper"
                yield Finding(
                    path=where, values={"value": value, "upper": upper}, variant="missing"
                )
            elif between and value is not None and upper is not None and value > upper:
                yield Finding(path=f"{here}.upper", values={"value": value, "upper": upper})
            elif not between and upper is not None:
                yield Finding(
                    path=f"{here}.upper",
                    values={"upper": upper, "comparator": comparator},
                    variant="unused",
                )


def check_target_unit(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP303: every quantitative target says its unit.

    A qualitative target or a milestone has none, and that is correct.
    """
    for path, target in _targets(context):
        if not target.kind.is_quantitative:
            continue
        if not isinstance(target.unit, str) or not target.unit.strip():
            yield Finding(path=f"{path}.unit", values={"measure": target.measure})


def check_breakdown(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP304: a stated breakdown adds up to its total."""
    for path, target in _targets(context):
        if target.parts and target.value is not None:
            found = _sum(part.value for part in target.parts)
            if found != target.value:
                yield Finding(
                    path=f"{path}.parts",
                    values={
                        "total": target.value,
                        "sum": found,
                        "parts": tuple(f"{part.label} {part.value}" for part in target.parts),
                    },
                )


def check_listed_count(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP305: the number of listed items meets the stated count (=, >=, <=, a range...)."""
    for path, target in _targets(context):
        value, comparator = target.value, target.comparator
        if not target.items or value is None:
            continue
        if comparator is Comparator.BETWEEN and target.upper is None:
            continue  # EGP302 reports it
        listed = len(target.items)
        if not comparator.holds(listed, value, target.upper):
            shown = f"{value}–{target.upper}" if comparator is Comparator.BETWEEN else value
            yield Finding(
                path=f"{path}.items",
                values={"comparator": comparator.symbol, "count": shown, "listed": listed},
            )


def check_qualitative_numbers(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP307: a qualitative target or a milestone states no number to meet."""
    for path, target in _targets(context):
        if target.kind.is_quantitative:
            continue
        stated = (
            ("value", target.value is not None),
            ("upper", target.upper is not None),
            ("by_level", bool(target.by_level)),
            ("parts", bool(target.parts)),
        )
        for name, given in stated:
            if given:
                kind = target.kind.label(context.locale, context.catalogues)
                yield Finding(path=f"{path}.{name}", values={"id": target.id, "kind": kind})
                break


def check_qualifier_groups(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP308: a target has at most one qualifier of each group (one commitment, …)."""
    qualifiers = context.catalogues["target_qualifiers"]
    for path, target in _targets(context):
        if len(target.qualifiers) < 2:
            continue
        seen: dict[object, str] = {}
        for code in target.qualifiers:
            kind = qualifiers.get(code)
            group = None if kind is None else kind.get("group")
            if group is None:
                continue  # EGP105 reports an unknown code
            if group in seen:
                yield Finding(
                    path=f"{path}.qualifiers",
                    values={"first": seen[group], "second": code, "group": group},
                )
            else:
                seen[group] = code


def check_repeated_levels(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP309: a per-level target states each level (and what it counts there) once."""
    for path, target in _targets(context):
        seen: set[tuple[str, str | None]] = set()
        for j, entry in enumerate(target.by_level):
            key = (entry.level, entry.counts)
            if key in seen:
                yield Finding(
                    path=f"{path}.by_level[{j}].level",
                    values={"level": entry.level, "counts": entry.counts or "—"},
                )
            seen.add(key)


def check_contributions(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP310: a contribution names a target of its plan, when that plan is loaded.

    A contribution to this plan is checked always; one to another plan when that plan is
    validated alongside (``validate(plans=...)``, :func:`~egovplan.validation.validate_together`).
    """
    for path, target in _targets(context):
        for j, ref in enumerate(target.contributes_to):
            other = plan if ref.plan == plan.id else context.plans.get(ref.plan)
            if other is None:
                continue  # that plan is not loaded: nothing to check against
            if ref.plan == plan.id and ref.target == target.id:
                yield Finding(
                    path=f"{path}.contributes_to[{j}]",
                    values={"plan": ref.plan, "target": ref.target},
                    variant="itself",
                )
            elif ref.target not in other.index.targets:
                yield Finding(
                    path=f"{path}.contributes_to[{j}].target",
                    values={"plan": ref.plan, "target": ref.target},
                )


# --- EGP4xx tasks ------------------------------------------------------------------------


def _leads(plan: Plan, context: Context) -> Iterator[tuple[int, tuple[str, ...], tuple[str, ...]]]:
    """``(task position, leading agencies, sole leads)``: every task, or (shared) the odd ones."""
    tasks = _tasks(context)
    if tasks is not None:
        yield from tasks.leads
        return
    leading, sole = _lead_roles(context)
    collective = _collective(plan)
    for i, task in enumerate(plan.tasks):
        yield i, *_task_leads(task, leading, sole, collective)


def check_has_lead(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP401: every task has a leading agency (``lead``, ``implement``, …: ``leads``)."""
    for i, leads, _ in _leads(plan, context):
        if not leads:
            yield Finding(path=f"tasks[{i}].assignments", values={"task": plan.tasks[i].id})


def check_single_lead(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP402: a task has no more than one lead agency that is not collective."""
    for i, _, joint in _leads(plan, context):
        if len(joint) > 1:
            yield Finding(
                path=f"tasks[{i}].assignments", values={"task": plan.tasks[i].id, "leads": joint}
            )


# --- EGP5xx periods and schedule ---------------------------------------------------------


def _periods(plan: Plan) -> Iterator[tuple[str, Period]]:
    """Every period a plan states, with its path, in document order."""
    yield "period", plan.period
    for i, task in enumerate(plan.tasks):
        if task.schedule is not None and task.schedule.period is not None:
            yield f"tasks[{i}].schedule.period", task.schedule.period
    for i, flow in enumerate(plan.flows):
        if flow.period is not None:
            yield f"flows[{i}].period", flow.period
    for i, observation in enumerate(plan.observations):
        yield f"observations[{i}].period", observation.period
    for i, stated in enumerate(plan.stated_ranks):
        yield f"stated_ranks[{i}].period", stated.period
        if stated.compared_to is not None:
            yield f"stated_ranks[{i}].compared_to", stated.compared_to


def check_period_order(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP501: no period of the plan ends before it starts."""
    for path, period in _periods(plan):
        if period.is_reversed:
            start, end = (
                (period.start, period.end)
                if not period.is_exact
                else (period.first_day.isoformat(), period.last_day.isoformat())
            )
            yield Finding(path=path, values={"start": start, "end": end})


def check_horizon(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP502: the orientation horizon lies after the period."""
    if plan.horizon is not None and plan.horizon <= plan.period.end.year:
        yield Finding(path="horizon", values={"horizon": plan.horizon, "end": plan.period.end.year})


def check_line_years(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP503: budget lines' years lie inside the plan's period."""
    first, last = plan.period.start.year, plan.period.end.year
    shared = _lines(context)
    lines = plan.funding.lines
    for i in range(len(lines)) if shared is None else shared.outside:
        year = lines[i].year
        if year is not None and not first <= year <= last:
            yield Finding(
                path=f"funding.lines[{i}].year",
                values={"year": year, "first": first, "last": last},
            )


def check_line_periods(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP211: a budget line's period lies in its year (if it gives one) and in the plan's."""
    from egovplan.period import Period

    shared = _lines(context)
    lines = plan.funding.lines
    for i in range(len(lines)) if shared is None else shared.periods:
        line = lines[i]
        period = line.period
        if period is None:
            continue
        if line.year is not None and not Period.year(line.year).contains(period):
            within = Period.year(line.year)
        elif not plan.period.contains(period):
            within = plan.period
        else:
            continue
        yield Finding(
            path=f"funding.lines[{i}].period",
            values={"period": str(period), "within": str(within)},
        )


def check_deadlines(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP504: target deadlines lie inside the period or up to the orientation horizon."""
    first = plan.period.start.year
    last = max(plan.period.end.year, plan.horizon or 0)
    for path, target in _targets(context):
        deadline = target.deadline
        if deadline is not None and not first <= deadline.year <= last:
            yield Finding(
                path=f"{path}.deadline",
                values={"deadline": deadline, "first": first, "last": last},
            )


def _schedules(plan: Plan) -> Iterator[tuple[str, Schedule]]:
    """Every task schedule, with its path."""
    for i, task in enumerate(plan.tasks):
        if task.schedule is not None:
            yield f"tasks[{i}].schedule", task.schedule


def check_schedule_times(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP505: a schedule's start and deadline overlap the plan's period."""
    period = plan.period
    if period.is_reversed:
        return  # EGP501
    first, last = period.first_day, period.last_day
    for path, schedule in _schedules(plan):
        for name in ("start", "deadline"):
            when: When | None = getattr(schedule, name)
            if when is not None and (when.last_day < first or when.first_day > last):
                yield Finding(path=f"{path}.{name}", values={"when": when, "period": period})


def check_schedule_order(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP506: a schedule does not start after its deadline or after its period ends."""
    for path, schedule in _schedules(plan):
        start = schedule.start
        if start is None:
            continue
        if schedule.deadline is not None and start.first_day > schedule.deadline.last_day:
            yield Finding(path=f"{path}.start", values={"start": start, "end": schedule.deadline})
        elif (
            schedule.period is not None
            and not schedule.period.is_reversed
            and start.first_day > schedule.period.last_day
        ):
            yield Finding(path=f"{path}.start", values={"start": start, "end": schedule.period})


def check_recurrence_interval(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP507: a recurrence's interval is a whole number from 1."""
    for path, schedule in _schedules(plan):
        recurrence = schedule.recurrence
        if recurrence is not None and recurrence.interval < 1:
            yield Finding(
                path=f"{path}.recurrence.interval", values={"interval": recurrence.interval}
            )


def check_recurrence_unit(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP508: a recurrence's unit is one of ``data/recurrence.toml``."""
    from egovplan.recurrence import recurrence_units

    units = recurrence_units()
    for path, schedule in _schedules(plan):
        recurrence = schedule.recurrence
        if recurrence is not None and recurrence.unit not in units:
            yield Finding(
                path=f"{path}.recurrence.unit", values={"unit": recurrence.unit, "known": units}
            )


def check_recurrence_span(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP509: a recurrence is shorter than the period it recurs in (else it happens once)."""
    for path, schedule in _schedules(plan):
        recurrence = schedule.recurrence
        if recurrence is None or recurrence.interval < 1:
            continue
        months = recurrence.months
        within = schedule.period or plan.period
        if months is None or within.is_reversed:
            continue
        first, last = within.first_day, within.last_day
        span = (last.year - first.year) * 12 + last.month - first.month + 1
        if months > span:
            yield Finding(
                path=f"{path}.recurrence", values={"recurrence": recurrence, "period": within}
            )


def check_start_is_no_deadline(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP510: a schedule's start is a time, not a deadline (``by``)."""
    for path, schedule in _schedules(plan):
        if schedule.start is not None and schedule.start.by:
            yield Finding(path=f"{path}.start", values={"start": schedule.start})


# --- EGP6xx reporting --------------------------------------------------------------------


def check_cadence(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP601: a reporting duty's cadences are in the cadences catalogue."""
    cadences = context.catalogues.cadences
    for i, duty in enumerate(plan.reporting):
        stated = [("cadence", duty.cadence)] if duty.cadence is not None else []
        stated += [(f"cadences[{j}]", code) for j, code in enumerate(duty.cadences)]
        for path, code in stated:
            if code not in cadences:
                yield Finding(
                    path=f"reporting[{i}].{path}",
                    values={"cadence": code, "known": cadences.codes},
                )


def check_has_reporter(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP602: a reporting duty names who reports (``reporter`` or ``reporters``)."""
    for i, duty in enumerate(plan.reporting):
        if duty.reporter is None and not duty.reporters:
            yield Finding(path=f"reporting[{i}].reporter", values={"duty": duty.id})


def check_has_recipient(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP603: a reporting duty names whom it reports to (``recipient`` or ``recipients``)."""
    for i, duty in enumerate(plan.reporting):
        if duty.recipient is None and not duty.recipients:
            yield Finding(path=f"reporting[{i}].recipient", values={"duty": duty.id})


# --- EGP8xx documents --------------------------------------------------------------------


def _documents(plan: Plan) -> Iterator[tuple[str, DocumentRef]]:
    """Every document reference of the plan, with its path, in document order."""
    metadata = plan.metadata
    for name in ("ref", "issued_with", "submission"):
        ref = getattr(metadata, name)
        if ref is not None:
            yield f"metadata.{name}", ref
    for name, refs in (("legal_bases", plan.legal_bases), ("implements", plan.implements)):
        for i, ref in enumerate(refs):
            yield f"{name}[{i}]", ref
    for i, citation in enumerate(plan.citations):
        yield f"citations[{i}].document", citation.document


def _named(ref: DocumentRef) -> str:
    return str(ref) or ref.citation()


def _signed(plan: Plan) -> dt.date | None:
    """The date the document was signed: its issuing document's, else its own."""
    metadata = plan.metadata
    issued = metadata.issued_with
    if issued is not None and issued.date is not None:
        return issued.date
    return metadata.date


def check_attached_dates(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP801: an attached plan bears the date of the document that issues it."""
    metadata = plan.metadata
    issued = metadata.issued_with
    if issued is None or issued.date is None or metadata.date is None:
        return
    if issued.date != metadata.date:
        yield Finding(
            path="metadata.issued_with.date",
            values={"document": _named(issued), "date": issued.date, "plan_date": metadata.date},
        )


def check_submission_date(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP802: the submission a decision answers is dated no later than the decision."""
    submission = plan.metadata.submission
    signed = _signed(plan)
    if submission is None or submission.date is None or signed is None:
        return
    if submission.date > signed:
        yield Finding(
            path="metadata.submission.date",
            values={"submission": _named(submission), "date": submission.date, "signed": signed},
        )


def check_entry_into_force(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP803: a document takes effect no earlier than it is signed."""
    entry = plan.metadata.entry_into_force
    if entry is None:
        return
    if entry.days_after_signing is not None and entry.days_after_signing < 0:
        yield Finding(
            path="metadata.entry_into_force.days_after_signing",
            values={"days": entry.days_after_signing},
            variant="days",
        )
    signed = _signed(plan)
    if entry.date is not None and signed is not None and entry.date < signed:
        yield Finding(
            path="metadata.entry_into_force.date", values={"date": entry.date, "signed": signed}
        )


def check_jurisdictions(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP804: a reference of another jurisdiction names one with a citation grammar."""
    from egovplan._citations import jurisdictions

    known = jurisdictions()
    for path, ref in _documents(plan):
        if ref.jurisdiction is not None and ref.jurisdiction not in known:
            yield Finding(
                path=f"{path}.jurisdiction",
                values={"jurisdiction": ref.jurisdiction, "known": tuple(sorted(known))},
            )


def check_citation_places(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP805: a document cited in the body says where it is cited."""
    for i, citation in enumerate(plan.citations):
        if (citation.at, citation.task, citation.objective, citation.annex) == (None,) * 4:
            yield Finding(path=f"citations[{i}].at", values={"document": _named(citation.document)})


# --- the registry ------------------------------------------------------------------------

_E, _W = Severity.ERROR, Severity.WARNING

#: Every built-in rule: code, severity, check. Texts come from ``data/messages``.
_RULES: Final[tuple[tuple[str, Severity, Check], ...]] = (
    ("EGP101", _E, check_unique_ids),
    ("EGP102", _W, check_case_folded_ids),
    ("EGP103", _E, check_references),
    ("EGP104", _E, check_parent_cycles),
    ("EGP105", _W, check_known_kinds),
    ("EGP106", _E, check_lookalike_ids),
    ("EGP107", _E, check_invisible_in_ids),
    ("EGP108", _W, check_mixed_scripts_in_ids),
    ("EGP201", _E, check_total),
    ("EGP202", _E, check_words),
    ("EGP203", _W, check_words_readable),
    ("EGP204", _E, check_shares_sum),
    ("EGP205", _E, check_share_amounts),
    ("EGP206", _E, check_negative_amounts),
    ("EGP207", _E, check_lines_within_sources),
    ("EGP208", _E, check_one_currency),
    ("EGP209", _E, check_spending_rules),
    ("EGP210", _E, check_funding_percents),
    ("EGP211", _E, check_line_periods),
    ("EGP212", _E, check_spending_ceilings),
    ("EGP213", _E, check_spending_exact),
    ("EGP214", _E, check_rule_comparators),
    ("EGP215", _E, check_exchange_rates),
    ("EGP225", _W, check_flow_periods),
    ("EGP226", _E, check_flow_dates),
    ("EGP227", _E, check_flow_currency),
    ("EGP228", _W, check_flow_spending),
    ("EGP301", _E, check_percent_range),
    ("EGP302", _E, check_range_bounds),
    ("EGP303", _E, check_target_unit),
    ("EGP304", _E, check_breakdown),
    ("EGP305", _E, check_listed_count),
    ("EGP306", _E, check_rank_values),
    ("EGP307", _W, check_qualitative_numbers),
    ("EGP308", _W, check_qualifier_groups),
    ("EGP309", _E, check_repeated_levels),
    ("EGP310", _E, check_contributions),
    ("EGP401", _E, check_has_lead),
    ("EGP402", _W, check_single_lead),
    ("EGP501", _E, check_period_order),
    ("EGP502", _E, check_horizon),
    ("EGP503", _E, check_line_years),
    ("EGP504", _E, check_deadlines),
    ("EGP505", _E, check_schedule_times),
    ("EGP506", _E, check_schedule_order),
    ("EGP507", _E, check_recurrence_interval),
    ("EGP508", _W, check_recurrence_unit),
    ("EGP509", _W, check_recurrence_span),
    ("EGP510", _W, check_start_is_no_deadline),
    ("EGP601", _E, check_cadence),
    ("EGP602", _E, check_has_reporter),
    ("EGP603", _E, check_has_recipient),
    ("EGP801", _W, check_attached_dates),
    ("EGP802", _E, check_submission_date),
    ("EGP803", _E, check_entry_into_force),
    ("EGP804", _W, check_jurisdictions),
    ("EGP805", _W, check_citation_places),
)

#: The built-in rulesets besides ``default`` (which holds every built-in rule).
BUILTIN_RULESETS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    (
        "structure",
        (
            "EGP101",
            "EGP102",
            "EGP103",
            "EGP104",
            "EGP105",
            "EGP106",
            "EGP107",
            "EGP108",
            "EGP501",
            "EGP502",
            "EGP503",
            "EGP504",
            "EGP505",
            "EGP506",
        ),
    ),
    ("references", ("EGP101", "EGP103", "EGP104", "EGP310")),
    (
        "funding",
        (
            "EGP201",
            "EGP202",
            "EGP203",
            "EGP204",
            "EGP205",
            "EGP206",
            "EGP207",
            "EGP208",
            "EGP209",
            "EGP210",
            "EGP211",
            "EGP212",
            "EGP213",
            "EGP214",
            "EGP215",
            "EGP225",
            "EGP226",
            "EGP227",
            "EGP228",
            "EGP503",
        ),
    ),
    ("flows", ("EGP225", "EGP226", "EGP227", "EGP228")),
    (
        "targets",
        (
            "EGP301",
            "EGP302",
            "EGP303",
            "EGP304",
            "EGP305",
            "EGP306",
            "EGP307",
            "EGP308",
            "EGP309",
            "EGP310",
            "EGP502",
            "EGP504",
        ),
    ),
    ("tasks", ("EGP401", "EGP402", "EGP505", "EGP506", "EGP507", "EGP508", "EGP509", "EGP510")),
    ("reporting", ("EGP601", "EGP602", "EGP603")),
    ("documents", ("EGP801", "EGP802", "EGP803", "EGP804", "EGP805")),
)


def builtin_rules() -> tuple[Rule, ...]:
    """Every built-in rule, with its shipped texts, in code order."""
    return tuple(
        Rule(code=code, severity=severity, check=check, texts=shipped_texts(code))
        for code, severity, check in _RULES
    )


def flow_rules() -> tuple[Rule, ...]:
    """The validation rules about flows (built-in rules, also re-exported by ``egovplan.flows``).

    - ``EGP225`` (warning): a flow's year, day or period lies in the plan's period;
    - ``EGP226`` (error): a flow's year, day and period agree with each other;
    - ``EGP227`` (error): every flow is in the currency of the plan's funding;
    - ``EGP228`` (warning): the money spent from a source (flows of the kinds that count
      as spent) is not more than the source plans (its amount, else its budget lines).

    Unknown references of flows are EGP103's, unknown kinds EGP105's, repeated ids
    EGP101's, as for every other part of a plan.

    >>> [rule.code for rule in flow_rules()]
    ['EGP225', 'EGP226', 'EGP227', 'EGP228']
    """
    codes = {"EGP225", "EGP226", "EGP227", "EGP228"}
    return tuple(rule for rule in builtin_rules() if rule.code in codes)


def build_registry() -> RuleRegistry:
    """A new registry of the built-in rules and rulesets.

    :func:`egovplan.validation.default_registry` builds it once and caches it; use that.
    """
    from egovplan.ranks import rank_rules

    rules = (*builtin_rules(), *rank_rules())
    rulesets = [Ruleset(name="default", codes=[rule.code for rule in rules])]
    rulesets.append(Ruleset(name="ranks", codes=[rule.code for rule in rank_rules()]))
    rulesets += [Ruleset(name=name, codes=codes) for name, codes in BUILTIN_RULESETS]
    return RuleRegistry(rules, rulesets)
