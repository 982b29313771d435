"""Hypothesis strategies for every egovplan model, for egovplan's tests and yours.

Each strategy draws *valid* objects: they construct without error. :func:`plans` goes
further and draws internally consistent plans, which validate without a single issue:

- ids are unique within their kind (and do not collide when case-folded);
- every reference (agency, parent, level, objective, indicator, source, task) resolves,
  and agency parents form no cycle;
- every kind, role, level and cadence is a code of the catalogues;
- every task has exactly one lead;
- the declared total equals the sum of the sources (is more than the stated amounts, when
  some sources state none: about one source in eight); amounts in words (when
  :mod:`egovplan.words` is available, the currency is VND and ``"vi"`` is one of the
  locales) say the same as the digits; stated shares are the sources' shares rounded to 0.01 %;
- the budget lines of a source add up to no more than the source, in years of the period;
- target deadlines (a year, quarter, month or day, a time or a deadline) lie in the
  period or up to the orientation horizon, which lies after the period; percents are
  within 0–100; breakdowns add up; listed counts match; a per-level target states each
  level (and what it counts) once, with bounds fitting each entry's comparator; a
  qualitative target or a milestone states no number; a target has at most one qualifier
  of each group; target ids are unique across objectives and tasks; a target contributes
  only to targets of its plan drawn before it;
- schedules start no later than their deadline, inside the period (a start is never a
  deadline); recurrences are every 1 or more known units, no longer than their period;
- flows (money that moved) name the plan's sources, agencies, tasks and objectives, are
  of the catalogue's kinds, in the period (year, day and period agreeing) and in the
  funding's currency; what is spent from a source is no more than it plans;
- spending rules are met, by their comparator (at least, at most, exactly, more or less
  than; never between), and name the plan's agencies, levels and sources; exchange rates
  are recorded between the plan's currency and others, one per pair of currencies and
  day; everything is in one currency;
- the plan's issuing decision bears its date, the submission it answers is no later and
  it takes effect no earlier; a document reference of another jurisdiction has a
  citation grammar; a citation names a task, objective or annex of the plan, or at least
  where it is cited; annex ids are unique;
- titles, objectives' texts, targets' measures and tasks' titles are text or text in
  some of the locales (:class:`~egovplan.labels.Labels`).

**Drawn from the models.** Each strategy builds its class from ``attrs.fields()``, once
per class: a field is drawn from its declaration (its type and validator: text, years,
numbers, percents, amounts, names, periods and dates inside the plan's period, enums,
records without ids and tuples of them; a value a model's own validator refuses is drawn
again), unless it keeps one of the invariants above. Those fields, and only those, are
drawn by hand, each listed with its invariant in one table (``_OVERRIDES`` in this
module's source). So a field added to a model is drawn with no edit here; one that
cannot be (a reference to other records: a field holding ids; a type no rule draws) is
an :class:`UndrawableFieldError` when the strategy is built, naming the field and what to
add, never a field silently left out. :func:`from_model` draws any class none of whose
fields needs the plan's context.

This module imports :mod:`hypothesis`; ``import egovplan`` never imports it.

>>> from hypothesis import given, settings
>>> @settings(max_examples=5, deadline=None)
... @given(plans())
... def check(plan):
...     assert len({a.id for a in plan.agencies}) == len(plan.agencies)
>>> check()
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import types
import typing
import unicodedata
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn, SearchStrategy

from egovplan import _citations, _derive, _fields
from egovplan.agency import Agency, Level
from egovplan.catalog import Catalogues
from egovplan.document import Citation, DocumentRef, EntryIntoForce, PlanMetadata, Signatory
from egovplan.errors import EgovplanError, FieldValueError
from egovplan.exchange import ExchangeRate
from egovplan.flows import Flow, spent_kinds
from egovplan.funding import BudgetLine, Funding, FundingSource, SpendingRule
from egovplan.indicator import Indicator, Observation
from egovplan.labels import Labels
from egovplan.money import Money, minor_digits
from egovplan.objective import (
    PERCENT,
    RANK,
    Baseline,
    Comparator,
    LevelTarget,
    Objective,
    Target,
    TargetKind,
    TargetPart,
    TargetRef,
)
from egovplan.period import Period, Quarter
from egovplan.plan import Annex, Plan, Section
from egovplan.recurrence import Recurrence, recurrence_units
from egovplan.reporting import ReportingDuty
from egovplan.task import LEAD, Assignment, Schedule, Task
from egovplan.when import When

__all__ = [
    "UndrawableFieldError",
    "agencies",
    "annexes",
    "assignments",
    "baselines",
    "budget_lines",
    "citations",
    "document_refs",
    "edge_plans",
    "edge_texts",
    "exchange_rates",
    "flows",
    "from_model",
    "funding",
    "funding_sources",
    "ids",
    "indicators",
    "labels",
    "levels",
    "money",
    "objectives",
    "observations",
    "periods",
    "plan_metadata",
    "plans",
    "quarters",
    "recurrences",
    "reporting_duties",
    "schedules",
    "sections",
    "signatories",
    "spending_rules",
    "targets",
    "tasks",
    "texts",
    "whens",
]

T = TypeVar("T")

#: The years strategies draw from unless told otherwise.
FIRST_YEAR: Final = 1990
LAST_YEAR: Final = 2100

#: Units for count targets (all known to :mod:`egovplan.units`).
COUNT_UNITS: Final = ("people", "databases", "services", "agencies", "schools", "systems")
#: Units for ratio targets.
RATIO_UNITS: Final = ("per_100_inhabitants", "per_civil_servant", "mbps_per_civil_servant")

_VI_SAMPLES: Final = (
    "Sở Thông tin và Truyền thông",
    "Văn phòng UBND tỉnh",
    "Hạ tầng kỹ thuật CNTT",
    "Tỷ lệ hồ sơ được xử lý trên môi trường mạng",
    "Xây dựng Kho cơ sở dữ liệu dùng chung tỉnh",
    "Nguồn kinh phí sự nghiệp",
    "Chính quyền số",
)
_ISSUERS: Final = ("UBND", "TTg", "CP", "TU", "TW", "STTTT", "HĐND", "BTTTT", "BCT")
_SUBJECTS: Final = ("lao-cai", "quang-nam", "bac-kan", "hau-giang")
#: Currencies exchange rates are drawn between (the plan's own is always one of them).
_CURRENCIES: Final = ("VND", "USD", "EUR", "JPY", "KRW", "LAK", "CHF")
_INDICATOR_UNITS: Final = (PERCENT, "per_100_inhabitants", "score", "per_civil_servant")
_NON_RANGE: Final = tuple(c for c in Comparator if c is not Comparator.BETWEEN)
_TARGET_SHAPES: Final = (
    "value",
    "range",
    "per_level",
    "rank",
    "parts",
    "items",
    "ratio",
    "qualitative",
)

# Base strategies, built once: building strategies inside a draw is slow.
_slugs: Final = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)
_ids: Final = st.tuples(_slugs, st.none() | st.integers(0, 999)).map(
    lambda parts: parts[0] if parts[1] is None else f"{parts[0]}-{parts[1]}"
)
_booleans: Final = st.booleans()
_any_dates: Final = st.dates(dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31))


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


_ALPHABET: Final = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    "ĐƯƠÂĂÊÔ .,;:-()/%&'\"–"
)


@functools.cache
def texts(*, max_size: int = 40) -> SearchStrategy[str]:
    """Non-blank text in NFC form with single spaces, often Vietnamese.

    Letters (Vietnamese ones too), digits, common punctuation and spaces: such text
    survives every file format egovplan reads and writes unchanged.
    """
    general = st.text(alphabet=_ALPHABET, min_size=1, max_size=max_size).map(_clean)
    return st.one_of(st.sampled_from(_VI_SAMPLES), general.map(lambda text: text or "x"))


_texts: Final = texts()
_short_texts: Final = texts(max_size=12)
_maybe_texts: Final = st.none() | _texts


def ids() -> SearchStrategy[str]:
    """Ids and codes as egovplan expects them: lower-case slugs (``"stttt"``, ``"o-1"``)."""
    return _ids


def _unique_ids(draw: DrawFn, count: int) -> list[str]:
    # "<slug>-<i>": the index after the last "-" keeps them unique, even case-folded.
    return [f"{draw(_slugs)}-{i}" for i in range(count)]


def _pick(draw: DrawFn, values: Sequence[T]) -> T:
    return values[draw(st.integers(0, len(values) - 1))]


def _maybe(draw: DrawFn, values: Sequence[T]) -> T | None:
    if not values or draw(_booleans):
        return None
    return _pick(draw, values)


def _subset(draw: DrawFn, values: Sequence[T], max_size: int = 3) -> tuple[T, ...]:
    if not values:
        return ()
    chosen = draw(st.lists(st.integers(0, len(values) - 1), max_size=max_size, unique=True))
    return tuple(values[i] for i in chosen)


def _id(draw: DrawFn, id: str | None) -> str:
    return draw(_ids) if id is None else id


def _codes(catalogues: Catalogues | None, name: str) -> tuple[str, ...]:
    cats = Catalogues.default() if catalogues is None else catalogues
    return cats[name].codes


def _decimal(draw: DrawFn, low: int, high: int, places: int = 2) -> Decimal:
    # Whole numbers of 10**-places: quick to draw and to shrink.
    scale = 10**places
    return Decimal(draw(st.integers(low * scale, high * scale))).scaleb(-places)


# --- labels, money, periods ----------------------------------------------------------------


@st.composite
def _labels(draw: DrawFn, locales: tuple[str, ...], min_size: int) -> Labels:
    chosen = draw(
        st.lists(st.sampled_from(locales), min_size=min_size, max_size=len(locales), unique=True)
    )
    return Labels({locale: draw(_texts) for locale in chosen})


def labels(locales: Sequence[str] = ("vi", "en"), *, min_size: int = 1) -> SearchStrategy[Labels]:
    """:class:`~egovplan.labels.Labels` with some of ``locales`` (at least ``min_size``)."""
    return _labels(tuple(locales), min_size)


def _money(draw: DrawFn, currency: str, min_value: int = 0, max_value: int = 10**13) -> Money:
    scale = 10 ** minor_digits(currency)
    units = draw(st.integers(min_value * scale, max_value * scale))
    return Money.from_minor_units(units, currency)


@st.composite
def _money_strategy(draw: DrawFn, currency: str, min_value: int, max_value: int) -> Money:
    return _money(draw, currency, min_value, max_value)


def money(
    currency: str = "VND", *, min_value: int = 0, max_value: int = 10**15
) -> SearchStrategy[Money]:
    """Amounts of ``currency`` between ``min_value`` and ``max_value`` major units.

    Amounts are whole numbers of the currency's minor unit.
    """
    minor_digits(currency)  # fail early on an unknown currency
    return _money_strategy(currency, min_value, max_value)


def quarters(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> SearchStrategy[Quarter]:
    """Quarters of the years ``first_year`` to ``last_year``."""
    return st.builds(Quarter, st.integers(first_year, last_year), st.integers(1, 4))


def _period(draw: DrawFn, first_year: int, last_year: int, whole_years: bool) -> Period:
    low = first_year * 4
    high = last_year * 4 + 3
    a, b = draw(st.integers(low, high)), draw(st.integers(low, high))
    start, end = min(a, b), max(a, b)
    if whole_years:
        return Period.years(start // 4, end // 4)
    return Period(start=Quarter(start // 4, start % 4 + 1), end=Quarter(end // 4, end % 4 + 1))


@st.composite
def _periods(draw: DrawFn, first_year: int, last_year: int, whole_years: bool) -> Period:
    return _period(draw, first_year, last_year, whole_years)


def periods(
    first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR, *, whole_years: bool = False
) -> SearchStrategy[Period]:
    """Periods inside ``first_year``..``last_year`` (whole years only if asked)."""
    return _periods(first_year, last_year, whole_years)


def _date_in(draw: DrawFn, period: Period) -> dt.date:
    days = (period.last_day - period.first_day).days
    return period.first_day + dt.timedelta(days=draw(st.integers(0, days)))


# --- drawn from the models -----------------------------------------------------------------------


class UndrawableFieldError(EgovplanError, TypeError):
    """A model's field that no strategy can draw: neither derived nor drawn by hand.

    Raised when a strategy is built (``plans()``, ``budget_lines()``...), never while
    drawing, so that a field added to a model is either drawn or flagged at once. The
    message names the field and what to add.
    """


@attrs.frozen
class _Context:
    """What a field drawn from its declaration may depend on: the plan being drawn.

    Attributes:
        currency: the currency of every amount.
        locales: the locales of names (:class:`~egovplan.labels.Labels`).
        period: the plan's period: periods and dates are drawn inside it.
        catalogues: where codes come from (the built-in ones when None).
        plan_id: the id of the plan being drawn (None outside a plan): a target refers to
            targets of its plan drawn before it.
    """

    currency: str = "VND"
    locales: tuple[str, ...] = ("vi", "en")
    period: Period = attrs.field(factory=lambda: Period.years(2018, 2025))
    catalogues: Catalogues | None = None
    plan_id: str | None = None

    def codes(self, name: str) -> tuple[str, ...]:
        """The codes of catalogue ``name``."""
        return _codes(self.catalogues, name)

    def groups(self, name: str) -> tuple[tuple[str, ...], ...]:
        """The codes of catalogue ``name`` by their ``group`` (one group per code without)."""
        cats = Catalogues.default() if self.catalogues is None else self.catalogues
        found: dict[object, list[str]] = {}
        for kind in cats[name]:
            group = kind.get("group")
            found.setdefault(kind.code if group is None else group, []).append(kind.code)
        return tuple(tuple(codes) for codes in found.values())


_DEFAULT: Final = _Context()

#: Draws one value of a field, given the plan being drawn.
Drawer = Callable[[DrawFn, _Context], Any]

#: The fields drawn by hand, per class, and the invariant of valid plans each keeps: every
#: other field is drawn from its declaration (its type and validator, :func:`_drawer`).
#: Each class's strategy (``_budget_line`` for :class:`BudgetLine`) draws exactly these
#: and passes them to :func:`_build`, which refuses any other. A field named ``id`` is
#: always the class's strategy's to draw (ids are unique within their kind), and needs
#: no entry. A reference to another record, a code of a catalogue, a number that must
#: agree with others, a period inside another: these can only be drawn here, so a field
#: holding an id (other than ``id``) is never drawn from its declaration.
_OVERRIDES: Final[dict[type, dict[str, str]]] = {
    Plan: {
        "metadata": "its language is one of the plan's locales, its kind a catalogue code",
        "period": "drawn first: everything else lies in it",
        "horizon": "after the period",
        "levels": "a level set of the catalogues, or none",
        "agencies": "unique ids; parents drawn among the agencies before (no cycle)",
        "objectives": "unique ids through the tree",
        "tasks": "unique ids; references to the plan's agencies, objectives, indicators;"
        " target ids unique through the plan",
        "funding": "sums that agree (total, sources, lines, shares, rules)",
        "flows": "unique ids; references to the plan's sources, agencies, tasks, objectives",
        "reporting": "references to the plan's agencies; cadences of the catalogue",
        "indicators": "unique ids",
        "observations": "of the plan's indicators, one per indicator, subject and period",
        "annexes": "unique ids",
        "citations": "references to the plan's tasks, objectives and annexes",
    },
    PlanMetadata: {
        "kind": "a code of the document_kinds catalogue",
        "language": "one of the plan's locales",
        "date": "drawn first: the documents about the plan's issue agree with it",
        "issued_with": "dated as the plan (EGP801), or undated",
        "submission": "dated no later than the signing (EGP802)",
        "entry_into_force": "no earlier than the signing (EGP803)",
    },
    DocumentRef: {
        "kind": "a code of the document_kinds catalogue, or none",
        "number": "numbered (number, year, issuer) or cited by title only",
        "year": "only in a numbered reference",
        "issuer": "only in a numbered reference",
        "title": "required when not numbered",
        "jurisdiction": "one with a citation grammar (data/citations), or none",
    },
    EntryIntoForce: {
        "days_after_signing": "0 or more (EGP803)",
        "date": "no earlier than the signing (EGP803)",
    },
    Citation: {
        "task": "a task of the plan",
        "objective": "an objective of the plan",
        "annex": "an annex of the plan",
        "at": "given when no task, objective or annex is (EGP805)",
    },
    Agency: {
        "kind": "a code of the agency_kinds catalogue",
        "level": "a level of the plan",
        "parent": "an agency drawn before (no cycle)",
    },
    FundingSource: {
        "kind": "a code of the funding_source_kinds catalogue, or (one in eight) none",
        "amount": "within the strategy's maximum; one in eight stated without an amount",
        "amount_in_words": "says the amount (Vietnamese words, VND)",
    },
    BudgetLine: {
        "source": "a source of the funding",
        "year": "a year of the plan's period",
        "period": "a quarter inside the line's year, in a year the period covers whole",
        "agency": "an agency of the plan",
        "task": "a task of the plan",
        "objective": "an objective of the plan",
        "amount": "the lines of a source add up to no more than the source",
    },
    SpendingRule: {
        "comparator": "at least, at most, exactly, more or less than; never between",
        "percent": "a percent (0..100), or none",
        "base": "with amount and percent: the rule is met",
        "amount": "compares with base * percent / 100 as the comparator says",
        "base_kind": "a code of the spending_bases catalogue, or none",
        "agencies": "agencies of the plan",
        "levels": "levels of the plan",
        "sources": "sources of the funding",
        "cadence": "a code of the cadences catalogue, or none",
        "decided_by": "an agency of the plan, or none",
    },
    ExchangeRate: {
        "base": "a currency egovplan knows, not the quote",
        "quote": "a currency egovplan knows, not the base",
    },
    Funding: {
        "total": "the sum of the sources (more when some state no amount)",
        "total_in_words": "says the total",
        "sources": "unique ids",
        "lines": "within their sources, in years of the period",
        "stated_shares": "the sources' shares, rounded to 0.01 %",
        "rules": "unique ids; references to the plan's agencies, levels and sources",
        "exchange_rates": "one rate per pair of currencies and day (EGP215)",
    },
    Flow: {
        "kind": "a code of the flow_kinds catalogue",
        "source": "a source of the funding",
        "year": "a year the plan's period covers whole",
        "period": "inside the period; one quarter of the year, when there is one",
        "date": "in the period; in the year and the period, when there are",
        "agency": "an agency of the plan",
        "task": "a task of the plan",
        "objective": "an objective of the plan",
        "amount": "in the funding's currency; a source's spent flows within what it plans",
    },
    Baseline: {"value": "a percent when the target's unit is percent"},
    TargetPart: {"value": "the parts add up to the target's value"},
    Target: {
        "comparator": "the target's shape (value, range, per level, rank, parts, items)",
        "value": "the target's shape",
        "upper": "above value, in a range",
        "by_level": "levels of the plan",
        "unit": "a unit of egovplan.units fitting the shape",
        "parts": "add up to value",
        "items": "as many as value says",
        "deadline": "in the period, or up to the orientation horizon",
        "baseline": "in the target's unit",
        "indicator": "an indicator of the plan",
        "kind": "qualitative or a milestone only with no number",
        "qualifiers": "codes of the target_qualifiers catalogue, one per group at most",
        "contributes_to": "targets of the plan drawn before it, or none outside a plan",
    },
    LevelTarget: {
        "level": "a level of the plan",
        "counts": "a code of the counted catalogue, once per level",
        "comparator": "the entry's shape (its own comparator, or the target's)",
        "value": "a percent",
        "upper": "above value, in a range",
    },
    TargetRef: {
        "plan": "the plan's id",
        "target": "a target of the plan drawn before",
    },
    Objective: {
        "targets": "unique ids through the tree",
        "children": "unique ids through the tree",
    },
    Assignment: {
        "agency": "an agency of the plan",
        "role": "a code of the roles catalogue",
    },
    Schedule: {
        "period": "inside the plan's period",
        "start": "in the schedule's period (else the plan's), no later than the deadline",
        "deadline": "in the schedule's period (else the plan's)",
        "recurrence": "every 1 or more known units, no longer than the period",
    },
    Recurrence: {
        "interval": "1 or more",
        "unit": "a unit of data/recurrence.toml",
    },
    Task: {
        "targets": "unique ids through the plan, as an objective's targets",
        "objectives": "objectives of the plan",
        "indicators": "indicators of the plan",
        "assignments": "agencies of the plan; exactly one lead",
    },
    ReportingDuty: {
        "reporter": "an agency of the plan (format version 1's form)",
        "recipient": "an agency of the plan (format version 1's form)",
        "cadence": "a code of the cadences catalogue (format version 1's form)",
        "reporters": "agencies of the plan",
        "recipients": "agencies of the plan",
        "cadences": "codes of the cadences catalogue",
        "via": "agencies of the plan",
    },
    Indicator: {
        "unit": "a unit of egovplan.units",
        "framework": "a framework egovplan knows",
        "group": "a group of that framework",
    },
    Observation: {
        "indicator": "an indicator of the plan",
        "subject": "a province's id",
        "period": "a year (of the plan, when one is given)",
        "rank": "1..63",
        "ranked": "at least rank",
    },
}

#: Fields a strategy leaves out (at their default), whose classes are never drawn.
_NOT_DRAWN: Final = frozenset({(Plan, "stated_ranks")})

#: Text drawn by hand for its presence or count, whose words are free (edge plans redraw
#: them).
_FREE_TEXT_DRAWN: Final = frozenset({(DocumentRef, "title"), (Target, "items")})

#: Text that says an amount: left out when edge plans scale the amounts.
_SAYS_AN_AMOUNT: Final = frozenset(
    {(FundingSource, "amount_in_words"), (Funding, "total_in_words")}
)

#: The classes drawn whole by a strategy of their own (with their overrides), when a
#: field of another class holds one.
_DRAWN_BY: dict[type, Drawer] = {}

#: Values, not records: never walked into.
_VALUE_TYPES: Final = (Money, Labels, Period, Quarter, When)

_ID_CHECKS: Final = frozenset(
    {_fields.check_id, _fields.unique_id, _fields.optional_id, _fields.tuple_of_ids}
)
_YEAR_CHECKS: Final = frozenset({_fields.check_year, _fields.optional_year})


@attrs.frozen
class _Slot:
    """One field as :func:`_build` fills it.

    Attributes:
        name: the field.
        drawer: how it is drawn from its declaration, or None when drawn by hand.
        free_text: whether it holds free text (edge plans redraw it).
        checks: its validators that have no declaration (a model's own): a drawn value
            is tried on them, and drawn again when they refuse it.
        default: the field's default, when it has a plain one (else ``_NO_DEFAULT``).
    """

    name: str
    drawer: Drawer | None
    free_text: bool = False
    checks: tuple[Any, ...] = ()
    default: Any = None


def _undrawable(where: str, why: str) -> UndrawableFieldError:
    cls = where.partition(".")[0]
    return UndrawableFieldError(
        f"egovplan.testing cannot draw {where}: {why}. Draw it in the strategy of {cls} in"
        f" egovplan/testing.py and add it to _OVERRIDES[{cls}] with the invariant it keeps"
        " (a reference is drawn from the ids of the plan, never made up)"
    )


def _or_none(drawer: Drawer) -> Drawer:
    def draw_optional(draw: DrawFn, ctx: _Context) -> Any:
        return None if draw(_booleans) else drawer(draw, ctx)

    return draw_optional


def _tuple_of(drawer: Drawer) -> Drawer:
    def draw_tuple(draw: DrawFn, ctx: _Context) -> tuple[Any, ...]:
        return tuple(drawer(draw, ctx) for _ in range(draw(st.integers(0, 2))))

    return draw_tuple


def _strategy(strategy: SearchStrategy[Any]) -> Drawer:
    return lambda draw, ctx: draw(strategy)


def _period_in(draw: DrawFn, within: Period) -> Period:
    """A period of whole quarters inside ``within``."""
    quarter_list = within.quarter_list
    a, b = sorted(draw(st.integers(0, len(quarter_list) - 1)) for _ in range(2))
    return Period(start=quarter_list[a], end=quarter_list[b])


def _draw_text(draw: DrawFn, ctx: _Context) -> str:
    return draw(_texts)


def _draw_id(draw: DrawFn, ctx: _Context) -> str:
    return draw(_ids)


def _draw_year(draw: DrawFn, ctx: _Context) -> int:
    return draw(st.integers(FIRST_YEAR, LAST_YEAR))


def _draw_int(draw: DrawFn, ctx: _Context) -> int:
    return draw(st.integers(0, 1000))


def _draw_bool(draw: DrawFn, ctx: _Context) -> bool:
    return draw(_booleans)


def _draw_number(draw: DrawFn, ctx: _Context) -> Decimal:
    return _decimal(draw, 0, 10**6, 2)


def _draw_percent(draw: DrawFn, ctx: _Context) -> Decimal:
    return _decimal(draw, 0, 100, 2)


def _draw_money(draw: DrawFn, ctx: _Context) -> Money:
    return _money(draw, ctx.currency, 0, 10**12)


def _draw_period(draw: DrawFn, ctx: _Context) -> Period:
    return _period_in(draw, ctx.period)


def _draw_date(draw: DrawFn, ctx: _Context) -> dt.date:
    return _date_in(draw, ctx.period)


def _draw_labels(draw: DrawFn, ctx: _Context) -> Labels:
    return draw(_labels_in(ctx.locales))


@functools.cache
def _labels_in(locales: tuple[str, ...]) -> SearchStrategy[Labels]:
    return labels(locales)


def _draw_text_or_labels(draw: DrawFn, ctx: _Context) -> str | Labels:
    # Text in the document's language, or text per language (in the plan's locales).
    return _draw_labels(draw, ctx) if draw(_booleans) else draw(_texts)


#: Text in one language or in several (``str | Labels``): a title, a measure.
_TEXT_OR_LABELS: Final = str | Labels


#: A field's drawer by its type alone (after its ids, years and percents).
_BY_TYPE: Final[dict[Any, Drawer]] = {
    str: _draw_text,
    bool: _draw_bool,
    int: _draw_int,
    Decimal: _draw_number,
    Money: _draw_money,
    Period: _draw_period,
    dt.date: _draw_date,
    Labels: _draw_labels,
}


def _drawer(where: str, name: str, type_: Any, checks: tuple[Any, ...]) -> tuple[Drawer, bool]:
    """How a field of ``type_`` checked by ``checks`` is drawn, and whether it is free text.

    Raises:
        UndrawableFieldError: an id-valued field other than ``id`` (a reference or a
            code), a record with an id, or a type with no rule.
    """
    if any(check in _ID_CHECKS for check in checks):
        if name == "id" and type_ is str:
            return _draw_id, False
        raise _undrawable(where, "it holds ids: a reference to other records or codes")
    if type_ is int and any(check in _YEAR_CHECKS for check in checks):
        return _draw_year, False
    if type_ is Decimal and _fields.percent in checks:
        return _draw_percent, False
    if type_ in _BY_TYPE:
        return _BY_TYPE[type_], type_ is str
    if type_ == _TEXT_OR_LABELS:
        return _draw_text_or_labels, True
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        return _strategy(st.sampled_from(type_)), False
    if attrs.has(type_):
        return _record_drawer(where, type_), False
    if get_origin(type_) is tuple and len(get_args(type_)) == 2 and get_args(type_)[1] is ...:
        item = get_args(type_)[0]
        if get_origin(item) is tuple:
            raise _undrawable(where, "it holds (id, value) pairs: references")
        inner, free = _drawer(where, name, item, ())
        return _tuple_of(inner), free
    shown = type_.__name__ if isinstance(type_, type) else str(type_)
    raise _undrawable(where, f"no rule draws a value of type {shown}")


def _record_drawer(where: str, cls: type) -> Drawer:
    """How a field holding one ``cls`` (a record without an id) is drawn."""
    drawn_by = _DRAWN_BY.get(cls)
    if drawn_by is not None:
        _slots(cls)  # its own fields are drawable
        return drawn_by
    if "id" in attrs.fields_dict(cls):
        raise _undrawable(where, f"it holds {cls.__name__} records, whose ids must be unique")
    if _overrides_of(cls):
        raise _undrawable(where, f"{cls.__name__} has fields drawn by hand and no strategy")
    _slots(cls)
    return lambda draw, ctx: _build(draw, cls, ctx)


def _marked(marks: frozenset[tuple[type, str]], cls: type, name: str) -> bool:
    """Whether field ``name`` of ``cls`` (or of a class it derives from) is in ``marks``."""
    return any((base, name) in marks for base in cls.__mro__)


@functools.cache
def _overrides_of(cls: type) -> dict[str, str]:
    """The fields of ``cls`` drawn by hand: its own and its base classes' (:data:`_OVERRIDES`)."""
    found: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        found.update(_OVERRIDES.get(base, {}))
    return found


@functools.cache
def _slots(cls: type) -> tuple[_Slot, ...]:
    """How :func:`_build` fills each field of ``cls``, derived once per class.

    Raises:
        UndrawableFieldError: a field that is neither drawn by hand (:data:`_OVERRIDES`)
            nor drawable from its declaration.
    """
    overrides = _overrides_of(cls)
    names = attrs.fields_dict(cls)
    stale = sorted(set(overrides) - set(names))
    if stale:
        raise UndrawableFieldError(f"_OVERRIDES[{cls.__name__}] names no field {stale}")
    hints = typing.get_type_hints(cls)
    slots: list[_Slot] = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        checks = _derive.field_checks(field)
        own = tuple(check for check in checks if _fields.declared(check) is None)
        default = _plain_default(field)
        type_, optional = _derive.unwrap_optional(hints[field.name])
        free = _marked(_FREE_TEXT_DRAWN, cls, field.name)
        if field.name in overrides or _marked(_NOT_DRAWN, cls, field.name):
            slots.append(_Slot(field.name, None, free, own, default))
            continue
        drawer, free = _drawer(f"{cls.__name__}.{field.name}", field.name, type_, checks)
        slots.append(
            _Slot(field.name, _or_none(drawer) if optional else drawer, free, own, default)
        )
    return tuple(slots)


_NO_DEFAULT: Final = object()


def _plain_default(field: attrs.Attribute[Any]) -> Any:
    """The default of ``field`` when it is a value, else ``_NO_DEFAULT`` (a factory too)."""
    default: Any = field.default
    if default is attrs.NOTHING or isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return _NO_DEFAULT
    return default


def _probe(values: dict[str, Any]) -> Any:
    """An object standing for the record being drawn (its fields drawn so far)."""
    return types.SimpleNamespace(**values)


def _accepts(
    checks: tuple[Any, ...], inst: Any, field: attrs.Attribute[Any], value: Any
) -> bool | None:
    """Whether ``checks`` accept ``value`` (None when they need a field not drawn yet)."""
    try:
        for check in checks:
            check(inst, field, value)
    except AttributeError:
        return None
    except (TypeError, ValueError):
        return False
    return True


def _build(draw: DrawFn, cls: type[T], ctx: _Context, **given: Any) -> T:
    """A ``cls`` whose fields are ``given`` (the ones :data:`_OVERRIDES` lists, and ``id``),
    the others drawn from their declarations (:func:`_slots`).

    A drawn value a model's own validator refuses is drawn again (a few times; then the
    default, else the example is rejected): the constructor decides in the end.
    """  # noqa: D205
    model: Any = cls
    slots = _slots(model)
    overrides = _overrides_of(model)
    extra = sorted(set(given) - set(overrides) - {"id"})
    if extra:
        raise UndrawableFieldError(
            f"the strategy of {cls.__name__} draws {extra} by hand: list them in"
            f" _OVERRIDES[{cls.__name__}] with the invariant they keep, or let them be drawn"
        )
    values: dict[str, Any] = {}
    fields = attrs.fields_dict(model)
    for slot in slots:
        if slot.name in given:
            values[slot.name] = given[slot.name]
            continue
        if slot.drawer is None:
            if _marked(_NOT_DRAWN, model, slot.name):
                continue
            raise UndrawableFieldError(
                f"{cls.__name__}.{slot.name} is in _OVERRIDES but its strategy did not draw it"
            )
        value = slot.drawer(draw, ctx)
        if slot.checks:
            field = fields[slot.name]
            for _ in range(5):
                if _accepts(slot.checks, _probe(values), field, value) is not False:
                    break
                value = slot.drawer(draw, ctx)
            else:
                if slot.default is _NO_DEFAULT:
                    reject()
                value = slot.default
        values[slot.name] = value
    return cls(**values)


def _check_drawable(cls: type) -> None:
    """Fail now if a field of ``cls``, or of a record it holds, cannot be drawn.

    Raises:
        UndrawableFieldError: naming the field and what to add.
    """
    seen: set[type] = set()
    todo = [cls]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        _slots(current)
        hints = typing.get_type_hints(current)
        for field in attrs.fields(current):
            if field.init and not _marked(_NOT_DRAWN, current, field.name):
                todo.extend(_records_in(hints[field.name]))


def _records_in(type_: Any) -> list[type]:
    """The record classes a field's type holds (``Target`` in ``tuple[Target, ...]``)."""
    if isinstance(type_, type) and attrs.has(type_):
        return [] if type_ in _VALUE_TYPES else [type_]
    return [found for arg in get_args(type_) for found in _records_in(arg)]


@st.composite
def _models(draw: DrawFn, cls: type[T], ctx: _Context) -> T:
    return _build(draw, cls, ctx)


def from_model(
    cls: type[T],
    *,
    currency: str = "VND",
    locales: Sequence[str] = ("vi", "en"),
    period: Period | None = None,
) -> SearchStrategy[T]:
    """Objects of ``cls`` drawn from its fields' declarations alone.

    For a class none of whose fields needs drawing by hand (a record without references:
    :class:`~egovplan.task.Schedule`, :class:`~egovplan.document.Signatory`, or a class of
    your own built from egovplan's validators). Each field is drawn from its type and
    validator: text, ids (only a field named ``id``), years, numbers, percents, amounts in
    ``currency``, names in ``locales``, periods and dates inside ``period``, enums,
    records and tuples of them; a value a validator of the class's own refuses is drawn
    again. A class with a field that needs a plan's context (a reference to another
    record) has a strategy of its own in this module.

    Raises:
        UndrawableFieldError: when the strategy is built, naming a field it cannot draw.

    >>> from hypothesis import given, settings
    >>> from egovplan.task import Schedule
    >>> @settings(max_examples=5, deadline=None)
    ... @given(from_model(Schedule, period=Period.year(2021)))
    ... def check(schedule):
    ...     assert schedule.period is None or Period.year(2021).contains(schedule.period)
    >>> check()
    """
    minor_digits(currency)  # fail early on an unknown currency
    _check_drawable(cls)
    model: Any = cls
    drawn_by = _DRAWN_BY.get(model)
    if _overrides_of(model) and drawn_by is None:
        raise UndrawableFieldError(
            f"{cls.__name__} has fields drawn by hand ({', '.join(_overrides_of(model))}):"
            " use its own strategy"
        )
    ctx = _Context(
        currency=currency,
        locales=tuple(locales),
        period=_DEFAULT.period if period is None else period,
    )
    if drawn_by is not None:
        return st.composite(lambda draw: drawn_by(draw, ctx))()
    return _models(cls, ctx)


# --- documents ---------------------------------------------------------------------------------


def _document_ref(draw: DrawFn, ctx: _Context) -> DocumentRef:
    kinds = ctx.codes("document_kinds")
    numbered = draw(st.integers(0, 4)) > 0
    return _build(
        draw,
        DocumentRef,
        ctx,
        kind=_maybe(draw, kinds),
        number=str(draw(st.integers(1, 9999))) if numbered else "",
        year=draw(st.none() | st.integers(FIRST_YEAR, LAST_YEAR)) if numbered else None,
        issuer=_pick(draw, _ISSUERS) if numbered else "",
        title=draw(_maybe_texts) if numbered else draw(_texts),
        jurisdiction=_jurisdiction(draw),
    )


def _jurisdiction(draw: DrawFn) -> str | None:
    """One jurisdiction in four with a citation grammar of ``data/citations``, else None."""
    known = tuple(_citations.grammars())
    return _pick(draw, known) if known and draw(st.integers(0, 3)) == 0 else None


_DRAWN_BY[DocumentRef] = _document_ref


@st.composite
def _document_refs(draw: DrawFn, ctx: _Context) -> DocumentRef:
    return _document_ref(draw, ctx)


def document_refs(catalogues: Catalogues | None = None) -> SearchStrategy[DocumentRef]:
    """References to documents: numbered (``14/2011/…``-like) or cited by title only."""
    _check_drawable(DocumentRef)
    return _document_refs(_Context(catalogues=catalogues))


def signatories() -> SearchStrategy[Signatory]:
    """Signatories (name, position, signing capacity, each optional)."""
    return from_model(Signatory)


def _dated(
    draw: DrawFn, ctx: _Context, day: dt.date | None, *, free: bool = False
) -> DocumentRef | None:
    """A document reference dated ``day`` (undated when None; any date if ``free``), or none."""
    if draw(_booleans):
        return None
    ref = _document_ref(draw, ctx)
    return ref if free else attrs.evolve(ref, date=day)


def _plan_metadata(draw: DrawFn, ctx: _Context, languages: Sequence[str]) -> PlanMetadata:
    # The date of signing comes first: the issuing decision bears it (EGP801), the
    # submission it answers is no later (EGP802), it takes effect no earlier (EGP803).
    date = _date_in(draw, ctx.period) if draw(_booleans) else None
    issued_with = _dated(draw, ctx, date if draw(_booleans) else None, free=date is None)
    signed = date if issued_with is None or issued_with.date is None else issued_with.date
    submitted = None
    if signed is not None and draw(_booleans):
        submitted = signed - dt.timedelta(days=draw(st.integers(0, 90)))
    submission = _dated(draw, ctx, submitted, free=signed is None)
    entry = None
    if draw(_booleans):
        days: int | None = draw(st.integers(0, 60))
        on = None
        if signed is not None and days is not None and draw(_booleans):
            on, days = signed + dt.timedelta(days=days), None
        entry = _build(draw, EntryIntoForce, ctx, days_after_signing=days, date=on)
    return _build(
        draw,
        PlanMetadata,
        ctx,
        kind=_pick(draw, ctx.codes("document_kinds")),
        language=_pick(draw, languages),
        date=date,
        issued_with=issued_with,
        submission=submission,
        entry_into_force=entry,
    )


@st.composite
def _plan_metadatas(draw: DrawFn, ctx: _Context) -> PlanMetadata:
    return _plan_metadata(draw, ctx, ctx.locales)


def plan_metadata(catalogues: Catalogues | None = None) -> SearchStrategy[PlanMetadata]:
    """What a plan states about itself: kind, title, reference, date, place, signatory."""
    _check_drawable(PlanMetadata)
    return _plan_metadatas(_Context(catalogues=catalogues))


def _citation(
    draw: DrawFn,
    ctx: _Context,
    task_ids: Sequence[str],
    objective_ids: Sequence[str],
    annex_ids: Sequence[str],
) -> Citation:
    task = _maybe(draw, task_ids)
    objective = _maybe(draw, objective_ids)
    annex = _maybe(draw, annex_ids)
    # Where it is cited: a part of the plan, or at least the place as written (EGP805).
    placed = (task, objective, annex) != (None, None, None)
    at = draw(_maybe_texts) if placed else draw(_short_texts)
    return _build(draw, Citation, ctx, task=task, objective=objective, annex=annex, at=at)


@st.composite
def _citations_strategy(draw: DrawFn, ctx: _Context, refs: tuple[tuple[str, ...], ...]) -> Citation:
    return _citation(draw, ctx, *refs)


def citations(
    *,
    task_ids: Sequence[str] = (),
    objective_ids: Sequence[str] = (),
    annex_ids: Sequence[str] = (),
    catalogues: Catalogues | None = None,
) -> SearchStrategy[Citation]:
    """Documents cited in a plan's body, where: a task, objective or annex of the ids given,
    else (and now and then besides) the place as written ("II.4.2").

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, deadline=None)
    ... @given(citations(task_ids=("t-1",)))
    ... def check(citation):
    ...     assert citation.task in (None, "t-1") and citation.objective is None
    ...     assert citation.at is not None or citation.task is not None
    >>> check()
    """  # noqa: D205
    _check_drawable(Citation)
    refs = (tuple(task_ids), tuple(objective_ids), tuple(annex_ids))
    return _citations_strategy(_Context(catalogues=catalogues), refs)


def _annex(draw: DrawFn, ctx: _Context, id: str | None) -> Annex:
    return _build(draw, Annex, ctx, id=_id(draw, id))


def annexes(
    *, id: str | None = None, locales: Sequence[str] = ("vi", "en")
) -> SearchStrategy[Annex]:
    """Annexes: a label, a title (text, or text in some of ``locales``), prose."""
    _check_drawable(Annex)
    ctx = _Context(locales=tuple(locales))
    return st.composite(lambda draw: _annex(draw, ctx, id))()


# --- times, recurrences, schedules --------------------------------------------------------------


def _when_of(draw: DrawFn, day: dt.date, by: bool) -> When:
    """A year, quarter, month or day holding ``day``."""
    granularity = draw(st.integers(0, 3))
    if granularity == 0:
        return When(day.year, by=by)
    if granularity == 1:
        return When(day.year, quarter=(day.month - 1) // 3 + 1, by=by)
    if granularity == 2:
        return When(day.year, month=day.month, by=by)
    return When(day.year, month=day.month, day=day.day, by=by)


def _when_in_years(draw: DrawFn, first: int, last: int) -> When:
    """A time or a deadline of any granularity in a year of ``first..last``."""
    year = draw(st.integers(first, last))
    month = draw(st.integers(1, 12))
    day = dt.date(year, month, draw(st.integers(1, calendar.monthrange(year, month)[1])))
    return _when_of(draw, day, draw(_booleans))


@st.composite
def _whens(draw: DrawFn, first: int, last: int) -> When:
    return _when_in_years(draw, first, last)


def whens(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> SearchStrategy[When]:
    """Times and deadlines (a year, quarter, month or day) in ``first_year..last_year``.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, deadline=None)
    ... @given(whens(2021, 2025))
    ... def check(when):
    ...     assert 2021 <= when.year <= 2025
    >>> check()
    """
    return _whens(first_year, last_year)


def _draw_when(draw: DrawFn, ctx: _Context) -> When:
    # A field holding a time, drawn from its type: a time holding a day of the period.
    return _when_of(draw, _date_in(draw, ctx.period), draw(_booleans))


_DRAWN_BY[When] = _draw_when


def _recurrence(draw: DrawFn, ctx: _Context, within: Period) -> Recurrence:
    """Every 1 or more units of ``data/recurrence.toml``, no longer than ``within``."""
    span = len(within.quarter_list) * 3
    fitting = []
    for unit in recurrence_units():
        months = Recurrence(unit=unit).months
        most = 52 if months is None else span // months
        if most >= 1:
            fitting.append((unit, most))
    unit, most = _pick(draw, fitting)
    return _build(
        draw, Recurrence, ctx, unit=unit, interval=draw(st.integers(1, max(1, min(most, 12))))
    )


_DRAWN_BY[Recurrence] = lambda draw, ctx: _recurrence(draw, ctx, ctx.period)


def recurrences(period: Period | None = None) -> SearchStrategy[Recurrence]:
    """Recurrences of a known unit, every 1 or more, no longer than ``period``."""
    return from_model(Recurrence, period=period)


def _schedule(draw: DrawFn, ctx: _Context) -> Schedule:
    period = _period_in(draw, ctx.period) if draw(_booleans) else None
    within = ctx.period if period is None else period
    first, second = sorted((_date_in(draw, within), _date_in(draw, within)))
    # The start holds the earlier day, the deadline the later: the start is never later.
    start = _when_of(draw, first, by=False) if draw(_booleans) else None
    deadline = _when_of(draw, second, draw(_booleans)) if draw(_booleans) else None
    recurrence = _recurrence(draw, ctx, within) if draw(st.integers(0, 3)) == 0 else None
    return _build(
        draw,
        Schedule,
        ctx,
        period=period,
        start=start,
        deadline=deadline,
        recurrence=recurrence,
    )


_DRAWN_BY[Schedule] = _schedule


# --- agencies ------------------------------------------------------------------------------------


def levels(
    level_set: str | None = None, catalogues: Catalogues | None = None
) -> SearchStrategy[tuple[Level, ...]]:
    """The levels of a level set of the catalogues (a random set unless one is named)."""
    cats = Catalogues.default() if catalogues is None else catalogues
    names = (level_set,) if level_set is not None else cats.level_sets.codes
    return st.sampled_from(names).map(cats.level_set)


def _agency(
    draw: DrawFn,
    ctx: _Context,
    id: str | None,
    level_ids: Sequence[str],
    parent_ids: Sequence[str],
) -> Agency:
    return _build(
        draw,
        Agency,
        ctx,
        id=_id(draw, id),
        kind=_pick(draw, ctx.codes("agency_kinds")),
        level=_maybe(draw, level_ids),
        parent=_maybe(draw, parent_ids),
    )


@st.composite
def _agencies(
    draw: DrawFn,
    ctx: _Context,
    id: str | None,
    level_ids: tuple[str, ...],
    parent_ids: tuple[str, ...],
) -> Agency:
    return _agency(draw, ctx, id, level_ids, parent_ids)


def agencies(
    *,
    id: str | None = None,
    level_ids: Sequence[str] = (),
    parent_ids: Sequence[str] = (),
    catalogues: Catalogues | None = None,
) -> SearchStrategy[Agency]:
    """Agencies (with ``id`` if given) whose level and parent come from the ids given."""
    _check_drawable(Agency)
    return _agencies(_Context(catalogues=catalogues), id, tuple(level_ids), tuple(parent_ids))


# --- funding -------------------------------------------------------------------------------------


def _words(draw: DrawFn, amount: Money, vietnamese: bool = True) -> str | None:
    """The amount in Vietnamese words, as documents write it, or ``None``.

    ``None`` too when ``vietnamese`` is false: a plan drawn without Vietnamese writes
    no Vietnamese words.
    """
    if (
        not vietnamese
        or amount.currency != "VND"
        or amount.amount != amount.amount.to_integral_value()
    ):
        return None
    try:
        from egovplan.words import amount_to_words
    except ImportError:  # pragma: no cover - words are part of egovplan
        return None
    style = draw(st.integers(0, 3))
    if style == 0:
        return None
    words = amount_to_words(int(amount.amount), locale="vi")
    if style == 1:
        return words
    capitalised = words[:1].upper() + words[1:]
    return capitalised if style == 2 else f"{capitalised} đồng"


def _funding_source(draw: DrawFn, ctx: _Context, id: str | None, max_value: int) -> FundingSource:
    # Now and then a source named without an amount ("bank loans"), or of no kind.
    unstated = draw(st.integers(0, 7)) == 0
    amount = None if unstated else _money(draw, ctx.currency, 0, max_value)
    kinds = ctx.codes("funding_source_kinds")
    return _build(
        draw,
        FundingSource,
        ctx,
        id=_id(draw, id),
        kind=None if draw(st.integers(0, 7)) == 0 else _pick(draw, kinds),
        amount=amount,
        amount_in_words=None if amount is None else _words(draw, amount, "vi" in ctx.locales),
    )


@st.composite
def _funding_sources(draw: DrawFn, ctx: _Context, id: str | None, max_value: int) -> FundingSource:
    return _funding_source(draw, ctx, id, max_value)


def funding_sources(
    currency: str = "VND",
    *,
    id: str | None = None,
    catalogues: Catalogues | None = None,
    max_value: int = 10**13,
) -> SearchStrategy[FundingSource]:
    """Funding sources in ``currency``, with the amount in words when it can be written."""
    _check_drawable(FundingSource)
    return _funding_sources(_Context(currency=currency, catalogues=catalogues), id, max_value)


def _budget_line(
    draw: DrawFn,
    ctx: _Context,
    id: str | None,
    source_ids: Sequence[str],
    years: Sequence[int],
    agency_ids: Sequence[str],
    task_ids: Sequence[str],
    objective_ids: Sequence[str],
    amount: Money | None,
) -> BudgetLine:
    year = _maybe(draw, years) if years else draw(st.none() | st.integers(FIRST_YEAR, LAST_YEAR))
    # Now and then a quarter of the line's year (a period inside it, as EGP211 asks), in
    # a year the plan's period covers whole (one strictly between its first and last).
    period = None
    inner = year is not None and len(years) > 2 and min(years) < year < max(years)
    if inner and year is not None and draw(st.integers(0, 7)) == 0:
        period = Period.quarter(year, draw(st.integers(1, 4)))
    return _build(
        draw,
        BudgetLine,
        ctx,
        id=_id(draw, id),
        source=_pick(draw, source_ids),
        year=year,
        period=period,
        agency=_maybe(draw, agency_ids),
        task=_maybe(draw, task_ids),
        objective=_maybe(draw, objective_ids),
        amount=_money(draw, ctx.currency, 0, 10**12) if amount is None else amount,
    )


@st.composite
def _budget_lines(draw: DrawFn, ctx: _Context, *args: Any) -> BudgetLine:
    return _budget_line(draw, ctx, *args)


def budget_lines(
    currency: str = "VND",
    *,
    id: str | None = None,
    source_ids: Sequence[str] = ("source",),
    years: Sequence[int] = (),
    agency_ids: Sequence[str] = (),
    task_ids: Sequence[str] = (),
    objective_ids: Sequence[str] = (),
) -> SearchStrategy[BudgetLine]:
    """Budget lines whose references are drawn from the ids given (or left empty)."""
    _check_drawable(BudgetLine)
    return _budget_lines(
        _Context(currency=currency),
        id,
        tuple(source_ids),
        tuple(years),
        tuple(agency_ids),
        tuple(task_ids),
        tuple(objective_ids),
        None,
    )


#: The comparators a spending rule may have (``between`` needs two percents: EGP214).
_RULE_COMPARATORS: Final = tuple(c for c in Comparator if c is not Comparator.BETWEEN)


def _rule_amount(draw: DrawFn, comparator: Comparator, base: int, hundredths: int) -> int | None:
    """Minor units that compare with ``hundredths`` / 100 % of ``base`` minor units as
    ``comparator`` says (EGP209, EGP212, EGP213), or None when none can.

    Whole numbers only: ``base * hundredths / 10000`` is the share, exactly.
    """  # noqa: D205
    floor, left = divmod(base * hundredths, 10000)
    ceiling = floor + (left > 0)
    more = draw(st.integers(0, 10**6))
    if comparator is Comparator.GE:
        return ceiling + more
    if comparator is Comparator.GT:
        return floor + 1 + more
    if comparator is Comparator.LE:
        return floor - min(more, floor)
    if comparator is Comparator.LT:
        return None if ceiling == 0 else ceiling - 1 - min(more, ceiling - 1)
    # Exactly: the floor's share of the base is within 100 / base % of the percent, which
    # rounds to it at two places when the base has 20000 minor units or more.
    return floor if base == 0 or base >= 20000 else None


def _spending_rule(
    draw: DrawFn,
    ctx: _Context,
    id: str | None,
    refs: tuple[Sequence[str], Sequence[str], Sequence[str]] = ((), (), ()),
) -> SpendingRule:
    """A rule that is met, naming ids of ``refs`` (agencies, levels, sources)."""
    agency_ids, level_ids, source_ids = refs
    currency = ctx.currency
    comparator = _pick(draw, _RULE_COMPARATORS)
    hundredths = draw(st.integers(0, 10000)) if draw(st.integers(0, 3)) else None
    base = _money(draw, currency, 0, 10**13) if draw(_booleans) else None
    amount = _money(draw, currency, 0, 10**12) if draw(_booleans) else None
    if base is not None and amount is not None and hundredths is not None:
        units = _rule_amount(draw, comparator, base.minor_units, hundredths)
        amount = None if units is None else Money.from_minor_units(units, currency)
    return _build(
        draw,
        SpendingRule,
        ctx,
        id=_id(draw, id),
        comparator=comparator,
        percent=None if hundredths is None else Decimal(hundredths).scaleb(-2),
        base=base,
        amount=amount,
        base_kind=_maybe(draw, ctx.codes("spending_bases")),
        agencies=_subset(draw, agency_ids, 2),
        levels=_subset(draw, level_ids, 2),
        sources=_subset(draw, source_ids, 2),
        cadence=_maybe(draw, ctx.codes("cadences")),
        decided_by=_maybe(draw, agency_ids) if draw(_booleans) else None,
    )


@st.composite
def _spending_rules(draw: DrawFn, ctx: _Context, id: str | None, refs: Any) -> SpendingRule:
    return _spending_rule(draw, ctx, id, refs)


def spending_rules(
    currency: str = "VND",
    *,
    id: str | None = None,
    agency_ids: Sequence[str] = (),
    level_ids: Sequence[str] = (),
    source_ids: Sequence[str] = (),
    catalogues: Catalogues | None = None,
) -> SearchStrategy[SpendingRule]:
    """Spending rules that are met whenever the base, the percent and the amount are stated.

    The amount compares with the percent of the base as the rule's comparator says (never
    ``between``); agencies, levels and sources are drawn from the ids given; the base's
    kind and the cadence are codes of the catalogues.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20, deadline=None)
    ... @given(spending_rules(agency_ids=("stttt",)))
    ... def check(rule):
    ...     if rule.required is not None and rule.amount is not None:
    ...         assert rule.comparator.holds(rule.amount.amount, rule.required.amount) or (
    ...             rule.comparator.code == "eq")
    ...     assert set(rule.agencies) <= {"stttt"} and rule.decided_by in (None, "stttt")
    >>> check()
    """
    _check_drawable(SpendingRule)
    refs = (tuple(agency_ids), tuple(level_ids), tuple(source_ids))
    return _spending_rules(_Context(currency=currency, catalogues=catalogues), id, refs)


def _exchange_rates(draw: DrawFn, ctx: _Context, most: int) -> tuple[ExchangeRate, ...]:
    """Up to ``most`` rates between known currencies, one per pair and day (EGP215)."""
    currencies = tuple(dict.fromkeys((ctx.currency, *_CURRENCIES)))
    found: list[ExchangeRate] = []
    days: set[tuple[frozenset[str], dt.date]] = set()
    for _ in range(draw(st.integers(0, most))):
        base, quote = draw(st.permutations(currencies))[:2]
        if draw(_booleans):  # most often the plan's own currency and another
            base, quote = (ctx.currency, base if base != ctx.currency else quote)
        rate = _build(draw, ExchangeRate, ctx, base=base, quote=quote)
        key = (frozenset((base, quote)), rate.date)
        if key not in days:
            days.add(key)
            found.append(rate)
    return tuple(found)


@st.composite
def _exchange_rates_strategy(draw: DrawFn, ctx: _Context, most: int) -> tuple[ExchangeRate, ...]:
    return _exchange_rates(draw, ctx, most)


def exchange_rates(
    currency: str = "VND", *, period: Period | None = None, max_size: int = 3
) -> SearchStrategy[tuple[ExchangeRate, ...]]:
    """Rates between ``currency`` (mostly) and other currencies, dated in ``period``, no
    two between the same currencies on the same day (which could disagree: EGP215).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, deadline=None)
    ... @given(exchange_rates("EUR"))
    ... def check(rates):
    ...     assert all(rate.rate > 0 and rate.base != rate.quote for rate in rates)
    >>> check()
    """  # noqa: D205
    minor_digits(currency)  # fail early on an unknown currency
    _check_drawable(ExchangeRate)
    ctx = _Context(currency=currency, period=_DEFAULT.period if period is None else period)
    return _exchange_rates_strategy(ctx, max_size)


def _shares(amounts: Sequence[tuple[str, Money]]) -> tuple[tuple[str, Decimal], ...]:
    whole = sum((amount.amount for _, amount in amounts), Decimal(0))
    cent = Decimal("0.01")
    return tuple(
        (sid, (amount.amount * 100 / whole).quantize(cent, rounding=ROUND_HALF_EVEN))
        for sid, amount in amounts
    )


def _funding(
    draw: DrawFn,
    ctx: _Context,
    years: Sequence[int],
    agency_ids: Sequence[str],
    task_ids: Sequence[str],
    objective_ids: Sequence[str],
    max_sources: int,
    max_lines: int,
    level_ids: Sequence[str] = (),
) -> Funding:
    currency = ctx.currency
    source_ids = _unique_ids(draw, draw(st.integers(0, max_sources)))
    sources = tuple(_funding_source(draw, ctx, sid, 10**13) for sid in source_ids)
    stated = [(s.id, s.amount) for s in sources if s.amount is not None]
    total: Money | None = None
    if stated and draw(st.integers(0, 3)) > 0:
        # With sources that state no amount, the total covers them too: more than the
        # stated amounts.
        total = sum((amount for _, amount in stated[1:]), stated[0][1])
        if len(stated) < len(sources):
            total += _money(draw, currency, 0, 10**12)
    lines: list[BudgetLine] = []
    line_ids = iter(_unique_ids(draw, max_lines))
    for source in sources:
        left = 10**12 if source.amount is None else source.amount.minor_units
        for _ in range(draw(st.integers(0, 3))):
            if len(lines) >= max_lines:
                break
            units = draw(st.integers(0, left))
            left -= units
            line = _budget_line(
                draw,
                ctx,
                next(line_ids),
                (source.id,),
                years,
                agency_ids,
                task_ids,
                objective_ids,
                Money.from_minor_units(units, currency),
            )
            lines.append(line)
    whole = sum((amount.amount for _, amount in stated), Decimal(0))
    complete = len(stated) == len(sources)
    shares = _shares(stated) if complete and whole > 0 and draw(_booleans) else ()
    rule_ids = _unique_ids(draw, draw(st.integers(0, 2)))
    rule_refs = (agency_ids, level_ids, tuple(source.id for source in sources))
    return _build(
        draw,
        Funding,
        ctx,
        total=total,
        total_in_words=None if total is None else _words(draw, total),
        sources=sources,
        lines=tuple(lines),
        stated_shares=shares,
        rules=tuple(_spending_rule(draw, ctx, rid, rule_refs) for rid in rule_ids),
        exchange_rates=_exchange_rates(draw, ctx, 2),
    )


@st.composite
def _fundings(draw: DrawFn, ctx: _Context, *args: Any) -> Funding:
    return _funding(draw, ctx, *args)


def funding(
    currency: str = "VND",
    *,
    years: Sequence[int] = (),
    agency_ids: Sequence[str] = (),
    task_ids: Sequence[str] = (),
    objective_ids: Sequence[str] = (),
    max_sources: int = 5,
    max_lines: int = 8,
    catalogues: Catalogues | None = None,
    level_ids: Sequence[str] = (),
) -> SearchStrategy[Funding]:
    """Consistent funding: total = sum of sources, lines within their sources and years.

    Stated shares, when drawn, are the sources' exact shares rounded to 0.01 %. Spending
    rules are met and name the sources and the ids given; exchange rates (between
    ``currency`` and others: every amount is in ``currency``) never disagree.
    """
    _check_drawable(Funding)
    return _fundings(
        _Context(currency=currency, catalogues=catalogues),
        tuple(years),
        tuple(agency_ids),
        tuple(task_ids),
        tuple(objective_ids),
        max_sources,
        max_lines,
        tuple(level_ids),
    )


# --- flows ---------------------------------------------------------------------------------------


def _flow_times(draw: DrawFn, period: Period) -> dict[str, Any]:
    """A flow's year, period and day: in ``period``, and agreeing with each other."""
    whole = tuple(year for year in period.year_list if period.is_whole_years_of(year))
    year: int | None = None
    within: Period | None = None
    day: dt.date | None = None
    form = draw(st.integers(0, 5))
    if form == 1:
        day = _date_in(draw, period)
    elif form == 2:
        within = _period_in(draw, period)
        day = _date_in(draw, within) if draw(_booleans) else None
    elif form >= 3 and whole:
        year = _pick(draw, whole)
        if form == 4:
            within = Period.quarter(year, draw(st.integers(1, 4)))
        if form == 5 or (form == 4 and draw(_booleans)):
            day = _date_in(draw, Period.year(year) if within is None else within)
    return {"year": year, "period": within, "date": day}


def _flow(
    draw: DrawFn,
    ctx: _Context,
    id: str | None,
    refs: tuple[Sequence[str], Sequence[str], Sequence[str], Sequence[str]],
    left: dict[str, int | None],
) -> Flow:
    """A flow naming ids of ``refs`` (sources, agencies, tasks, objectives).

    ``left`` holds what each source may still spend, in minor units: a flow of a kind that
    counts as spent takes no more than that, and what it takes is no longer left. A source
    it lacks has no bound (nothing is planned to compare with); one it holds as None is
    spent from by no flow (what it plans is its budget lines, which may change).
    """
    source_ids, agency_ids, task_ids, objective_ids = refs
    kind = _pick(draw, ctx.codes("flow_kinds"))
    source = _maybe(draw, source_ids)
    spent = kind in spent_kinds(ctx.catalogues)
    if spent and source is not None and source in left and left[source] is None:
        source = None
    bound = None if source is None else left.get(source)
    if spent and source is not None and bound is not None:
        units = draw(st.integers(0, bound))
        left[source] = bound - units
    else:  # a negative amount is a return or a correction
        units = draw(st.integers(-(10**9), 10**12))
    return _build(
        draw,
        Flow,
        ctx,
        id=_id(draw, id),
        kind=kind,
        source=source,
        agency=_maybe(draw, agency_ids),
        task=_maybe(draw, task_ids),
        objective=_maybe(draw, objective_ids),
        amount=Money.from_minor_units(units, ctx.currency),
        **_flow_times(draw, ctx.period),
    )


def _plan_flows(
    draw: DrawFn,
    ctx: _Context,
    plan_funding: Funding,
    refs: tuple[Sequence[str], Sequence[str], Sequence[str]],
    max_flows: int,
) -> tuple[Flow, ...]:
    """Flows of the plan: what each source spends is no more than its amount (EGP228).

    No flow spends from a source planned as its budget lines only: changing a line would
    then change what the source plans.
    """
    left: dict[str, int | None] = {}
    with_lines = {line.source for line in plan_funding.lines}
    for source in plan_funding.sources:
        if source.amount is not None:
            left[source.id] = source.amount.minor_units
        elif source.id in with_lines:
            left[source.id] = None  # planned as its lines: spent from by no flow
    source_ids = tuple(source.id for source in plan_funding.sources)
    flow_ids = _unique_ids(draw, _count(draw, 0, max_flows))
    return tuple(_flow(draw, ctx, fid, (source_ids, *refs), left) for fid in flow_ids)


@st.composite
def _flows(draw: DrawFn, ctx: _Context, id: str | None, refs: Any) -> Flow:
    return _flow(draw, ctx, id, refs, {})


def flows(
    currency: str = "VND",
    *,
    id: str | None = None,
    source_ids: Sequence[str] = (),
    agency_ids: Sequence[str] = (),
    task_ids: Sequence[str] = (),
    objective_ids: Sequence[str] = (),
    period: Period | None = None,
    catalogues: Catalogues | None = None,
) -> SearchStrategy[Flow]:
    """Flows of money of a kind of the catalogue, in ``period``, naming the ids given.

    A flow's year, day and period agree and lie in ``period``; its amount may be
    negative (a return). :func:`plans` further keeps what each source spends within what
    it plans.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10, deadline=None)
    ... @given(flows(period=Period.years(2021, 2025), source_ids=("central",)))
    ... def check(flow):
    ...     assert flow.source in (None, "central") and flow.amount.currency == "VND"
    ...     assert flow.year is None or 2021 <= flow.year <= 2025
    >>> check()
    """
    minor_digits(currency)  # fail early on an unknown currency
    _check_drawable(Flow)
    ctx = _Context(
        currency=currency,
        period=Period.years(2018, 2025) if period is None else period,
        catalogues=catalogues,
    )
    refs = (tuple(source_ids), tuple(agency_ids), tuple(task_ids), tuple(objective_ids))
    return _flows(ctx, id, refs)


# --- objectives and targets ----------------------------------------------------------------------


def _baseline(draw: DrawFn, ctx: _Context, unit: str) -> Baseline:
    value = _decimal(draw, 0, 100, 1) if unit == PERCENT else _decimal(draw, 0, 10**6, 2)
    return _build(draw, Baseline, ctx, value=value)


@st.composite
def _baselines(draw: DrawFn, unit: str) -> Baseline:
    return _baseline(draw, _DEFAULT, unit)


def baselines(unit: str = PERCENT) -> SearchStrategy[Baseline]:
    """Baselines; percentages stay within 0–100."""
    _check_drawable(Baseline)
    return _baselines(unit)


def _level_target(draw: DrawFn, ctx: _Context, level: str, counts: str | None) -> LevelTarget:
    comparator = draw(st.none() | st.sampled_from(Comparator))
    value, upper = _decimal(draw, 0, 100, 0), None
    if comparator is Comparator.BETWEEN:
        value, upper = sorted((value, _decimal(draw, 0, 100, 0)))
    return _build(
        draw,
        LevelTarget,
        ctx,
        level=level,
        counts=counts,
        comparator=comparator,
        value=value,
        upper=upper,
    )


def _by_level(draw: DrawFn, ctx: _Context, level_ids: Sequence[str]) -> tuple[LevelTarget, ...]:
    """Entries for some of ``level_ids``, each level with one or two counted things."""
    counted = ctx.codes("counted")
    entries = []
    for level in _subset(draw, level_ids, len(level_ids)) or (level_ids[0],):
        things: tuple[str | None, ...] = _subset(draw, counted, 2) if counted else ()
        for counts in things or (None,):
            entries.append(_level_target(draw, ctx, level, counts))
    return tuple(entries)


def _qualifiers(draw: DrawFn, ctx: _Context) -> tuple[str, ...]:
    """Codes of the ``target_qualifiers`` catalogue, one of each group at most."""
    return tuple(_pick(draw, codes) for codes in ctx.groups("target_qualifiers") if draw(_booleans))


def _target(
    draw: DrawFn,
    ctx: _Context,
    id: str | None,
    level_ids: Sequence[str],
    deadlines: tuple[int, int],
    indicator_ids: Sequence[str],
    earlier: list[str] | None = None,
) -> Target:
    """A target of any shape; ``earlier`` are the plan's targets drawn before (it joins them)."""
    shape = _pick(draw, _TARGET_SHAPES)
    if shape == "per_level" and not level_ids:
        shape = "value"
    fields: dict[str, Any] = {
        "unit": PERCENT,
        "comparator": Comparator.EQ,
        "kind": TargetKind.QUANTITATIVE,
    }
    if shape == "value":
        fields.update(comparator=_pick(draw, _NON_RANGE), value=_decimal(draw, 0, 100, 1))
    elif shape == "range":
        low, high = sorted((_decimal(draw, 0, 100, 1), _decimal(draw, 0, 100, 1)))
        fields.update(comparator=Comparator.BETWEEN, value=low, upper=high)
    elif shape == "per_level":
        fields.update(
            by_level=_by_level(draw, ctx, level_ids),
            comparator=_pick(draw, (Comparator.EQ, Comparator.GE)),
        )
    elif shape == "rank":
        fields.update(unit=RANK, comparator=Comparator.LE, value=Decimal(draw(st.integers(1, 63))))
    elif shape == "parts":
        numbers = draw(st.lists(st.integers(0, 500), min_size=1, max_size=4))
        parts = tuple(_build(draw, TargetPart, ctx, value=Decimal(n)) for n in numbers)
        fields.update(
            unit=_pick(draw, COUNT_UNITS),
            comparator=_pick(draw, (Comparator.EQ, Comparator.GE)),
            value=Decimal(sum(numbers)),
            parts=parts,
        )
    elif shape == "items":
        items = tuple(draw(st.lists(_short_texts, min_size=1, max_size=6)))
        fields.update(unit=_pick(draw, COUNT_UNITS), value=Decimal(len(items)), items=items)
    elif shape == "qualitative":
        # Words only, or an event: no number to meet, and no unit.
        fields.update(unit="", kind=_pick(draw, (TargetKind.QUALITATIVE, TargetKind.MILESTONE)))
    else:
        fields.update(
            unit=_pick(draw, RATIO_UNITS),
            comparator=_pick(draw, (Comparator.GE, Comparator.EQ, Comparator.GT)),
            value=_decimal(draw, 0, 1000, 2),
        )
    unit = fields["unit"]
    fields.setdefault("value", None)
    fields.setdefault("upper", None)
    fields.setdefault("by_level", ())
    fields.setdefault("parts", ())
    fields.setdefault("items", ())
    target_id = _id(draw, id)
    refs: tuple[TargetRef, ...] = ()
    if ctx.plan_id is not None and earlier is not None:
        refs = tuple(
            _build(draw, TargetRef, ctx, plan=ctx.plan_id, target=other)
            for other in _subset(draw, earlier, 2)
        )
        earlier.append(target_id)
    quantified = fields["kind"] is TargetKind.QUANTITATIVE and unit != RANK
    return _build(
        draw,
        Target,
        ctx,
        id=target_id,
        deadline=_when_in_years(draw, *deadlines) if draw(_booleans) else None,
        baseline=_baseline(draw, ctx, unit) if quantified and draw(_booleans) else None,
        indicator=_maybe(draw, indicator_ids),
        qualifiers=_qualifiers(draw, ctx) if draw(_booleans) else (),
        contributes_to=refs,
        **fields,
    )


@st.composite
def _targets(draw: DrawFn, *args: Any) -> Target:
    return _target(draw, _DEFAULT, *args)


def targets(
    *,
    id: str | None = None,
    level_ids: Sequence[str] = ("province", "district", "commune"),
    deadlines: tuple[int, int] = (2020, 2030),
    indicator_ids: Sequence[str] = (),
) -> SearchStrategy[Target]:
    """Targets of every shape: single values, ranges, per-level, ranks, breakdowns, lists, words.

    Deadlines (when set) lie in the ``deadlines`` range of years; ``by_level`` levels come
    from ``level_ids``, each with its own comparator or the target's, and what it counts
    from the ``counted`` catalogue; every quantitative target has a unit (a qualitative
    one or a milestone states no number); breakdowns add up and listed counts match;
    qualifiers are codes of the catalogue, one per group at most.
    """
    _check_drawable(Target)
    return _targets(id, tuple(level_ids), deadlines, tuple(indicator_ids))


def _objective(
    draw: DrawFn,
    ctx: _Context,
    prefix: str,
    max_depth: int,
    level_ids: Sequence[str],
    deadlines: tuple[int, int],
    indicator_ids: Sequence[str],
    earlier: list[str] | None = None,
) -> Objective:
    counter = iter(range(10**9))
    slug = f"{prefix}{draw(_slugs)}"

    def one(depth: int) -> Objective:
        found = tuple(
            _target(
                draw,
                ctx,
                f"{slug}-t{next(counter)}",
                level_ids,
                deadlines,
                indicator_ids,
                earlier,
            )
            for _ in range(draw(st.integers(0, 3)))
        )
        n_children = draw(st.integers(0, 2)) if depth < max_depth else 0
        return _build(
            draw,
            Objective,
            ctx,
            id=f"{slug}-o{next(counter)}",
            targets=found,
            children=tuple(one(depth + 1) for _ in range(n_children)),
        )

    return one(1)


@st.composite
def _objectives(draw: DrawFn, *args: Any) -> Objective:
    return _objective(draw, _DEFAULT, "", *args)


def objectives(
    *,
    max_depth: int = 2,
    level_ids: Sequence[str] = ("province", "district", "commune"),
    deadlines: tuple[int, int] = (2020, 2030),
    indicator_ids: Sequence[str] = (),
) -> SearchStrategy[Objective]:
    """Objectives nested up to ``max_depth`` levels, with unique objective and target ids."""
    _check_drawable(Objective)
    return _objectives(max_depth, tuple(level_ids), deadlines, tuple(indicator_ids))


# --- tasks, reporting ----------------------------------------------------------------------------


def _assignment(draw: DrawFn, agency: str, role: str) -> Assignment:
    return _build(draw, Assignment, _DEFAULT, agency=agency, role=role)


@st.composite
def _assignments(draw: DrawFn, agency_ids: tuple[str, ...], roles: tuple[str, ...]) -> Assignment:
    return _assignment(draw, _pick(draw, agency_ids), _pick(draw, roles))


def assignments(
    agency_ids: Sequence[str] = ("stttt",), catalogues: Catalogues | None = None
) -> SearchStrategy[Assignment]:
    """Assignments of one of ``agency_ids`` to a role of the catalogue."""
    _check_drawable(Assignment)
    return _assignments(tuple(agency_ids), _codes(catalogues, "roles"))


def schedules(period: Period | None = None) -> SearchStrategy[Schedule]:
    """Schedules whose period, start and deadline (when set) lie inside ``period``.

    The start is no later than the deadline, and never a deadline itself; a recurrence is
    no longer than the schedule's period (else ``period``).
    """
    return from_model(Schedule, period=period)


def _task(
    draw: DrawFn,
    ctx: _Context,
    id: str | None,
    agency_ids: Sequence[str],
    objective_ids: Sequence[str],
    indicator_ids: Sequence[str],
    level_ids: Sequence[str] = (),
    deadlines: tuple[int, int] | None = None,
    earlier: list[str] | None = None,
) -> Task:
    roles = ctx.codes("roles")
    others = tuple(code for code in roles if code != LEAD)
    people = _subset(draw, agency_ids, 4) or (agency_ids[0],)
    assigned = [_assignment(draw, people[0], LEAD)]
    assigned += [_assignment(draw, a, _pick(draw, others)) for a in people[1:]]
    task_id = _id(draw, id)
    if deadlines is None:
        deadlines = (ctx.period.first_year, ctx.period.last_year)
    # "<task id>-t<n>": unique among the task's targets, and (holding no ".") never an
    # objective's target's id ("<position>.<slug>-t<n>").
    found = tuple(
        _target(draw, ctx, f"{task_id}-t{n}", level_ids, deadlines, indicator_ids, earlier)
        for n in range(draw(st.integers(0, 2)) if draw(st.integers(0, 2)) == 0 else 0)
    )
    return _build(
        draw,
        Task,
        ctx,
        id=task_id,
        objectives=_subset(draw, objective_ids),
        indicators=_subset(draw, indicator_ids),
        assignments=tuple(draw(st.permutations(assigned))),
        targets=found,
    )


@st.composite
def _tasks(draw: DrawFn, ctx: _Context, *args: Any) -> Task:
    return _task(draw, ctx, *args)


def tasks(
    *,
    id: str | None = None,
    agency_ids: Sequence[str] = ("stttt",),
    objective_ids: Sequence[str] = (),
    indicator_ids: Sequence[str] = (),
    period: Period | None = None,
    catalogues: Catalogues | None = None,
) -> SearchStrategy[Task]:
    """Tasks with exactly one lead (from ``agency_ids``) and other roles besides."""
    _check_drawable(Task)
    ctx = _Context(
        period=Period.years(2018, 2025) if period is None else period, catalogues=catalogues
    )
    return _tasks(ctx, id, tuple(agency_ids), tuple(objective_ids), tuple(indicator_ids))


def _reporting_duty(
    draw: DrawFn, ctx: _Context, id: str | None, agency_ids: Sequence[str]
) -> ReportingDuty:
    cadences = ctx.codes("cadences")
    if draw(_booleans):  # one of each, as format version 1 writes a duty
        refs: dict[str, Any] = {
            "reporter": _pick(draw, agency_ids),
            "recipient": _pick(draw, agency_ids),
            "cadence": _pick(draw, cadences),
            "reporters": (),
            "recipients": (),
            "cadences": (),
            "via": (),
        }
    else:
        refs = {
            "reporter": None,
            "recipient": None,
            "cadence": None,
            "reporters": _subset(draw, agency_ids, 3) or (agency_ids[0],),
            "recipients": _subset(draw, agency_ids, 3) or (agency_ids[0],),
            "cadences": _subset(draw, cadences, 2),
            "via": _subset(draw, agency_ids, 2),
        }
    return _build(draw, ReportingDuty, ctx, id=_id(draw, id), **refs)


@st.composite
def _reporting_duties(draw: DrawFn, ctx: _Context, *args: Any) -> ReportingDuty:
    return _reporting_duty(draw, ctx, *args)


def reporting_duties(
    *,
    id: str | None = None,
    agency_ids: Sequence[str] = ("stttt", "ubnd"),
    catalogues: Catalogues | None = None,
) -> SearchStrategy[ReportingDuty]:
    """Reporting duties between ``agency_ids`` with a cadence of the catalogue."""
    _check_drawable(ReportingDuty)
    return _reporting_duties(_Context(catalogues=catalogues), id, tuple(agency_ids))


# --- indicators, sections ------------------------------------------------------------------------


def _indicator(draw: DrawFn, ctx: _Context, id: str | None) -> Indicator:
    return _build(
        draw,
        Indicator,
        ctx,
        id=_id(draw, id),
        unit=_pick(draw, _INDICATOR_UNITS),
        framework=_maybe(draw, ("vn-ict-index-2016",)),
        group=_maybe(draw, ("ict.infra", "ict.hr", "ict.apps")),
    )


@st.composite
def _indicators(draw: DrawFn, id: str | None) -> Indicator:
    return _indicator(draw, _DEFAULT, id)


def indicators(*, id: str | None = None) -> SearchStrategy[Indicator]:
    """Indicators with a unit and a direction."""
    _check_drawable(Indicator)
    return _indicators(id)


def _observation(
    draw: DrawFn, ctx: _Context, indicator_ids: Sequence[str], years: Sequence[int]
) -> Observation:
    rank = draw(st.none() | st.integers(1, 63))
    ranked = None if rank is None else draw(st.none() | st.integers(rank, 63))
    year = _pick(draw, years) if years else draw(st.integers(FIRST_YEAR, LAST_YEAR))
    return _build(
        draw,
        Observation,
        ctx,
        indicator=_pick(draw, indicator_ids),
        subject=_pick(draw, _SUBJECTS),
        period=Period.year(year),
        rank=rank,
        ranked=ranked,
    )


@st.composite
def _observations(draw: DrawFn, *args: Any) -> Observation:
    return _observation(draw, _DEFAULT, *args)


def observations(
    indicator_ids: Sequence[str] = ("ict",), *, period: Period | None = None
) -> SearchStrategy[Observation]:
    """Observations of ``indicator_ids`` (in years of ``period`` when given)."""
    _check_drawable(Observation)
    years = () if period is None else period.year_list
    return _observations(tuple(indicator_ids), years)


def sections() -> SearchStrategy[Section]:
    """Free-text sections."""
    return from_model(Section)


# --- plans ---------------------------------------------------------------------------------------


def _count(draw: DrawFn, low: int, high: int) -> int:
    return draw(st.integers(low, max(low, high)))


@st.composite
def _plans(
    draw: DrawFn,
    currency: str,
    catalogues: Catalogues | None,
    sizes: tuple[int, int, int, int, int, int],
    years: tuple[int, int],
    speech: tuple[tuple[str, ...], str | None, str | None],
) -> Plan:
    max_agencies, max_tasks, max_objectives, max_sources, max_lines, max_flows = sizes
    locales, language, level_set = speech
    cats = Catalogues.default() if catalogues is None else catalogues
    plan_id = draw(_ids)
    period = _period(draw, *years, whole_years=False)
    ctx = _Context(
        currency=currency,
        locales=locales,
        period=period,
        catalogues=catalogues,
        plan_id=plan_id,
    )
    horizon = draw(st.none() | st.integers(period.last_year + 1, period.last_year + 10))
    set_levels = cats.level_set(
        _pick(draw, cats.level_sets.codes) if level_set is None else level_set
    )
    level_ids = tuple(level.id for level in set_levels)

    agency_ids = _unique_ids(draw, _count(draw, 1, max_agencies))
    plan_agencies = tuple(
        _agency(draw, ctx, aid, level_ids, agency_ids[:i]) for i, aid in enumerate(agency_ids)
    )

    indicator_ids = _unique_ids(draw, _count(draw, 0, 4))
    plan_indicators = tuple(_indicator(draw, ctx, iid) for iid in indicator_ids)
    # One observation per (indicator, subject, period): a repeat that disagrees is EGP702.
    kept: dict[tuple[str, str, Period], Observation] = {}
    for _ in range(_count(draw, 0, 3) if indicator_ids else 0):
        observation = _observation(draw, ctx, indicator_ids, ())
        kept.setdefault(
            (observation.indicator, observation.subject, observation.period), observation
        )
    plan_observations = tuple(kept.values())

    deadlines = (period.first_year, max(period.last_year, horizon or 0))
    earlier: list[str] = []  # the targets drawn so far, which later ones may contribute to
    plan_objectives = tuple(
        _objective(draw, ctx, f"{position}.", 2, level_ids, deadlines, indicator_ids, earlier)
        for position in range(_count(draw, 0, max_objectives))
    )
    objective_ids = [o.id for top in plan_objectives for _, o in top.walk()]

    task_ids = _unique_ids(draw, _count(draw, 0, max_tasks))
    plan_tasks = tuple(
        _task(
            draw,
            ctx,
            tid,
            agency_ids,
            objective_ids,
            indicator_ids,
            level_ids,
            deadlines,
            earlier,
        )
        for tid in task_ids
    )
    plan_funding = _funding(
        draw,
        ctx,
        period.year_list,
        agency_ids,
        task_ids,
        objective_ids,
        max_sources,
        max_lines,
        level_ids,
    )
    plan_flows = _plan_flows(
        draw, ctx, plan_funding, (agency_ids, task_ids, objective_ids), max_flows
    )
    duties = tuple(
        _reporting_duty(draw, ctx, did, agency_ids) for did in _unique_ids(draw, _count(draw, 0, 3))
    )
    annex_ids = _unique_ids(draw, _count(draw, 0, 2))
    plan_annexes = tuple(_annex(draw, ctx, aid) for aid in annex_ids)
    plan_citations = tuple(
        _citation(draw, ctx, task_ids, objective_ids, annex_ids) for _ in range(_count(draw, 0, 2))
    )
    return _build(
        draw,
        Plan,
        ctx,
        id=plan_id,
        metadata=_plan_metadata(draw, ctx, locales if language is None else (language,)),
        period=period,
        horizon=horizon,
        levels=set_levels if draw(_booleans) else (),
        agencies=plan_agencies,
        objectives=plan_objectives,
        tasks=plan_tasks,
        funding=plan_funding,
        flows=plan_flows,
        reporting=duties,
        indicators=plan_indicators,
        observations=plan_observations,
        annexes=plan_annexes,
        citations=plan_citations,
    )


def plans(
    *,
    currency: str = "VND",
    locales: Sequence[str] = ("vi", "en"),
    language: str | None = None,
    level_set: str | None = None,
    catalogues: Catalogues | None = None,
    max_agencies: int = 6,
    max_tasks: int = 5,
    max_objectives: int = 3,
    max_sources: int = 5,
    max_lines: int = 8,
    max_flows: int = 4,
    first_year: int = 2000,
    last_year: int = 2040,
) -> SearchStrategy[Plan]:
    """Valid, internally consistent plans: they validate with no issue at all.

    See the module docs for what "consistent" covers. Sizes are small by default so that
    tests run quickly; raise the ``max_*`` arguments for bigger plans.

    Args:
        currency: the one currency of every amount (ISO 4217).
        locales: the locales names (of agencies, funding sources, indicators) are
            written in, each name in some of them; amounts are written in Vietnamese
            words only when ``"vi"`` is one of them.
        language: the plan's language (``metadata.language``); by default one of
            ``locales``.
        level_set: the level set of the catalogues the plan's levels come from
            (``"vn-2025"``); by default any.
        catalogues: where kinds, roles, cadences and level sets come from.
        max_agencies: the most agencies.
        max_tasks: the most tasks.
        max_objectives: the most top-level objectives.
        max_sources: the most funding sources.
        max_lines: the most budget lines.
        max_flows: the most flows (money that moved).
        first_year: the earliest year of the plan's period.
        last_year: the latest year of the plan's period.

    Raises:
        MoneyError: an unknown currency.
        FieldValueError: no locale.
        UnknownReferenceError: a level set the catalogues lack.
        UndrawableFieldError: a field of a model that no strategy draws (see the module
            docs).

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, deadline=None)
    ... @given(plans(currency="EUR", locales=("es", "en"), language="es", level_set="vn-2025"))
    ... def check(plan):
    ...     assert plan.metadata.language == "es" and plan.funding.currencies <= {"EUR"}
    ...     assert all(set(a.names.locales) <= {"es", "en"} for a in plan.agencies)
    >>> check()
    """
    minor_digits(currency)  # fail early on an unknown currency
    locales = tuple(locales)
    if not locales or not all(isinstance(locale, str) and locale for locale in locales):
        raise FieldValueError(f"plans() locales must be one or more locale tags, not {locales!r}")
    if level_set is not None:  # fail early on a level set the catalogues lack
        (Catalogues.default() if catalogues is None else catalogues).level_set(level_set)
    _check_drawable(Plan)
    sizes = (max_agencies, max_tasks, max_objectives, max_sources, max_lines, max_flows)
    speech = (locales, language, level_set)
    return _plans(currency, catalogues, sizes, (first_year, last_year), speech)


# --- edge values ---------------------------------------------------------------------------------


@functools.cache
def edge_texts(*, max_size: int = 30) -> SearchStrategy[str]:
    """Text of any Unicode letters (every script, outside the Basic Multilingual Plane too),
    in NFC form with single spaces.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20, deadline=None)
    ... @given(edge_texts())
    ... def check(text):
    ...     assert text and text == " ".join(text.split())
    >>> check()
    """  # noqa: D205
    letters = st.characters(categories=["L"])
    words = st.text(letters, min_size=1, max_size=max_size)
    return st.lists(words, min_size=1, max_size=3).map(" ".join).map(_clean).filter(bool)


def _edged(draw: DrawFn, value: Any, scale: int, texts_: SearchStrategy[str]) -> Any:
    """``value`` with its free text redrawn from ``texts_`` and its money scaled.

    Free text is what the strategies draw as text from a field's declaration (titles,
    names, descriptions...), and the few texts drawn by hand whose words are free
    (:data:`_FREE_TEXT_DRAWN`); a model's own validator may refuse the new text, which is
    then kept as it was.
    """
    if isinstance(value, tuple):
        return tuple(_edged(draw, item, scale, texts_) for item in value)
    if isinstance(value, Money):
        return Money(value.amount.scaleb(scale), value.currency)
    if isinstance(value, Labels):
        return Labels({locale: draw(texts_) for locale, _ in value.items()})
    cls = type(value)
    if not attrs.has(cls) or isinstance(value, _VALUE_TYPES):
        return value
    changes: dict[str, Any] = {}
    fields = attrs.fields_dict(cls)
    for slot in _slots(cls):
        current = getattr(value, slot.name)
        if slot.free_text and isinstance(current, str | tuple):
            new = (
                tuple(draw(texts_) for _ in current) if isinstance(current, tuple) else draw(texts_)
            )
            if _accepts(slot.checks, value, fields[slot.name], new):
                changes[slot.name] = new
        elif scale and _marked(_SAYS_AN_AMOUNT, cls, slot.name):
            changes[slot.name] = None  # the words said the unscaled amount
        elif isinstance(current, tuple | Money | Labels) or attrs.has(type(current)):
            changes[slot.name] = _edged(draw, current, scale, texts_)
    return attrs.evolve(value, **changes)


@st.composite
def _edge_plans(draw: DrawFn, base: SearchStrategy[Plan], max_scale: int) -> Plan:
    plan = draw(base)
    scale = draw(st.sampled_from((0, max_scale)) | st.integers(0, max_scale))
    return _edged(draw, plan, scale, edge_texts())  # type: ignore[no-any-return]


def edge_plans(*, max_scale: int = 44, **options: Any) -> SearchStrategy[Plan]:
    """:func:`plans` with the edge values that are valid, for round-trip tests.

    Every free text (titles, names, measures, descriptions, list items, sections) is drawn
    from :func:`edge_texts`: letters of any script. Every amount is multiplied by the same
    power of ten, up to ``10**max_scale``: the default makes amounts of up to 58 digits,
    near the largest :class:`~egovplan.money.Money` holds (``10**60``) and within the
    100 digits of :class:`egovplan.files.Limits`. Scaling keeps totals, lines and spending
    rules consistent; amounts in words are then left out. Optional parts are as often
    empty as :func:`plans` makes them (``max_objectives=0`` and the like make them always
    empty). ``options`` go to :func:`plans`.
    """
    return _edge_plans(plans(**options), max_scale)
