"""IATI activity files: read them into plans, write plans as them.

`IATI <https://iatistandard.org>`_ is the standard donors publish aid activities in.
:func:`read` turns each ``iati-activity`` of an activity file (versions 2.01–2.03) into a
:class:`~egovplan.plan.Plan`; :func:`write` writes plans as an IATI 2.03 activity file.
Both validate against the IATI 2.03 XML Schema (the optional extra ``iati`` installs
``xmlschema``), and the XML is read safely: no document type declaration, so no entity is
expanded and nothing is fetched; size, depth and the number of elements are bounded by
:class:`~egovplan.files.Limits`.

Nothing is dropped silently: :func:`read_report` returns a :class:`ReadResult` whose
``not_carried`` lists, by XPath, every element and attribute that has no home in the plan
model (planned disbursements, sectors, narratives in other languages…),
and whose ``kept`` holds the activities' elements that were not carried over at all, which
:func:`write` puts back (``write(result.plans, path, kept=result.kept)``). The mapping is
data: ``egovplan/data/iati.toml`` (code lists and the element ↔ field table that
``docs/interop.md`` shows).

>>> from pathlib import Path
>>> import egovplan
>>> example = Path(egovplan.__file__).parent / "data" / "iati" / "example.xml"
>>> result = read_report(example)
>>> plan = result.plans[0]
>>> plan.id, str(plan.period), [str(line.amount) for line in plan.funding.lines]
('XM-EXAMPLE-1', '2021-2023', ['120000 USD', '-20000 USD'])
>>> for entry in result.not_carried:
...     print(entry)
/iati-activities/iati-activity/activity-status: no home in the plan model

Transactions are the plan's actual flows (:attr:`Plan.flows <egovplan.plan.Plan.flows>`),
of the kind the ``flow_kinds`` catalogue gives their transaction type; results are
objectives with targets due by the end of each period, and observations of what was
achieved:

>>> [(flow.kind, str(flow.date), str(flow.amount)) for flow in plan.flows]
[('disbursement', '2021-06-30', '50000 USD')]
>>> target = plan.objectives[0].targets[0]
>>> str(target.deadline), target.value, plan.observations[0].value
('2023', Decimal('80'), Decimal('65'))
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from egovplan import _iati_xml
from egovplan._data import data_text
from egovplan._decimal import in_own_context
from egovplan.errors import EgovplanError, LoadError, Problem
from egovplan.flows import Flow
from egovplan.labels import Labels
from egovplan.plan import Plan

if TYPE_CHECKING:
    from egovplan.files import Limits
    from egovplan.period import Period
    from egovplan.when import When

__all__ = [
    "IatiWriteError",
    "Kept",
    "NotCarried",
    "ReadResult",
    "dumps",
    "mapping_table",
    "read",
    "read_report",
    "reads_report",
    "write",
]

_LANG: Final = _iati_xml.LANG
#: The measure of the indicator written for an objective without targets (qualitative).
_PLACEHOLDER_MEASURE: Final = "5"
#: The IndicatorMeasure code of qualitative indicators (their targets are qualitative).
_QUALITATIVE_MEASURE: Final = "5"
_NO_HOME: Final = "no home in the plan model"


class IatiWriteError(EgovplanError, ValueError):
    """The plans cannot be written as a valid IATI activity file; the message names why."""


@functools.cache
def _data() -> dict[str, Any]:
    return tomllib.loads(data_text("iati.toml"))


@attrs.frozen(kw_only=True)
class NotCarried:
    """An element or attribute of an IATI file that no field of the plan holds.

    Attributes:
        activity: the ``iati-identifier`` of its activity (``""`` for the file's root).
        path: its XPath (``/iati-activities/iati-activity[2]/transaction[3]``); a path
            ending in ``/@name`` is an attribute.
        value: the attribute's value, or the element's text, if short.
        reason: why it was not carried over.
    """

    activity: str
    path: str
    value: str | None = None
    reason: str = attrs.field(default="no home in the plan model")

    def __str__(self) -> str:
        shown = "" if self.value is None else f" = {self.value!r}"
        return f"{self.path}{shown}: {self.reason}"


@attrs.frozen(kw_only=True)
class Kept:
    """The parts of one activity that were not carried over, kept for :func:`write`.

    Attributes:
        elements: each child element of ``iati-activity`` not carried over at all, as XML.
        attributes: the attributes of ``iati-activity`` not carried over.
        transactions: each flow read from a ``transaction``, with the transaction as XML:
            :func:`write` writes a flow that is still as read as its transaction was
            (with the parts no field holds), and a changed or new flow from its fields.
    """

    elements: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    transactions: tuple[tuple[Flow, str], ...] = ()


@attrs.frozen(kw_only=True)
class ReadResult:
    """What :func:`read_report` read: the plans, and what they do not hold.

    Attributes:
        plans: one plan per ``iati-activity``, in file order.
        not_carried: every element and attribute no field holds, in file order.
        kept: by plan id, the elements and attributes :func:`write` can put back.
    """

    plans: tuple[Plan, ...]
    not_carried: tuple[NotCarried, ...] = ()
    kept: Mapping[str, Kept] = attrs.field(factory=dict, hash=False)


# -- reading ------------------------------------------------------------------------------


def read(path: str | os.PathLike[str], *, limits: Limits | None = None) -> list[Plan]:
    """The plans of an IATI activity file, one per ``iati-activity``.

    See :func:`read_report` for what was not carried over.

    Raises:
        LoadError: the file cannot be read, is not safe or well-formed XML, or is not a
            valid IATI activity file; each problem names the element (its XPath) and line.
        MissingDependencyError: ``xmlschema`` is not installed (``egovplan[iati]``).
    """
    return list(read_report(path, limits=limits).plans)


def read_report(path: str | os.PathLike[str], *, limits: Limits | None = None) -> ReadResult:
    """Read an IATI activity file into plans, with what was not carried over.

    Args:
        path: the file (``.xml``).
        limits: :class:`egovplan.files.Limits` (the defaults when ``None``).

    Raises:
        LoadError: as :func:`read`.
    """
    from egovplan.files import Limits, read_bytes

    limits = Limits() if limits is None else limits
    return reads_report(read_bytes(Path(path), limits), source=str(path), limits=limits)


@in_own_context
def reads_report(
    data: bytes | str, *, source: str = "<text>", limits: Limits | None = None
) -> ReadResult:
    """:func:`read_report` of the text (or bytes) of an IATI activity file."""
    from egovplan.files import Limits

    limits = Limits() if limits is None else limits
    raw = data.encode("utf-8") if isinstance(data, str) else data
    document = _iati_xml.parse(raw, source, limits)
    root = document.root
    if root.tag == "iati-activities":
        version = root.get("version", "")
        if version.startswith("1."):
            raise LoadError.from_problems(
                source,
                [
                    Problem(
                        "/iati-activities/@version",
                        f"is IATI {version}; egovplan reads"
                        f" versions {', '.join(_data()['versions'])}",
                        line=1,
                    )
                ],
            )
    found = list(_iati_xml.problems(document))
    if found:
        raise LoadError.from_problems(source, found)
    parents = {child: parent for parent in root.iter() for child in parent}
    plans: list[Plan] = []
    not_carried: list[NotCarried] = []
    kept: dict[str, Kept] = {}
    for name, value in root.attrib.items():
        if name != "version":
            not_carried.append(
                NotCarried(activity="", path=f"/iati-activities/@{name}", value=value)
            )
    activities = [child for child in root if child.tag == "iati-activity"]
    for position, element in enumerate(activities, start=1):
        reader = _ActivityReader(element, position, parents, limits.max_digits)
        try:
            plan = reader.plan()
        except _Unreadable as error:
            path, message = error.args
            raise LoadError.from_problems(
                source, [Problem(path, message, line=document.line(error.element))]
            ) from None
        plans.append(plan)
        not_carried.extend(reader.leftovers())
        kept[plan.id] = reader.kept()
    return ReadResult(plans=tuple(plans), not_carried=tuple(not_carried), kept=kept)


class _Unreadable(EgovplanError):
    """An activity cannot be held by a plan at all (its dates lie outside the calendar)."""

    def __init__(self, path: str, message: str, element: ET.Element) -> None:
        super().__init__(path, message)
        self.element = element


def _written_digits(value: Decimal) -> int:
    """How many digits ``value`` has written out in full (``1E+3`` has 4)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(value.adjusted() + 1, 1) - min(exponent, 0)


def _language_tag(tag: str) -> str:
    """``tag`` as a plan's language: its first subtag in lower case.

    ``EN-GB`` gives ``en-GB``; a tag egovplan does not take (``x-klingon``) gives the
    default language.
    """
    from egovplan.document import PlanMetadata

    first, _, rest = tag.partition("-")
    candidate = first.lower() + (f"-{rest}" if rest else "")
    try:
        PlanMetadata(kind="plan", title="-", language=candidate)
    except EgovplanError:
        return str(_data()["default_language"])
    return candidate


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _coarsest(day: dt.date, *, ending: bool) -> When:
    """The coarsest time (a year, a quarter, a month, else the day) whose last day is
    ``day`` when ``ending``, else whose first day is.
    """  # noqa: D205
    from egovplan.period import Quarter
    from egovplan.when import When

    quarter = Quarter.containing(day)
    for when in (
        When(day.year),
        When(day.year, quarter=quarter.number),
        When(day.year, month=day.month),
    ):
        if (when.last_day if ending else when.first_day) == day:
            return when
    return When(day.year, month=day.month, day=day.day)


def _when_of(end: dt.date) -> When:
    """The coarsest time whose last day is ``end``: a year, a quarter, a month or the day."""
    return _coarsest(end, ending=True)


def _when_from(start: dt.date) -> When:
    """The coarsest time whose first day is ``start``: a year, a quarter, a month or the day."""
    return _coarsest(start, ending=False)


def _target_span(deadline: When, observed: Period | None) -> tuple[dt.date, dt.date]:
    """The ``period-start`` and ``period-end`` :func:`write` gives a target.

    The end is the deadline's last day; the start that of the observation paired with the
    target, else the deadline's first day.
    """
    first = observed.first_day if observed is not None else deadline.first_day
    return first, deadline.last_day


class _ActivityReader:
    """Maps one ``iati-activity`` onto a plan, noting every part it uses."""

    def __init__(
        self,
        element: ET.Element,
        position: int,
        parents: dict[ET.Element, ET.Element],
        max_digits: int,
    ) -> None:
        self.element = element
        self.max_digits = max_digits
        self.position = position
        self.parents = parents
        self.used: set[int] = set()
        self.used_attributes: set[tuple[int, str]] = set()
        self.reasons: dict[int, str] = {}
        #: The language narratives are matched in, as the file writes it ...
        self.language = element.get(_LANG) or _data()["default_language"]
        #: ... and as the plan's metadata holds it (``EN-gb`` is ``en-gb``).
        self.plan_language = _language_tag(self.language)
        self.identifier = ""
        self.extra: list[NotCarried] = []
        #: The planned start and end, when they are not the bounds of the plan's quarters.
        self.start: When | None = None
        self.end: When | None = None
        #: Each flow read, with its transaction as XML (for :class:`Kept`).
        self.transactions_read: list[tuple[Flow, str]] = []

    # -- bookkeeping

    def number(self, text: str | None, element: ET.Element) -> Decimal | None:
        """``text`` as a decimal a field can hold, or None (and the reason noted)."""
        value = _decimal(text)
        if value is None:
            return None
        if _written_digits(value) > self.max_digits:
            self.reasons[id(element)] = (
                f"a number of {_written_digits(value)} digits; the limit is {self.max_digits}"
                " (Limits.max_digits)"
            )
            return None
        if not value.is_zero() and not -1000 <= value.adjusted() <= 1000:
            self.reasons[id(element)] = "a number out of range (1E-1000..1E+1000)"
            return None
        return value

    def in_calendar(self, element: ET.Element, *days: dt.date) -> bool:
        """Whether every day lies in the years egovplan handles (else the reason is noted)."""
        from egovplan.period import MAX_YEAR, MIN_YEAR

        if all(MIN_YEAR <= day.year <= MAX_YEAR for day in days):
            return True
        self.reasons[id(element)] = f"a date outside the years {MIN_YEAR}..{MAX_YEAR}"
        return False

    def take(self, element: ET.Element, *attributes: str) -> ET.Element:
        self.used.add(id(element))
        for name in attributes:
            self.used_attributes.add((id(element), name))
        return element

    def attribute(self, element: ET.Element, name: str) -> str | None:
        value = element.get(name)
        if value is not None:
            self.used_attributes.add((id(element), name))
        return value

    def take_value(self, element: ET.Element, day: dt.date) -> None:
        """Take a ``<value>`` as read: its currency (or the activity's default, which it
        then used), and its value date when it is ``day``, the one the writer gives back.
        """  # noqa: D205
        self.take(element)
        if element.get("currency") is not None:
            self.attribute(element, "currency")
        else:
            self.used_attributes.add((id(self.element), "default-currency"))
        if _date(element.get("value-date")) == day:
            self.attribute(element, "value-date")

    def children(self, tag: str, parent: ET.Element | None = None) -> list[ET.Element]:
        return [child for child in (self.element if parent is None else parent) if child.tag == tag]

    def child(self, parent: ET.Element, tag: str) -> ET.Element | None:
        found = self.children(tag, parent)
        return found[0] if found else None

    def narratives(self, element: ET.Element | None, take: bool = True) -> dict[str, str]:
        """The narratives of ``element`` by language (the first of each), taken if ``take``."""
        texts: dict[str, str] = {}
        if element is None:
            return texts
        for narrative in self.children("narrative", element):
            text = (narrative.text or "").strip()
            language = narrative.get(_LANG) or self.language
            if text and language not in texts:
                texts[language] = text
                if take:
                    self.take(narrative, _LANG)
        if texts and take:
            self.take(element)
        return texts

    def text(self, element: ET.Element | None) -> str | Labels | None:
        """The narratives of ``element``: plain text when only the activity's language has
        one, else :class:`~egovplan.labels.Labels` by language (every narrative taken).
        """  # noqa: D205
        texts = self.narratives(element, take=False)
        if set(texts) - {self.language} and self.language in texts:
            self.narratives(element)
            return Labels(texts)
        return self.main_narrative(element)

    def main_narrative(self, element: ET.Element | None, take: bool = True) -> str | None:
        """The narrative of ``element`` in the activity's language, taken if ``take``."""
        if element is None:
            return None
        for narrative in self.children("narrative", element):
            if (narrative.get(_LANG) or self.language) == self.language:
                text = (narrative.text or "").strip()
                if text:
                    if take:
                        self.take(element)
                        self.take(narrative, _LANG)
                    return text
        return None

    # -- the plan

    def plan(self) -> Plan:
        from egovplan.document import PlanMetadata
        from egovplan.funding import Funding, FundingSource
        from egovplan.labels import Labels
        from egovplan.task import Schedule, Task

        activity = self.take(self.element)
        if self.plan_language == activity.get(_LANG):
            self.attribute(activity, _LANG)
        identifier = self.child(activity, "iati-identifier")
        text = (identifier.text or "").strip() if identifier is not None else ""
        self.identifier = text or f"activity-{self.position}"
        if identifier is not None:
            self.take(identifier)
            if not text:
                self.extra.append(
                    NotCarried(
                        activity=self.identifier,
                        path=self._path(identifier),
                        value="",
                        reason=f"empty: the plan's id is {self.identifier}",
                    )
                )
        title_element = self.child(activity, "title")
        title = self.text(title_element)
        if title is None:
            title = self.identifier
            if title_element is not None:  # it is written again, so it is not kept
                self.take(title_element)
                self.extra.append(
                    NotCarried(
                        activity=self.identifier,
                        path=self._path(title_element),
                        reason=f"no narrative in {self.language}: the plan's title is its id",
                    )
                )
        agencies, assignments, issuer = self.organisations()
        sections = self.descriptions()
        period = self.period()
        lines = self.budgets()
        objectives, indicators, targets_observations = self.results()
        flows = self.transactions(agencies, sourced=bool(lines))
        data = _data()
        tasks: tuple[Task, ...] = ()
        schedule = None
        if self.start is not None or self.end is not None:
            schedule = Schedule(start=self.start, deadline=self.end)
        if assignments or schedule is not None:
            tasks = (
                Task(
                    id=data["activity_task"],
                    title=title,
                    objectives=tuple(o.id for o in objectives),
                    schedule=schedule,
                    assignments=tuple(assignments),
                ),
            )
        sources: tuple[FundingSource, ...] = ()
        if lines:
            sources = (
                FundingSource(
                    id=data["budget_source"], names=Labels(en=data["budget_source_name"])
                ),
            )
        return Plan(
            id=self.identifier,
            metadata=PlanMetadata(
                kind=data["plan_kind"],
                title=title,
                issuing_body=issuer,
                language=self.plan_language,
            ),
            period=period,
            agencies=tuple(agencies),
            objectives=tuple(objectives),
            tasks=tasks,
            funding=Funding(sources=sources, lines=tuple(lines)),
            flows=tuple(flows),
            indicators=tuple(indicators),
            observations=targets_observations,
            sections=tuple(sections),
        )

    def organisations(self) -> tuple[list[Any], list[Any], str | None]:
        from egovplan.agency import Agency
        from egovplan.catalog import Catalogues
        from egovplan.labels import Labels
        from egovplan.task import Assignment

        data = _data()
        roles = Catalogues.default().roles
        agencies: dict[str, Agency] = {}
        assignments: list[Assignment] = []
        issuer: str | None = None
        elements = self.children("reporting-org") + self.children("participating-org")
        for number, element in enumerate(elements, start=1):
            self.take(element)
            ref = element.get("ref")
            if ref and ref == ref.strip():
                self.attribute(element, "ref")
                agency_id = ref
            else:
                agency_id = f"org-{number}"
            names = self.narratives(element, take=False)
            type_code = element.get("type")
            kind = data["org_types"].get(type_code, "other")
            if element.tag == "reporting-org" and names:
                issuer = next(iter(names.values()))
            known = agencies.get(agency_id)
            if known is None:
                known = agencies[agency_id] = Agency(id=agency_id, names=Labels(names), kind=kind)
            if dict(known.names) == names:  # else the names are reported
                self.narratives(element)
            if known.kind == kind and data["agency_kinds"].get(kind) == type_code:
                self.attribute(element, "type")
            if element.tag == "participating-org":
                code = element.get("role")
                role = data["roles"].get(code)
                kind_of_role = roles.get(role) if role else None
                if kind_of_role is not None and kind_of_role.get("iati_role") == code:
                    self.attribute(element, "role")
                    assignment = Assignment(agency=agency_id, role=role)
                    if assignment not in assignments:
                        assignments.append(assignment)
        return list(agencies.values()), assignments, issuer

    def descriptions(self) -> list[Any]:
        from egovplan.plan import Section

        titles = _data()["description_types"]
        sections: list[Section] = []
        elements = self.children("description")
        title_element = self.child(self.element, "title")
        if len(elements) == 1 and elements[0].get("type") == "1" and title_element is not None:
            narratives = list(elements[0])
            if [(n.tag, n.attrib, n.text) for n in narratives] == [
                (n.tag, n.attrib, n.text) for n in title_element
            ]:
                self.take(elements[0], "type")  # what write() gives a plan without sections
                for narrative in narratives:
                    self.take(narrative, _LANG)
                return sections
        for element in elements:
            code = element.get("type") or "1"
            text = self.main_narrative(element)
            if text is None or code not in titles:
                continue
            self.attribute(element, "type")
            sections.append(Section(title=titles[code], text=text))
        return sections

    def period(self) -> Any:
        from egovplan.period import Period, Quarter

        dates: dict[str, tuple[ET.Element, dt.date]] = {}
        every: list[dt.date] = []
        for element in self.children("activity-date"):
            day = _date(element.get("iso-date"))
            if day is None:
                continue
            every.append(day)
            dates.setdefault(element.get("type", ""), (element, day))
        start = dates.get("1") or dates.get("2")
        end = dates.get("3") or dates.get("4")
        first = start[1] if start else (min(every) if every else dt.date.today())
        last = end[1] if end else (max(every) if every else first)
        for chosen in (start, end):
            if chosen is not None and not self.in_calendar(*chosen):
                raise _Unreadable(self._path(chosen[0]), self.reasons[id(chosen[0])], chosen[0])
        if not self.in_calendar(self.element, first, last):
            raise _Unreadable(
                self._path(self.element),
                "its activity dates lie outside the years egovplan handles",
                self.element,
            )
        period = Period(Quarter.containing(first), Quarter.containing(last))
        for chosen, code, exact in (
            (start, "1", period.first_day),
            (end, "3", period.last_day),
        ):
            if chosen is None:
                continue
            element, day = chosen
            if element.get("type") != code:
                self.reasons[id(element)] = f"read as the plan period {period}"
                continue
            self.take(element, "type", "iso-date")
            if day == exact:
                continue
            # A planned start or end inside a quarter: the activity's task's schedule holds it.
            if code == "1":
                self.start = _when_from(day)
            else:
                self.end = _when_of(day)
        return period

    def budgets(self) -> list[Any]:
        from egovplan.errors import EgovplanError as Refused
        from egovplan.funding import BudgetLine
        from egovplan.money import Money
        from egovplan.period import Period

        data = _data()
        default_currency = self.element.get("default-currency")
        lines = []
        for number, element in enumerate(self.children("budget"), start=1):
            start_element = self.child(element, "period-start")
            end_element = self.child(element, "period-end")
            value_element = self.child(element, "value")
            if start_element is None or end_element is None or value_element is None:
                continue
            start = _date(start_element.get("iso-date"))
            end = _date(end_element.get("iso-date"))
            amount = self.number(value_element.text, element)
            currency = value_element.get("currency") or default_currency
            if start is None or end is None or amount is None or currency is None:
                continue
            if not self.in_calendar(element, start, end):
                continue
            try:
                money = Money(amount, currency)
            except (Refused, ValueError) as error:
                self.reasons[id(element)] = f"its value cannot be read: {error}"
                continue
            year = None
            period = None
            if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
                year = start.year
            else:
                period = Period.between(start, end)
            self.take(start_element, "iso-date")
            self.take(end_element, "iso-date")
            code = element.get("type")
            status = data["budget_types"].get(code) if code is not None else None
            if code is None or status is not None:
                self.attribute(element, "type")
            self.take_value(value_element, start)
            self.take(element)
            lines.append(
                BudgetLine(
                    id=f"budget-{number}",
                    source=data["budget_source"],
                    year=year,
                    period=period,
                    status=status,
                    amount=money,
                )
            )
        return lines

    def results(self) -> tuple[list[Any], list[Any], tuple[Any, ...]]:
        from egovplan.indicator import Indicator, Observation
        from egovplan.labels import Labels
        from egovplan.objective import Baseline, Comparator, Objective, Target
        from egovplan.period import Period, Quarter

        data = _data()
        objectives = []
        indicators = []
        observations = []
        for number, result in enumerate(self.children("result"), start=1):
            self.take(result)
            code = result.get("type")
            kind = data["result_types"].get(code, "specific")
            if data["objective_kinds"].get(kind) == code:
                self.attribute(result, "type")
            text = self.text(self.child(result, "title")) or ""
            objective_id = f"result-{number}"
            targets = []
            for m, element in enumerate(self.children("indicator", result), start=1):
                if self.placeholder(element, text):
                    continue
                self.take(element)
                indicator_id = f"{objective_id}-indicator-{m}"
                measure = element.get("measure")
                unit = data["measures"].get(measure, "count")
                if data["units"].get(unit) == measure:
                    self.attribute(element, "measure")
                ascending = element.get("ascending", "1") in ("1", "true")
                if element.get("ascending") in ("1", "0"):  # write() gives these back
                    self.attribute(element, "ascending")
                names = self.narratives(self.child(element, "title"))
                title = names.get(self.language) or next(iter(names.values()), indicator_id)
                indicators.append(
                    Indicator(
                        id=indicator_id,
                        names=Labels(names or {"en": indicator_id}),
                        unit=unit,
                        higher_is_better=ascending,
                    )
                )
                baseline = None
                for candidate in self.children("baseline", element):
                    value = self.number(candidate.get("value"), candidate)
                    year = candidate.get("year", "")
                    if value is not None and year.isdigit() and 1900 <= int(year) <= 2200:
                        source = self.main_narrative(self.child(candidate, "comment"))
                        baseline = Baseline(value=value, year=int(year), source=source)
                        self.take(candidate, "value", "year")
                        break
                    if value is not None:
                        self.reasons[id(candidate)] = "a year outside 1900..2200"
                qualitative = measure == _QUALITATIVE_MEASURE
                comparator = Comparator.GE if ascending else Comparator.LE
                for k, period_element in enumerate(self.children("period", element), start=1):
                    start_element = self.child(period_element, "period-start")
                    end_element = self.child(period_element, "period-end")
                    if start_element is None or end_element is None:
                        continue
                    start = _date(start_element.get("iso-date"))
                    end = _date(end_element.get("iso-date"))
                    if start is None or end is None:
                        continue
                    if not self.in_calendar(period_element, start, end):
                        continue
                    period = Period(Quarter.containing(start), Quarter.containing(end))
                    target_element = self.child(period_element, "target")
                    actual_element = self.child(period_element, "actual")
                    target_value = (
                        self.number(target_element.get("value"), target_element)
                        if target_element is not None
                        else None
                    )
                    comment = (
                        self.main_narrative(self.child(target_element, "comment"), take=False)
                        if target_element is not None
                        else None
                    )
                    actual_value = (
                        self.number(actual_element.get("value"), actual_element)
                        if actual_element is not None
                        else None
                    )
                    has_target = target_value is not None or (qualitative and comment is not None)
                    if not has_target and actual_value is None:
                        continue
                    self.take(period_element)
                    deadline = _when_of(end)
                    if has_target and target_element is not None:
                        self.take(target_element)
                        if target_value is not None:
                            self.attribute(target_element, "value")
                        if comment is not None:
                            self.main_narrative(self.child(target_element, "comment"))
                        targets.append(
                            Target(
                                id=f"{indicator_id}-period-{k}",
                                measure=title,
                                comparator=comparator,
                                value=target_value,
                                unit="" if qualitative else unit,
                                deadline=deadline,
                                baseline=baseline,
                                indicator=indicator_id,
                                kind="qualitative" if qualitative else "quantitative",
                                description=comment,
                            )
                        )
                        exact = (start, end) == _target_span(
                            deadline, period if actual_value is not None else None
                        )
                    else:
                        exact = start == period.first_day and end == period.last_day
                    if actual_value is not None and actual_element is not None:
                        self.take(actual_element, "value")
                        observations.append(
                            Observation(
                                indicator=indicator_id,
                                subject=self.identifier,
                                period=period,
                                value=actual_value,
                            )
                        )
                    if exact:
                        self.take(start_element, "iso-date")
                        self.take(end_element, "iso-date")
                if qualitative and any(t.indicator == indicator_id for t in targets):
                    self.attribute(element, "measure")
            objectives.append(
                Objective(id=objective_id, kind=kind, text=text, targets=tuple(targets))
            )
        return objectives, indicators, tuple(observations)

    def placeholder(self, element: ET.Element, title: str | Labels) -> bool:
        """Whether ``element`` is what :func:`write` gives an objective without targets.

        That is a qualitative indicator titled as its result, with nothing else; it is then
        taken.
        """
        if element.get("measure") != _PLACEHOLDER_MEASURE or len(element.attrib) != 1:
            return False
        children = list(element)
        if len(children) != 1 or children[0].tag != "title":
            return False
        narratives = list(children[0])
        written = ET.Element("title")
        _narrative(written, title, main=self.language)
        if [(n.attrib, n.text or "") for n in narratives] != [
            (n.attrib, n.text or "") for n in written
        ]:
            return False
        self.take(element, "measure")
        self.take(children[0])
        for narrative in narratives:
            self.take(narrative, _LANG)
        return True

    def transactions(self, agencies: list[Any], sourced: bool) -> list[Flow]:
        """The activity's transactions as flows (kind by the ``flow_kinds`` catalogue).

        A transaction whose type, date or value no flow can hold is not carried over (it
        is kept whole). The receiver organisation is the flow's agency (an agency of the
        plan, added if new); ``sourced``: the flows are paid from the activity budget's
        source.
        """
        from egovplan.agency import Agency
        from egovplan.errors import EgovplanError as Refused
        from egovplan.flows import kind_of_iati
        from egovplan.labels import Labels
        from egovplan.money import Money

        data = _data()
        default_currency = self.element.get("default-currency")
        known = {agency.id: agency for agency in agencies}
        flows: list[Flow] = []
        ids: set[str] = set()
        for number, element in enumerate(self.children("transaction"), start=1):
            kind_element = self.child(element, "transaction-type")
            date_element = self.child(element, "transaction-date")
            value_element = self.child(element, "value")
            if kind_element is None or date_element is None or value_element is None:
                continue
            code = kind_element.get("code", "")
            kind = kind_of_iati(code)
            if kind is None:
                self.reasons[id(element)] = (
                    f"transaction-type {code!r} is no kind of the flow_kinds catalogue"
                )
                continue
            day = _date(date_element.get("iso-date"))
            amount = self.number(value_element.text, element)
            currency = value_element.get("currency") or default_currency
            if day is None or amount is None or currency is None:
                continue
            if not self.in_calendar(element, day):
                continue
            try:
                money = Money(amount, currency)
            except (Refused, ValueError) as error:
                self.reasons[id(element)] = f"its value cannot be read: {error}"
                continue
            ref = element.get("ref")
            flow_id = ref if ref and ref == ref.strip() and ref not in ids else None
            if flow_id is None:
                flow_id = f"transaction-{number}"
                while flow_id in ids:
                    flow_id += "-1"
            description = self.main_narrative(self.child(element, "description"), take=False)
            agency_id = None
            receiver = self.child(element, "receiver-org")
            receiver_ref = receiver.get("ref") if receiver is not None else None
            if receiver is not None and receiver_ref and receiver_ref == receiver_ref.strip():
                agency_id = receiver_ref
                names = self.narratives(receiver, take=False)
                type_code = receiver.get("type")
                if agency_id not in known:
                    kind_of_agency = data["org_types"].get(type_code, "other")
                    agency = Agency(id=agency_id, names=Labels(names), kind=kind_of_agency)
                    known[agency_id] = agency
                    agencies.append(agency)
                self.take(receiver, "ref")
                agency = known[agency_id]
                if dict(agency.names) == names:
                    self.narratives(receiver)
                if data["agency_kinds"].get(agency.kind) == type_code:
                    self.attribute(receiver, "type")
            try:
                flow = Flow(
                    id=flow_id,
                    kind=kind,
                    source=data["budget_source"] if sourced else None,
                    date=day,
                    agency=agency_id,
                    description=description,
                    amount=money,
                )
            except Refused as error:  # pragma: no cover - every part was checked above
                self.reasons[id(element)] = f"it cannot be a flow: {error}"
                continue
            ids.add(flow_id)
            if flow_id == ref:
                self.attribute(element, "ref")
            if description is not None:
                self.main_narrative(self.child(element, "description"))
            self.take(element)
            self.take(kind_element, "code")
            self.take(date_element, "iso-date")
            self.take_value(value_element, day)
            flows.append(flow)
            copy = ET.fromstring(ET.tostring(element, encoding="unicode"))
            copy.tail = None
            self.transactions_read.append((flow, ET.tostring(copy, encoding="unicode")))
        return flows

    # -- what is left

    def _path(self, element: ET.Element) -> str:
        return _iati_xml.element_path(element, self.parents)

    def leftovers(self) -> Iterator[NotCarried]:
        """Every element and attribute of the activity not used, in document order."""
        # (a generator: self.extra is read when the walk starts, after plan())

        def walk(element: ET.Element) -> Iterator[NotCarried]:
            if id(element) not in self.used:
                text = (element.text or "").strip()
                yield NotCarried(
                    activity=self.identifier,
                    path=self._path(element),
                    value=text if text and len(text) <= 80 and len(element) == 0 else None,
                    reason=self.reasons.get(id(element))
                    or _data()["reasons"].get(str(element.tag), _NO_HOME),
                )
                return
            for name, value in element.attrib.items():
                if (id(element), name) not in self.used_attributes:
                    shown = "@xml:lang" if name == _LANG else f"@{name}"
                    yield NotCarried(
                        activity=self.identifier,
                        path=f"{self._path(element)}/{shown}",
                        value=value,
                    )
            for child in element:
                yield from walk(child)

        yield from self.extra
        yield from walk(self.element)

    def kept(self) -> Kept:
        elements = []
        for child in self.element:
            if id(child) not in self.used:
                copy = ET.fromstring(ET.tostring(child, encoding="unicode"))
                copy.tail = None
                elements.append(ET.tostring(copy, encoding="unicode"))
        attributes = tuple(
            (name, value)
            for name, value in self.element.attrib.items()
            if (id(self.element), name) not in self.used_attributes
        )
        return Kept(
            elements=tuple(elements),
            attributes=attributes,
            transactions=tuple(self.transactions_read),
        )


# -- writing ------------------------------------------------------------------------------


def _day(day: dt.date) -> str:
    return day.isoformat()


def _number(value: Decimal) -> str:
    return format(value, "f")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _narrative(
    parent: ET.Element, text: str | Labels, language: str | None = None, main: str = ""
) -> None:
    """``text`` as narratives of ``parent``: one, or one per language of a :class:`Labels`
    (that of ``main``, the activity's language, first and without ``xml:lang``).
    """  # noqa: D205
    if isinstance(text, Labels):
        if main in text:
            _sub(parent, "narrative", text[main])
        for locale, label in text.items():
            if locale != main:
                _narrative(parent, label, locale)
        return
    element = _sub(parent, "narrative", text)
    if language is not None:
        element.set(_LANG, language)


class _ActivityWriter:
    def __init__(self, plan: Plan, kept: Kept | None) -> None:
        self.plan = plan
        self.kept = kept or Kept()
        self.data = _data()

    def element(self) -> ET.Element:
        plan = self.plan
        activity = ET.Element("iati-activity")
        activity.set(_LANG, plan.metadata.language)
        currencies = plan.funding.currencies
        if len(currencies) == 1:
            activity.set("default-currency", next(iter(currencies)))
        for name, value in self.kept.attributes:
            activity.attrib.setdefault(name, value)
        _sub(activity, "iati-identifier", plan.id)
        self.organisations(activity)
        for text in self.kept.elements:
            activity.append(ET.fromstring(text))
        if not activity.findall("activity-status"):
            _sub(activity, "activity-status", code=self.data["default_activity_status"])
        # Dates kept from the file read (not quarter bounds) stand instead of these.
        kept_dates = {date.get("type") for date in activity.findall("activity-date")}
        for code, day in self.activity_dates():
            if code not in kept_dates:
                _sub(activity, "activity-date", type=code, iso_date=_day(day))
        self.budgets(activity)
        self.transactions(activity)
        self.results(activity)
        order = {name: i for i, name in enumerate(self.data["element_order"])}
        children = list(activity)
        for child in children:
            activity.remove(child)
        children.sort(key=lambda child: order.get(str(child.tag), len(order)))
        activity.extend(children)
        return activity

    def activity_dates(self) -> tuple[tuple[str, dt.date], tuple[str, dt.date]]:
        """The planned start and end (types 1 and 3) written.

        They are the plan period's first and last days, or the start and deadline of the
        activity's task's schedule that lie within it.
        """
        plan = self.plan
        first, last = plan.period.first_day, plan.period.last_day
        task = next((t for t in plan.tasks if t.id == self.data["activity_task"]), None)
        schedule = task.schedule if task is not None else None
        if schedule is not None:
            if schedule.start is not None and first <= schedule.start.first_day <= last:
                first = schedule.start.first_day
            if schedule.deadline is not None and first <= schedule.deadline.last_day <= last:
                last = schedule.deadline.last_day
        return ("1", first), ("3", last)

    def organisations(self, activity: ET.Element) -> None:
        from egovplan.catalog import Catalogues

        plan = self.plan
        kinds = self.data["agency_kinds"]
        issuer = plan.metadata.issuing_body
        reporter = next(
            (a for a in plan.agencies if issuer is not None and issuer in a.names.values()),
            plan.agencies[0] if plan.agencies else None,
        )
        reporting = _sub(activity, "reporting-org")
        if reporter is not None:
            reporting.set("ref", reporter.id)
            reporting.set("type", kinds.get(reporter.kind, kinds["other"]))
            self.names(reporting, reporter.names, reporter.id)
        else:
            reporting.set("ref", plan.id)
            reporting.set("type", kinds["other"])
            _narrative(reporting, issuer or plan.id)
        title = _sub(activity, "title")
        _narrative(title, plan.metadata.title, main=plan.metadata.language)
        by_title = {v: k for k, v in self.data["description_types"].items()}
        if not plan.sections:  # a description is required: the title stands for it
            _narrative(
                _sub(activity, "description", type="1"),
                plan.metadata.title,
                main=plan.metadata.language,
            )
        for section in plan.sections:
            code = by_title.get(section.title)
            description = _sub(activity, "description", type=code or "4")
            text = section.text if code else f"{section.title}: {section.text}"
            _narrative(description, text or section.title)
        roles = Catalogues.default().roles
        written: set[tuple[str, str]] = set()
        agencies = plan.index.agencies
        for task in plan.tasks:
            for assignment in task.assignments:
                kind = roles.get(assignment.role)
                code = kind.get("iati_role") if kind is not None else None
                if code is None or (assignment.agency, code) in written:
                    continue
                written.add((assignment.agency, code))
                element = _sub(activity, "participating-org", ref=assignment.agency, role=code)
                agency = agencies.get(assignment.agency)
                if agency is not None:
                    element.set("type", kinds.get(agency.kind, kinds["other"]))
                    self.names(element, agency.names, None)
        if not written:
            element = _sub(activity, "participating-org")
            if reporter is not None:
                element.set("ref", reporter.id)
            element.set("role", "2")
            if reporter is not None:
                element.set("type", kinds.get(reporter.kind, kinds["other"]))
            _narrative(
                element,
                (reporter.name(plan.metadata.language) if reporter else None) or issuer or plan.id,
            )

    def names(self, element: ET.Element, names: Mapping[str, str], fallback: str | None) -> None:
        language = self.plan.metadata.language
        if not names and fallback is not None:
            _narrative(element, fallback)
        for locale, text in names.items():
            _narrative(element, text, None if locale == language else locale)

    def budgets(self, activity: ET.Element) -> None:
        from egovplan.period import Period

        plan = self.plan
        statuses = {v: k for k, v in self.data["budget_types"].items()}
        for line in plan.funding.lines:
            if line.period is not None:
                span = line.period
            elif line.year is not None:
                span = Period.year(line.year)
            else:
                span = plan.period
            budget = _sub(activity, "budget")
            if line.status is not None:
                budget.set("type", statuses[line.status.value])
            _sub(budget, "period-start", iso_date=_day(span.first_day))
            _sub(budget, "period-end", iso_date=_day(span.last_day))
            _sub(
                budget,
                "value",
                _number(line.amount.amount),
                currency=line.amount.currency,
                value_date=_day(span.first_day),
            )

    def transactions(self, activity: ET.Element) -> None:
        from egovplan.flows import iati_transaction_type

        plan = self.plan
        kinds = self.data["agency_kinds"]
        as_read = dict(self.kept.transactions)
        agencies = plan.index.agencies
        for flow in plan.flows:
            text = as_read.get(flow)
            if text is not None:  # as read: written as it was, with what no field holds
                activity.append(ET.fromstring(text))
                continue
            code = iati_transaction_type(flow.kind)
            if code is None:
                raise IatiWriteError(
                    f"flow {flow.id}: its kind {flow.kind!r} has no IATI transaction type"
                    " (flow_kinds catalogue, iati_transaction_type)"
                )
            if flow.date is not None:
                day = flow.date
            elif flow.period is not None:
                day = flow.period.first_day
            elif flow.year is not None:
                day = dt.date(flow.year, 1, 1)
            else:
                day = plan.period.first_day
            element = _sub(activity, "transaction", ref=flow.id)
            _sub(element, "transaction-type", code=code)
            _sub(element, "transaction-date", iso_date=_day(day))
            _sub(
                element,
                "value",
                _number(flow.amount.amount),
                currency=flow.amount.currency,
                value_date=_day(day),
            )
            if flow.description is not None:
                _narrative(_sub(element, "description"), flow.description)
            if flow.agency is not None:
                receiver = _sub(element, "receiver-org", ref=flow.agency)
                agency = agencies.get(flow.agency)
                if agency is not None:
                    receiver.set("type", kinds.get(agency.kind, kinds["other"]))
                    self.names(receiver, agency.names, None)

    def results(self, activity: ET.Element) -> None:
        from egovplan.objective import Comparator, TargetKind
        from egovplan.period import Quarter

        plan = self.plan
        kinds = self.data["objective_kinds"]
        units = self.data["units"]
        indicators = plan.index.indicators
        observations: dict[str, list[Any]] = {}
        for observation in plan.observations:
            observations.setdefault(observation.indicator, []).append(observation)
        for _, objective in plan.walk_objectives():
            result = _sub(activity, "result", type=kinds.get(objective.kind.value, "2"))
            _narrative(
                _sub(result, "title"),
                objective.text or objective.id,
                main=self.plan.metadata.language,
            )
            groups: dict[str, list[Any]] = {}
            for target in objective.targets:
                groups.setdefault(target.indicator or target.id, []).append(target)
            for key, targets in groups.items():
                indicator = indicators.get(key)
                first = targets[0]
                unit = indicator.unit if indicator is not None else first.unit
                ascending = (
                    indicator.higher_is_better
                    if indicator is not None
                    else first.comparator not in (Comparator.LT, Comparator.LE)
                )
                qualitative = all(t.kind == TargetKind.QUALITATIVE for t in targets)
                element = _sub(
                    result,
                    "indicator",
                    measure=_QUALITATIVE_MEASURE if qualitative else units.get(unit, "1"),
                    ascending="1" if ascending else "0",
                )
                title = _sub(element, "title")
                if indicator is not None:
                    self.names(title, indicator.names, indicator.id)
                else:
                    _narrative(title, first.measure or first.id)
                baseline = next((t.baseline for t in targets if t.baseline is not None), None)
                if baseline is not None:
                    base = _sub(
                        element,
                        "baseline",
                        year=str(
                            baseline.year if baseline.year is not None else plan.period.first_year
                        ),
                        value=_number(baseline.value),
                    )
                    if baseline.source is not None:
                        _narrative(_sub(base, "comment"), baseline.source)
                seen = observations.get(key, [])
                for target in targets:
                    deadline = target.deadline
                    observed = None
                    if deadline is not None:
                        end = Quarter.containing(deadline.last_day)
                        observed = next((o for o in seen if o.period.end == end), None)
                    if observed is not None:
                        seen.remove(observed)
                    if deadline is not None:
                        first, last = _target_span(
                            deadline, observed.period if observed is not None else None
                        )
                    else:
                        span = observed.period if observed is not None else plan.period
                        first, last = span.first_day, span.last_day
                    period = _sub(element, "period")
                    _sub(period, "period-start", iso_date=_day(first))
                    _sub(period, "period-end", iso_date=_day(last))
                    target_element = _sub(period, "target")
                    if target.value is not None:
                        target_element.set("value", _number(target.value))
                    if target.description is not None:
                        _narrative(_sub(target_element, "comment"), target.description)
                    if observed is not None and observed.value is not None:
                        _sub(period, "actual", value=_number(observed.value))
                self.actuals(element, seen)
            # The indicators read from this result that no target names (ids from read()).
            prefix = f"{objective.id}-indicator-"
            for indicator in plan.indicators:
                if indicator.id.startswith(prefix) and indicator.id not in groups:
                    element = _sub(
                        result,
                        "indicator",
                        measure=units.get(indicator.unit, "1"),
                        ascending="1" if indicator.higher_is_better else "0",
                    )
                    self.names(_sub(element, "title"), indicator.names, indicator.id)
                    self.actuals(element, observations.get(indicator.id, []))
            if result.find("indicator") is None:
                placeholder = _sub(result, "indicator", measure=_PLACEHOLDER_MEASURE)
                _narrative(
                    _sub(placeholder, "title"),
                    objective.text or objective.id,
                    main=self.plan.metadata.language,
                )

    def actuals(self, element: ET.Element, seen: list[Any]) -> None:
        for observed in list(seen):
            if observed.value is None:
                continue
            seen.remove(observed)
            period = _sub(element, "period")
            _sub(period, "period-start", iso_date=_day(observed.period.first_day))
            _sub(period, "period-end", iso_date=_day(observed.period.last_day))
            _sub(period, "actual", value=_number(observed.value))


@in_own_context
def dumps(plans: Plan | Iterable[Plan], *, kept: Mapping[str, Kept] | None = None) -> str:
    """The text of an IATI 2.03 activity file holding ``plans``, validated.

    Args:
        plans: a plan or plans; each becomes an ``iati-activity``.
        kept: by plan id, the parts of activities read before that the plans do not
            hold (:attr:`ReadResult.kept`): they are written back in their place.

    Raises:
        IatiWriteError: the result would not be a valid IATI 2.03 file (the message names
            the element), for instance because a kept element does not fit.
        MissingDependencyError: ``xmlschema`` is not installed (``egovplan[iati]``).
    """
    items = [plans] if isinstance(plans, Plan) else list(plans)
    root = ET.Element("iati-activities", version=_data()["version_written"])
    for plan in items:
        root.append(_ActivityWriter(plan, (kept or {}).get(plan.id)).element())
    ET.indent(root, space="  ")
    problems = list(_iati_xml.problems(_iati_xml.Document(root, {})))
    if problems:
        first = problems[0]
        raise IatiWriteError(
            f"the plans do not make a valid IATI activity file: {first.path}: {first.message}"
        )
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'


def write(
    plans: Plan | Iterable[Plan],
    path: str | os.PathLike[str],
    *,
    kept: Mapping[str, Kept] | None = None,
) -> None:
    """Write ``plans`` to ``path`` as an IATI 2.03 activity file (atomically).

    See :func:`dumps` for the arguments and errors; ``OSError`` when the file cannot be
    written (it is then left as it was).
    """
    from egovplan.files import write_text

    write_text(path, dumps(plans, kept=kept))


def mapping_table() -> list[tuple[str, str, str]]:
    """The element ↔ field table: ``(IATI element, egovplan field, how)`` rows.

    >>> mapping_table()[0]
    ('iati-identifier', 'Plan.id', 'an empty identifier is read as activity-N and reported')
    """
    return [(row["iati"], row["egovplan"], row["note"]) for row in _data()["mapping"]]
