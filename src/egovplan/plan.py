"""The plan: the root of the model, with lookups by id and validation.

A :class:`Plan` holds everything a plan document states. Other objects refer to each
other by id; the plan resolves an id in O(1) (:meth:`Plan.agency`, :meth:`Plan.task`…)
through an index built on first use and kept with the plan.

>>> from egovplan.agency import Agency
>>> from egovplan.document import PlanMetadata
>>> from egovplan.labels import Labels
>>> from egovplan.period import Period
>>> plan = Plan(
...     id="lao-cai-2018",
...     metadata=PlanMetadata(kind="plan", title="ICT-Index improvement plan 2018"),
...     period=Period.year(2018),
...     agencies=(Agency(id="stttt", names=Labels(vi="Sở Thông tin và Truyền thông"),
...                      kind="department"),),
... )
>>> plan.agency("stttt").kind
'department'
>>> plan.agency("sttt")
Traceback (most recent call last):
...
egovplan.errors.UnknownReferenceError: plan 'lao-cai-2018' has no agency 'sttt'; did you mean ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar, overload

import attrs

from egovplan import _fields as f
from egovplan.agency import Agency, Level
from egovplan.document import Citation, DocumentRef, PlanMetadata
from egovplan.errors import UnknownReferenceError
from egovplan.flows import Flow
from egovplan.funding import BudgetLine, Funding, FundingSource, SpendingRule
from egovplan.indicator import Indicator, Observation, StatedRank
from egovplan.labels import Labels
from egovplan.objective import Objective, Target
from egovplan.period import Period
from egovplan.reporting import ReportingDuty
from egovplan.task import Task

if TYPE_CHECKING:
    from egovplan.breakdowns import Basis, Breakdown, Dimension, Pivot
    from egovplan.catalog import Catalogues
    from egovplan.validation import Report, RuleRegistry, Selection

__all__ = ["Annex", "Plan", "PlanIndex", "Section"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Section:
    """A free-text part of the plan, where the document is prose.

    >>> Section(title="Mục đích", text="Phân tích những kết quả đạt được…").title
    'Mục đích'
    """

    title: str = attrs.field(validator=f.text)
    text: str = attrs.field(validator=f.text)


@attrs.frozen(kw_only=True)
class Annex:
    """An annex (*phụ lục*) of the plan: a named part that targets, tasks and citations
    can point to by id.

    Attributes:
        id: unique among the plan's annexes (``"annex-1"``).
        label: the annex as the document names it ("Phụ lục 1", "Phụ lục I").
        title: its title, as text or text per language.
        text: its text, where the annex is prose (a list of items, a table as text).

    >>> Annex(id="annex-1", label="Phụ lục 1", title="Danh mục cơ sở dữ liệu").label
    'Phụ lục 1'
    """  # noqa: D205

    id: str = attrs.field(validator=f.check_id)
    label: str | None = attrs.field(default=None, validator=f.optional_text)
    title: str | Labels = attrs.field(default="", validator=f.text_or_labels)
    text: str | None = attrs.field(default=None, validator=f.optional_text)


def _first_by_id(items: Iterator[tuple[str, T]]) -> dict[str, T]:
    index: dict[str, T] = {}
    for key, item in items:
        index.setdefault(key, item)
    return index


@attrs.frozen(kw_only=True)
class PlanIndex:
    """Every referable object of a plan by id, and where nested ones sit.

    Built by :attr:`Plan.index` on first use. When an id is used twice, the index keeps
    the first object (validation reports the duplicate).

    Attributes:
        agencies: agencies by id.
        levels: administrative levels by id.
        objectives: objectives by id, nested ones included.
        objective_paths: the path of each objective (``objectives[0].children[1]``).
        targets: targets by id, from every objective and task.
        target_paths: the path of each target (``objectives[0].targets[2]``,
            ``tasks[3].targets[0]``).
        tasks: tasks by id.
        sources: funding sources by id.
        lines: budget lines by id.
        rules: spending rules by id.
        indicators: indicators by id.
        reporting: reporting duties by id.
        annexes: annexes by id.
    """

    agencies: Mapping[str, Agency]
    levels: Mapping[str, Level]
    objectives: Mapping[str, Objective]
    objective_paths: Mapping[str, str]
    targets: Mapping[str, Target]
    target_paths: Mapping[str, str]
    tasks: Mapping[str, Task]
    sources: Mapping[str, FundingSource]
    lines: Mapping[str, BudgetLine]
    rules: Mapping[str, SpendingRule]
    indicators: Mapping[str, Indicator]
    reporting: Mapping[str, ReportingDuty]
    annexes: Mapping[str, Annex]

    @classmethod
    def of(cls, plan: Plan) -> PlanIndex:
        """Index ``plan`` (O(size of the plan))."""
        objective_paths: dict[str, str] = {}
        objectives: dict[str, Objective] = {}
        for path, objective in plan.walk_objectives():
            if objective.id not in objectives:
                objectives[objective.id] = objective
                objective_paths[objective.id] = path
        targets: dict[str, Target] = {}
        target_paths: dict[str, str] = {}
        for path, target in plan.walk_targets():
            if target.id not in targets:
                targets[target.id] = target
                target_paths[target.id] = path
        funding = plan.funding
        return cls(
            agencies=_first_by_id((a.id, a) for a in plan.agencies),
            levels=_first_by_id((lvl.id, lvl) for lvl in plan.levels),
            objectives=objectives,
            objective_paths=objective_paths,
            targets=targets,
            target_paths=target_paths,
            tasks=_first_by_id((t.id, t) for t in plan.tasks),
            sources=_first_by_id((s.id, s) for s in funding.sources),
            lines=_first_by_id((line.id, line) for line in funding.lines),
            rules=_first_by_id((r.id, r) for r in funding.rules),
            indicators=_first_by_id((i.id, i) for i in plan.indicators),
            reporting=_first_by_id((r.id, r) for r in plan.reporting),
            annexes=_first_by_id((a.id, a) for a in plan.annexes),
        )


_metadata: Final = f.instance(PlanMetadata)
_period: Final = f.instance(Period)


@attrs.frozen(kw_only=True)
class Plan:
    """A public-sector ICT / e-government plan: the root of the model.

    Attributes:
        id: the plan's own id (``"quang-nam-2021-2025"``).
        metadata: what the document states about itself (kind, number, date, signatory).
        period: the plan period (``2021–2025``; one year for a yearly plan).
        horizon: the last year of the orientation horizon ("định hướng đến năm 2030").
        legal_bases: the documents it is based on (*Căn cứ …*).
        implements: the documents it implements or is issued with (the decision that
            approves it, the resolution it carries out).
        levels: the administrative levels the plan uses.
        agencies: the agencies it names.
        objectives: its objectives (nestable), with their targets.
        tasks: its tasks.
        funding: its money: total, sources, budget lines, spending rules.
        flows: the money that actually moved (commitments, disbursements, expenditure,
            returns), as finance reports record it: what planned against actual
            (:func:`egovplan.breakdowns.execution`) counts. A plan document states what it
            plans; its flows are added as the money moves, as observations are.
        reporting: its reporting duties.
        indicators: the indicators it refers to.
        observations: measured values of indicators (scores, ranks) it quotes.
        stated_ranks: what its prose says about ranks and rank changes ("tăng 05 bậc,
            từ thứ 12 lên thứ 7"), checked against ``observations`` by rule EGP701.
        sections: free-text parts.
        annexes: its annexes, as named parts (``Phụ lục 1``).
        citations: the documents its body cites (not its legal bases), with where.

    Constructing a plan checks the type of every field, not that the parts agree with
    each other: call :meth:`validate` for that.
    """

    id: str = attrs.field(validator=f.check_id)
    metadata: PlanMetadata = attrs.field(validator=_metadata)
    period: Period = attrs.field(validator=_period)
    horizon: int | None = attrs.field(default=None, validator=f.optional_year)
    legal_bases: tuple[DocumentRef, ...] = attrs.field(
        default=(), validator=f.tuple_of(DocumentRef)
    )
    implements: tuple[DocumentRef, ...] = attrs.field(default=(), validator=f.tuple_of(DocumentRef))
    levels: tuple[Level, ...] = attrs.field(default=(), validator=f.tuple_of(Level))
    agencies: tuple[Agency, ...] = attrs.field(default=(), validator=f.tuple_of(Agency))
    objectives: tuple[Objective, ...] = attrs.field(default=(), validator=f.tuple_of(Objective))
    tasks: tuple[Task, ...] = attrs.field(default=(), validator=f.tuple_of(Task))
    funding: Funding = attrs.field(factory=Funding, validator=f.instance(Funding))
    flows: tuple[Flow, ...] = attrs.field(default=(), validator=f.tuple_of(Flow))
    reporting: tuple[ReportingDuty, ...] = attrs.field(
        default=(), validator=f.tuple_of(ReportingDuty)
    )
    indicators: tuple[Indicator, ...] = attrs.field(default=(), validator=f.tuple_of(Indicator))
    observations: tuple[Observation, ...] = attrs.field(
        default=(), validator=f.tuple_of(Observation)
    )
    stated_ranks: tuple[StatedRank, ...] = attrs.field(default=(), validator=f.tuple_of(StatedRank))
    sections: tuple[Section, ...] = attrs.field(default=(), validator=f.tuple_of(Section))
    annexes: tuple[Annex, ...] = attrs.field(default=(), validator=f.tuple_of(Annex))
    citations: tuple[Citation, ...] = attrs.field(default=(), validator=f.tuple_of(Citation))
    _index: PlanIndex | None = attrs.field(
        init=False, default=None, eq=False, hash=False, repr=False
    )

    @property
    def index(self) -> PlanIndex:
        """Every referable object by id (built on first use, then kept)."""
        index = self._index
        if index is None:
            index = PlanIndex.of(self)
            object.__setattr__(self, "_index", index)
        return index

    def walk_objectives(self) -> Iterator[tuple[str, Objective]]:
        """Every objective, nested ones included, depth first, with its path.

        >>> from egovplan.document import PlanMetadata
        >>> from egovplan.objective import Objective
        >>> plan = Plan(id="p", metadata=PlanMetadata(kind="plan", title="P"),
        ...             period=Period.year(2018),
        ...             objectives=(Objective(id="a", children=(Objective(id="b"),)),))
        >>> [(path, o.id) for path, o in plan.walk_objectives()]
        [('objectives[0]', 'a'), ('objectives[0].children[0]', 'b')]
        """
        for position, objective in enumerate(self.objectives):
            yield from objective.walk(f"objectives[{position}]")

    def walk_targets(self) -> Iterator[tuple[str, Target]]:
        """Every target of every objective, then of every task, with its path.

        Paths are ``objectives[0].targets[1]`` and ``tasks[2].targets[0]``.
        """
        for position, objective in enumerate(self.objectives):
            yield from objective.walk_targets(f"objectives[{position}]")
        for position, task in enumerate(self.tasks):
            for index, target in enumerate(task.targets):
                yield f"tasks[{position}].targets[{index}]", target

    def _find(self, what: str, table: Mapping[str, T], id: str) -> T:
        try:
            return table[id]
        except (KeyError, TypeError):
            pass
        import difflib

        close = difflib.get_close_matches(str(id), list(table), n=3) if len(table) < 10_000 else []
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownReferenceError(f"plan {self.id!r} has no {what} {id!r}{hint}")

    def agency(self, id: str) -> Agency:
        """The agency with ``id``.

        Raises:
            UnknownReferenceError: no agency has that id.
        """
        return self._find("agency", self.index.agencies, id)

    def level(self, id: str) -> Level:
        """The administrative level with ``id``.

        Raises:
            UnknownReferenceError: the plan does not use that level.
        """
        return self._find("level", self.index.levels, id)

    def objective(self, id: str) -> Objective:
        """The objective with ``id``, nested ones included.

        Raises:
            UnknownReferenceError: no objective has that id.
        """
        return self._find("objective", self.index.objectives, id)

    def target(self, id: str) -> Target:
        """The target with ``id``, from any objective or task.

        Raises:
            UnknownReferenceError: no target has that id.
        """
        return self._find("target", self.index.targets, id)

    def task(self, id: str) -> Task:
        """The task with ``id``.

        Raises:
            UnknownReferenceError: no task has that id.
        """
        return self._find("task", self.index.tasks, id)

    def source(self, id: str) -> FundingSource:
        """The funding source with ``id``.

        Raises:
            UnknownReferenceError: no funding source has that id.
        """
        return self._find("funding source", self.index.sources, id)

    def budget_line(self, id: str) -> BudgetLine:
        """The budget line with ``id``.

        Raises:
            UnknownReferenceError: no budget line has that id.
        """
        return self._find("budget line", self.index.lines, id)

    def spending_rule(self, id: str) -> SpendingRule:
        """The spending rule with ``id``.

        Raises:
            UnknownReferenceError: no spending rule has that id.
        """
        return self._find("spending rule", self.index.rules, id)

    def indicator(self, id: str) -> Indicator:
        """The indicator with ``id``.

        Raises:
            UnknownReferenceError: no indicator has that id.
        """
        return self._find("indicator", self.index.indicators, id)

    def reporting_duty(self, id: str) -> ReportingDuty:
        """The reporting duty with ``id``.

        Raises:
            UnknownReferenceError: no reporting duty has that id.
        """
        return self._find("reporting duty", self.index.reporting, id)

    def annex(self, id: str) -> Annex:
        """The annex with ``id``.

        Raises:
            UnknownReferenceError: no annex has that id.
        """
        return self._find("annex", self.index.annexes, id)

    def validate(
        self,
        ruleset: Selection = "default",
        locale: str = "en",
        *,
        registry: RuleRegistry | None = None,
        catalogues: Catalogues | None = None,
        plans: Iterable[Plan] = (),
    ) -> Report:
        """Check the plan and report every problem found; never raises on a bad plan.

        Delegates to :func:`egovplan.validation.validate` (see there for the arguments;
        ``plans`` are the other plans loaded alongside, which contributions may name).

        Raises:
            UnknownRuleError: ``ruleset`` names an unknown ruleset or rule code.
        """
        from egovplan.validation import validate

        return validate(
            self,
            ruleset=ruleset,
            locale=locale,
            registry=registry,
            catalogues=catalogues,
            plans=plans,
        )

    @overload
    def breakdown(
        self,
        by: Dimension | str,
        by2: None = None,
        *,
        basis: Basis | str | None = None,
        locale: str | None = None,
        unit: str = "one",
        catalogues: Catalogues | None = None,
    ) -> Breakdown: ...
    @overload
    def breakdown(
        self,
        by: Dimension | str,
        by2: Dimension | str,
        *,
        basis: Basis | str | None = None,
        locale: str | None = None,
        unit: str = "one",
        catalogues: Catalogues | None = None,
    ) -> Pivot: ...
    def breakdown(
        self,
        by: Dimension | str,
        by2: Dimension | str | None = None,
        *,
        basis: Basis | str | None = None,
        locale: str | None = None,
        unit: str = "one",
        catalogues: Catalogues | None = None,
    ) -> Breakdown | Pivot:
        """The plan's funding broken down by one dimension, or by two as a pivot table.

        Delegates to :func:`egovplan.breakdowns.breakdown` (see there for ``by``, ``by2``
        and the keyword options ``basis``, ``locale``, ``unit``, ``catalogues``).

        >>> from egovplan import Funding, FundingSource, Labels, Money, PlanMetadata, Period
        >>> def source(id, kind, name, amount):
        ...     money = Money(amount, "VND")
        ...     return FundingSource(id=id, kind=kind, names=Labels(vi=name), amount=money)
        >>> plan = Plan(
        ...     id="qn",
        ...     metadata=PlanMetadata(kind="project", title="Chính quyền số"),
        ...     period=Period.years(2021, 2025),
        ...     funding=Funding(sources=(
        ...         source("central", "central_support", "Trung ương", 320),
        ...         source("private", "socialisation", "Xã hội hóa", 100),
        ...     )),
        ... )
        >>> [(row.key, str(row.amount), str(row.share)) for row in plan.breakdown("source").rows]
        [('central', '320 VND', '76.19'), ('private', '100 VND', '23.81')]
        """
        from egovplan.breakdowns import breakdown

        return breakdown(
            self, by, by2, basis=basis, locale=locale, unit=unit, catalogues=catalogues
        )

    def _repr_html_(self) -> str:
        """The plan as HTML tables, for Jupyter."""
        from egovplan.breakdowns import plan_html

        return plan_html(self)

    def _repr_markdown_(self) -> str:
        """The plan as Markdown tables, for Jupyter."""
        from egovplan.breakdowns import plan_markdown

        return plan_markdown(self)

    def __getstate__(self) -> dict[str, Any]:
        # The index is a cache: do not pickle it.
        return {a.name: getattr(self, a.name) for a in attrs.fields(Plan) if a.init}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_index", None)
