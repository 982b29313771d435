"""The built-in validation rules (codes ``EGPnnn``) and their rulesets.

Codes are stable and grouped by area:

- ``EGP000``: the engine itself (a rule that failed on a plan);
- ``EGP1xx``: identity and references (unique ids, references that resolve, agency
  parent cycles, kinds known in their catalogues);
- ``EGP2xx``: funding (totals, amounts in words, shares, budget lines, spending rules);
- ``EGP3xx``: objectives and targets (percent ranges, range bounds, units, breakdowns,
  counts);
- ``EGP4xx``: tasks and assignments (one lead per task);
- ``EGP5xx``: periods and schedule (period order, horizon, years and deadlines);
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
from egovplan.validation import (
    Check,
    Context,
    Finding,
    Rule,
    RuleRegistry,
    Ruleset,
    Severity,
    Term,
    builtin_texts,
)

if TYPE_CHECKING:
    from egovplan.money import Money
    from egovplan.objective import Objective, Target
    from egovplan.period import Period
    from egovplan.plan import Plan
    from egovplan.task import Task

__all__ = ["BUILTIN_RULESETS", "build_registry", "builtin_rules"]

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
    """Every target of every objective, with its path, in document order."""

    def build() -> tuple[tuple[str, Target], ...]:
        return tuple(
            (f"{path}.targets[{i}]", target)
            for path, objective in _objectives(context)
            for i, target in enumerate(objective.targets)
        )

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
            simple("reporting_duty", "reporting", plan.reporting),
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
            for level, _ in target.by_level:
                yield "level", level, (f"{path}.by_level.{level}", ())
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
            "reporting",
            "observations",
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
    if metadata.ref is not None and metadata.ref.kind is not None:
        yield "metadata.ref.kind", "document_kinds", metadata.ref.kind
    for name, refs in (("legal_bases", plan.legal_bases), ("implements", plan.implements)):
        for i, ref in enumerate(refs):
            if ref.kind is not None:
                yield f"{name}[{i}].kind", "document_kinds", ref.kind
    for i, source in enumerate(plan.funding.sources):
        if source.kind is not None:
            yield f"funding.sources[{i}].kind", "funding_source_kinds", source.kind
    has_levels = bool(plan.levels)
    for i, agency in enumerate(plan.agencies):
        yield f"agencies[{i}].kind", "agency_kinds", agency.kind
        if not has_levels and agency.level is not None:
            yield f"agencies[{i}].level", "levels", agency.level
    if not has_levels:
        for path, target in _targets(context):
            for level, _ in target.by_level:
                yield f"{path}.by_level.{level}", "levels", level
    for i, task in enumerate(plan.tasks if tasks else ()):
        for j, assignment in enumerate(task.assignments):
            yield f"tasks[{i}].assignments[{j}].role", "roles", assignment.role


def check_known_kinds(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP105: kinds, roles and levels are codes of their catalogues."""
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


def check_total(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP201: the declared total equals the sum of the sources, exactly.

    When some sources state no amount, the total also covers them: the stated amounts
    then only must not add up to more than the total.
    """
    funding = plan.funding
    total = funding.total
    stated = [source.amount for source in funding.sources if source.amount is not None]
    if total is None or not stated:
        return
    if any(amount.currency != total.currency for amount in stated):
        return  # EGP208 reports it
    found = _sum(amount.amount for amount in stated)
    partial = len(stated) < len(funding.sources)
    if (found > total.amount) if partial else (found != total.amount):
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
    known = [amount for amount in amounts if amount is not None]
    currency = known[0].currency
    if any(amount.currency != currency for amount in known):
        return
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
    """Source position -> the sum of its budget lines in the source's currency."""
    index = _ids(context, "source")
    sources = context.plan.funding.sources
    sums: dict[int, Decimal] = {}
    add = _EXACT.add
    for line in context.plan.funding.lines:
        position = index.get(line.source)
        if position is None:
            continue  # EGP103 reports it
        stated = sources[position].amount
        if stated is None or line.amount.currency != stated.currency:
            continue  # EGP208 reports it; a source without an amount bounds nothing
        sums[position] = add(sums.get(position, Decimal(0)), line.amount.amount)
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
    """EGP208: every amount of the funding is in one currency."""
    expected = _currency(plan)
    lines = _lines(context)
    for amount, where in _amounts(plan, None if lines is None else lines.foreign):
        if amount.currency != expected:
            yield Finding(
                path=_path(where), values={"currency": amount.currency, "expected": expected}
            )


def check_spending_rules(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP209: an amount stated with a minimum share of a base is at least that share."""
    for i, rule in enumerate(plan.funding.rules):
        base, amount = rule.base, rule.amount
        if base is None or amount is None or base.currency != amount.currency:
            continue
        minimum = _EXACT.divide(_EXACT.multiply(base.amount, rule.minimum_percent), _HUNDRED)
        if amount.amount < minimum:
            from egovplan.money import Money

            percent = (
                _EXACT.divide(_EXACT.multiply(amount.amount, _HUNDRED), base.amount)
                if base.amount
                else Decimal(0)
            )
            yield Finding(
                path=f"funding.rules[{i}].amount",
                values={
                    "amount": amount,
                    "base": base,
                    "minimum_percent": rule.minimum_percent,
                    "minimum": Money(minimum, base.currency),
                    "percent": percent.quantize(Decimal("0.01"), context=_EXACT),
                },
            )


def check_funding_percents(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP210: stated shares and spending rules' minimum percents lie in 0..100."""
    funding = plan.funding
    for key, value in funding.stated_shares:
        if not 0 <= value <= _HUNDRED:
            yield Finding(path=f"funding.stated_shares.{key}", values={"value": value})
    for i, rule in enumerate(funding.rules):
        if not 0 <= rule.minimum_percent <= _HUNDRED:
            yield Finding(
                path=f"funding.rules[{i}].minimum_percent", values={"value": rule.minimum_percent}
            )


# --- EGP3xx objectives and targets -------------------------------------------------------


def _target_values(path: str, target: Target) -> Iterator[tuple[str, Decimal]]:
    if target.value is not None:
        yield f"{path}.value", target.value
    if target.upper is not None:
        yield f"{path}.upper", target.upper
    for level, value in target.by_level:
        yield f"{path}.by_level.{level}", value
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


def check_range_bounds(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP302: a range target has both bounds, in order; only a range has an upper bound."""
    for path, target in _targets(context):
        between = target.comparator is Comparator.BETWEEN
        value, upper = target.value, target.upper
        if between and (value is None or upper is None):
            where = f"{path}.value" if value is None else f"{path}.upper"
            yield Finding(path=where, values={"value": value, "upper": upper}, variant="missing")
        elif between and value is not None and upper is not None and value > upper:
            yield Finding(path=f"{path}.upper", values={"value": value, "upper": upper})
        elif not between and upper is not None:
            yield Finding(
                path=f"{path}.upper",
                values={"upper": upper, "comparator": target.comparator},
                variant="unused",
            )


def check_target_unit(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP303: every target says its unit."""
    for path, target in _targets(context):
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
    for i, observation in enumerate(plan.observations):
        yield f"observations[{i}].period", observation.period
    for i, stated in enumerate(plan.stated_ranks):
        yield f"stated_ranks[{i}].period", stated.period
        if stated.compared_to is not None:
            yield f"stated_ranks[{i}].compared_to", stated.compared_to


def check_period_order(plan: Plan, context: Context) -> Iterator[Finding]:
    """EGP501: no period of the plan ends before it starts."""
    for path, period in _periods(plan):
        if period.end < period.start:
            yield Finding(path=path, values={"start": period.start, "end": period.end})


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
        if deadline is not None and not first <= deadline <= last:
            yield Finding(
                path=f"{path}.deadline",
                values={"deadline": deadline, "first": first, "last": last},
            )


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
    ("EGP301", _E, check_percent_range),
    ("EGP302", _E, check_range_bounds),
    ("EGP303", _E, check_target_unit),
    ("EGP304", _E, check_breakdown),
    ("EGP305", _E, check_listed_count),
    ("EGP306", _E, check_rank_values),
    ("EGP401", _E, check_has_lead),
    ("EGP402", _W, check_single_lead),
    ("EGP501", _E, check_period_order),
    ("EGP502", _E, check_horizon),
    ("EGP503", _E, check_line_years),
    ("EGP504", _E, check_deadlines),
    ("EGP601", _E, check_cadence),
    ("EGP602", _E, check_has_reporter),
    ("EGP603", _E, check_has_recipient),
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
        ),
    ),
    ("references", ("EGP101", "EGP103", "EGP104")),
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
            "EGP503",
        ),
    ),
    (
        "targets",
        ("EGP301", "EGP302", "EGP303", "EGP304", "EGP305", "EGP306", "EGP502", "EGP504"),
    ),
    ("tasks", ("EGP401", "EGP402")),
    ("reporting", ("EGP601", "EGP602", "EGP603")),
)


def builtin_rules() -> tuple[Rule, ...]:
    """Every built-in rule, with its shipped texts, in code order."""
    return tuple(
        Rule(code=code, severity=severity, check=check, texts=builtin_texts(code))
        for code, severity, check in _RULES
    )


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
