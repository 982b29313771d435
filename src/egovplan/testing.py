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
- target deadlines lie in the period or up to the orientation horizon, which lies after
  the period; percents are within 0–100; breakdowns add up; listed counts match;
- spending rules are met; everything is in one currency.

This module imports :mod:`hypothesis`; ``import egovplan`` never imports it.

>>> from hypothesis import given, settings
>>> @settings(max_examples=5, deadline=None)
... @given(plans())
... def check(plan):
...     assert len({a.id for a in plan.agencies}) == len(plan.agencies)
>>> check()
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal
from typing import Any, Final, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn, SearchStrategy

from egovplan.agency import Agency, Level
from egovplan.catalog import Catalogues
from egovplan.document import DocumentRef, PlanMetadata, Signatory
from egovplan.errors import FieldValueError
from egovplan.funding import (
    BudgetCategory,
    BudgetLine,
    BudgetLineStatus,
    Funding,
    FundingSource,
    SpendingRule,
)
from egovplan.indicator import Indicator, Observation
from egovplan.labels import Labels
from egovplan.money import Money, minor_digits
from egovplan.objective import (
    PERCENT,
    RANK,
    Baseline,
    Comparator,
    Objective,
    ObjectiveKind,
    Target,
    TargetPart,
)
from egovplan.period import Period, Quarter
from egovplan.plan import Plan, Section
from egovplan.reporting import ReportingDuty
from egovplan.task import LEAD, Assignment, Schedule, Task

__all__ = [
    "agencies",
    "assignments",
    "baselines",
    "budget_lines",
    "document_refs",
    "edge_plans",
    "edge_texts",
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
    "reporting_duties",
    "schedules",
    "sections",
    "signatories",
    "spending_rules",
    "targets",
    "tasks",
    "texts",
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
_PLACES: Final = ("Lào Cai", "Quảng Nam", "Bắc Kạn", "Hậu Giang")
_SUBJECTS: Final = ("lao-cai", "quang-nam", "bac-kan", "hau-giang")
_SCHEDULE_TEXTS: Final = ("Quý I-Quý IV", "thường xuyên", "trước ngày 30/3")
_INDICATOR_UNITS: Final = (PERCENT, "per_100_inhabitants", "score", "per_civil_servant")
_NON_RANGE: Final = tuple(c for c in Comparator if c is not Comparator.BETWEEN)
_TARGET_SHAPES: Final = ("value", "range", "per_level", "rank", "parts", "items", "ratio")

# Base strategies, built once: building strategies inside a draw is slow.
_slugs: Final = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6)
_ids: Final = st.tuples(_slugs, st.none() | st.integers(0, 999)).map(
    lambda parts: parts[0] if parts[1] is None else f"{parts[0]}-{parts[1]}"
)
_booleans: Final = st.booleans()
_any_dates: Final = st.dates(dt.date(FIRST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31))
_categories: Final = st.none() | st.sampled_from(BudgetCategory)
_statuses: Final = st.none() | st.sampled_from(BudgetLineStatus)


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


_default_labels: Final = labels()


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


# --- documents ---------------------------------------------------------------------------------


def _document_ref(draw: DrawFn, kinds: tuple[str, ...]) -> DocumentRef:
    numbered = draw(st.integers(0, 4)) > 0
    return DocumentRef(
        kind=_maybe(draw, kinds),
        number=str(draw(st.integers(1, 9999))) if numbered else "",
        year=draw(st.none() | st.integers(FIRST_YEAR, LAST_YEAR)) if numbered else None,
        issuer=_pick(draw, _ISSUERS) if numbered else "",
        date=draw(st.none() | _any_dates),
        issuing_body=draw(_maybe_texts),
        title=draw(_maybe_texts) if numbered else draw(_texts),
    )


@st.composite
def _document_refs(draw: DrawFn, catalogues: Catalogues | None) -> DocumentRef:
    return _document_ref(draw, _codes(catalogues, "document_kinds"))


def document_refs(catalogues: Catalogues | None = None) -> SearchStrategy[DocumentRef]:
    """References to documents: numbered (``14/2011/…``-like) or cited by title only."""
    return _document_refs(catalogues)


def _signatory(draw: DrawFn) -> Signatory:
    return Signatory(
        name=draw(_maybe_texts),
        position=_maybe(draw, ("Chủ tịch", "Phó Chủ tịch", "Giám đốc")),
        capacity=_maybe(draw, ("KT. Chủ tịch", "TM. Ủy ban nhân dân")),
    )


@st.composite
def _signatories(draw: DrawFn) -> Signatory:
    return _signatory(draw)


def signatories() -> SearchStrategy[Signatory]:
    """Signatories (name, position, signing capacity, each optional)."""
    return _signatories()


def _plan_metadata(
    draw: DrawFn, kinds: tuple[str, ...], languages: Sequence[str] = ("vi", "en")
) -> PlanMetadata:
    return PlanMetadata(
        ref=_document_ref(draw, kinds) if draw(_booleans) else None,
        kind=_pick(draw, kinds),
        title=draw(_texts),
        issuing_body=draw(_maybe_texts),
        date=draw(st.none() | _any_dates),
        place=_maybe(draw, _PLACES),
        signatory=_signatory(draw) if draw(_booleans) else None,
        language=_pick(draw, languages),
    )


@st.composite
def _plan_metadatas(draw: DrawFn, catalogues: Catalogues | None) -> PlanMetadata:
    return _plan_metadata(draw, _codes(catalogues, "document_kinds"))


def plan_metadata(catalogues: Catalogues | None = None) -> SearchStrategy[PlanMetadata]:
    """What a plan states about itself: kind, title, reference, date, place, signatory."""
    return _plan_metadatas(catalogues)


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
    id: str | None,
    level_ids: Sequence[str],
    parent_ids: Sequence[str],
    kinds: tuple[str, ...],
    names: SearchStrategy[Labels] | None = None,
) -> Agency:
    return Agency(
        id=_id(draw, id),
        names=draw(_default_labels if names is None else names),
        abbreviation=_maybe(draw, ("STTTT", "VP UBND", "STC", "SNV")),
        kind=_pick(draw, kinds),
        level=_maybe(draw, level_ids),
        parent=_maybe(draw, parent_ids),
        collective=draw(_booleans),
    )


@st.composite
def _agencies(
    draw: DrawFn,
    id: str | None,
    level_ids: tuple[str, ...],
    parent_ids: tuple[str, ...],
    catalogues: Catalogues | None,
) -> Agency:
    return _agency(draw, id, level_ids, parent_ids, _codes(catalogues, "agency_kinds"))


def agencies(
    *,
    id: str | None = None,
    level_ids: Sequence[str] = (),
    parent_ids: Sequence[str] = (),
    catalogues: Catalogues | None = None,
) -> SearchStrategy[Agency]:
    """Agencies (with ``id`` if given) whose level and parent come from the ids given."""
    return _agencies(id, tuple(level_ids), tuple(parent_ids), catalogues)


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


def _funding_source(
    draw: DrawFn,
    currency: str,
    id: str | None,
    kinds: tuple[str, ...],
    max_value: int,
    names: SearchStrategy[Labels] | None = None,
    vietnamese: bool = True,
) -> FundingSource:
    # Now and then a source named without an amount ("bank loans"), or of no kind.
    unstated = draw(st.integers(0, 7)) == 0
    amount = None if unstated else _money(draw, currency, 0, max_value)
    return FundingSource(
        id=_id(draw, id),
        kind=None if draw(st.integers(0, 7)) == 0 else _pick(draw, kinds),
        names=draw(_default_labels if names is None else names),
        amount=amount,
        amount_in_words=None if amount is None else _words(draw, amount, vietnamese),
        category=draw(_categories),
    )


@st.composite
def _funding_sources(
    draw: DrawFn, currency: str, id: str | None, catalogues: Catalogues | None, max_value: int
) -> FundingSource:
    kinds = _codes(catalogues, "funding_source_kinds")
    return _funding_source(draw, currency, id, kinds, max_value)


def funding_sources(
    currency: str = "VND",
    *,
    id: str | None = None,
    catalogues: Catalogues | None = None,
    max_value: int = 10**13,
) -> SearchStrategy[FundingSource]:
    """Funding sources in ``currency``, with the amount in words when it can be written."""
    return _funding_sources(currency, id, catalogues, max_value)


def _budget_line(
    draw: DrawFn,
    currency: str,
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
    return BudgetLine(
        id=_id(draw, id),
        source=_pick(draw, source_ids),
        year=year,
        period=period,
        status=draw(_statuses),
        agency=_maybe(draw, agency_ids),
        task=_maybe(draw, task_ids),
        objective=_maybe(draw, objective_ids),
        category=draw(_categories),
        amount=_money(draw, currency, 0, 10**12) if amount is None else amount,
    )


@st.composite
def _budget_lines(draw: DrawFn, *args: Any) -> BudgetLine:
    return _budget_line(draw, *args)


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
    return _budget_lines(
        currency,
        id,
        tuple(source_ids),
        tuple(years),
        tuple(agency_ids),
        tuple(task_ids),
        tuple(objective_ids),
        None,
    )


def _spending_rule(draw: DrawFn, currency: str, id: str | None) -> SpendingRule:
    percent = _decimal(draw, 0, 100, 2)
    base = _money(draw, currency, 0, 10**13) if draw(_booleans) else None
    amount = _money(draw, currency, 0, 10**12) if draw(_booleans) else None
    if base is not None and amount is not None:
        scale = Decimal(10) ** minor_digits(currency)
        least = (base.amount * percent / 100 * scale).to_integral_value(ROUND_CEILING)
        amount = Money.from_minor_units(int(least) + draw(st.integers(0, 10**6)), currency)
    return SpendingRule(
        id=_id(draw, id),
        description=draw(_texts),
        percent=percent,
        base=base,
        amount=amount,
    )


@st.composite
def _spending_rules(draw: DrawFn, currency: str, id: str | None) -> SpendingRule:
    return _spending_rule(draw, currency, id)


def spending_rules(currency: str = "VND", *, id: str | None = None) -> SearchStrategy[SpendingRule]:
    """Minimum-share rules, met whenever both the base and the amount are stated."""
    return _spending_rules(currency, id)


def _shares(amounts: Sequence[tuple[str, Money]]) -> tuple[tuple[str, Decimal], ...]:
    whole = sum((amount.amount for _, amount in amounts), Decimal(0))
    cent = Decimal("0.01")
    return tuple(
        (sid, (amount.amount * 100 / whole).quantize(cent, rounding=ROUND_HALF_EVEN))
        for sid, amount in amounts
    )


def _funding(
    draw: DrawFn,
    currency: str,
    years: Sequence[int],
    agency_ids: Sequence[str],
    task_ids: Sequence[str],
    objective_ids: Sequence[str],
    max_sources: int,
    max_lines: int,
    catalogues: Catalogues | None,
    names: SearchStrategy[Labels] | None = None,
    vietnamese: bool = True,
) -> Funding:
    kinds = _codes(catalogues, "funding_source_kinds")
    source_ids = _unique_ids(draw, draw(st.integers(0, max_sources)))
    sources = tuple(
        _funding_source(draw, currency, sid, kinds, 10**13, names, vietnamese) for sid in source_ids
    )
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
                currency,
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
    return Funding(
        total=total,
        total_in_words=None if total is None else _words(draw, total),
        sources=sources,
        lines=tuple(lines),
        stated_shares=shares,
        rules=tuple(_spending_rule(draw, currency, rid) for rid in rule_ids),
    )


@st.composite
def _fundings(draw: DrawFn, *args: Any) -> Funding:
    return _funding(draw, *args)


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
) -> SearchStrategy[Funding]:
    """Consistent funding: total = sum of sources, lines within their sources and years.

    Stated shares, when drawn, are the sources' exact shares rounded to 0.01 %.
    """
    return _fundings(
        currency,
        tuple(years),
        tuple(agency_ids),
        tuple(task_ids),
        tuple(objective_ids),
        max_sources,
        max_lines,
        catalogues,
    )


# --- objectives and targets ----------------------------------------------------------------------


def _baseline(draw: DrawFn, unit: str) -> Baseline:
    value = _decimal(draw, 0, 100, 1) if unit == PERCENT else _decimal(draw, 0, 10**6, 2)
    return Baseline(value=value, year=draw(st.integers(FIRST_YEAR, LAST_YEAR)))


@st.composite
def _baselines(draw: DrawFn, unit: str) -> Baseline:
    return _baseline(draw, unit)


def baselines(unit: str = PERCENT) -> SearchStrategy[Baseline]:
    """Baselines; percentages stay within 0–100."""
    return _baselines(unit)


def _target(
    draw: DrawFn,
    id: str | None,
    level_ids: Sequence[str],
    deadlines: tuple[int, int],
    indicator_ids: Sequence[str],
) -> Target:
    shape = _pick(draw, _TARGET_SHAPES)
    if shape == "per_level" and not level_ids:
        shape = "value"
    fields: dict[str, Any] = {"unit": PERCENT, "comparator": Comparator.EQ}
    if shape == "value":
        fields.update(comparator=_pick(draw, _NON_RANGE), value=_decimal(draw, 0, 100, 1))
    elif shape == "range":
        low, high = sorted((_decimal(draw, 0, 100, 1), _decimal(draw, 0, 100, 1)))
        fields.update(comparator=Comparator.BETWEEN, value=low, upper=high)
    elif shape == "per_level":
        chosen = _subset(draw, level_ids, len(level_ids)) or (level_ids[0],)
        fields.update(
            by_level=tuple((level, _decimal(draw, 0, 100, 0)) for level in chosen),
            comparator=_pick(draw, (Comparator.EQ, Comparator.GE)),
        )
    elif shape == "rank":
        fields.update(unit=RANK, comparator=Comparator.LE, value=Decimal(draw(st.integers(1, 63))))
    elif shape == "parts":
        numbers = draw(st.lists(st.integers(0, 500), min_size=1, max_size=4))
        fields.update(
            unit=_pick(draw, COUNT_UNITS),
            comparator=_pick(draw, (Comparator.EQ, Comparator.GE)),
            value=Decimal(sum(numbers)),
            parts=tuple(TargetPart(label=draw(_short_texts), value=Decimal(n)) for n in numbers),
        )
    elif shape == "items":
        items = tuple(draw(st.lists(_short_texts, min_size=1, max_size=6)))
        fields.update(unit=_pick(draw, COUNT_UNITS), value=Decimal(len(items)), items=items)
    else:
        fields.update(
            unit=_pick(draw, RATIO_UNITS),
            comparator=_pick(draw, (Comparator.GE, Comparator.EQ, Comparator.GT)),
            value=_decimal(draw, 0, 1000, 2),
        )
    unit = fields["unit"]
    return Target(
        id=_id(draw, id),
        measure=draw(_texts),
        deadline=draw(st.none() | st.integers(*deadlines)),
        scope=_maybe(draw, ("province", "agencies", "communes")),
        baseline=_baseline(draw, unit) if unit != RANK and draw(_booleans) else None,
        indicator=_maybe(draw, indicator_ids),
        **fields,
    )


@st.composite
def _targets(draw: DrawFn, *args: Any) -> Target:
    return _target(draw, *args)


def targets(
    *,
    id: str | None = None,
    level_ids: Sequence[str] = ("province", "district", "commune"),
    deadlines: tuple[int, int] = (2020, 2030),
    indicator_ids: Sequence[str] = (),
) -> SearchStrategy[Target]:
    """Targets of every shape: single values, ranges, per-level, ranks, breakdowns, lists.

    Deadlines (when set) lie in the ``deadlines`` range of years; ``by_level`` keys come
    from ``level_ids``; every target has a unit; breakdowns add up and listed counts match.
    """
    return _targets(id, tuple(level_ids), deadlines, tuple(indicator_ids))


def _objective(
    draw: DrawFn,
    prefix: str,
    max_depth: int,
    level_ids: Sequence[str],
    deadlines: tuple[int, int],
    indicator_ids: Sequence[str],
) -> Objective:
    counter = iter(range(10**9))
    slug = f"{prefix}{draw(_slugs)}"

    def one(depth: int) -> Objective:
        found = tuple(
            _target(draw, f"{slug}-t{next(counter)}", level_ids, deadlines, indicator_ids)
            for _ in range(draw(st.integers(0, 3)))
        )
        n_children = draw(st.integers(0, 2)) if depth < max_depth else 0
        return Objective(
            id=f"{slug}-o{next(counter)}",
            kind=_pick(draw, tuple(ObjectiveKind)),
            text=draw(_texts),
            targets=found,
            children=tuple(one(depth + 1) for _ in range(n_children)),
        )

    return one(1)


@st.composite
def _objectives(draw: DrawFn, *args: Any) -> Objective:
    return _objective(draw, "", *args)


def objectives(
    *,
    max_depth: int = 2,
    level_ids: Sequence[str] = ("province", "district", "commune"),
    deadlines: tuple[int, int] = (2020, 2030),
    indicator_ids: Sequence[str] = (),
) -> SearchStrategy[Objective]:
    """Objectives nested up to ``max_depth`` levels, with unique objective and target ids."""
    return _objectives(max_depth, tuple(level_ids), deadlines, tuple(indicator_ids))


# --- tasks, reporting ----------------------------------------------------------------------------


@st.composite
def _assignments(draw: DrawFn, agency_ids: tuple[str, ...], roles: tuple[str, ...]) -> Assignment:
    return Assignment(agency=_pick(draw, agency_ids), role=_pick(draw, roles))


def assignments(
    agency_ids: Sequence[str] = ("stttt",), catalogues: Catalogues | None = None
) -> SearchStrategy[Assignment]:
    """Assignments of one of ``agency_ids`` to a role of the catalogue."""
    return _assignments(tuple(agency_ids), _codes(catalogues, "roles"))


def _schedule(draw: DrawFn, within: Period) -> Schedule:
    period = None
    if draw(_booleans):
        span = within.end.index - within.start.index
        a, b = sorted((draw(st.integers(0, span)), draw(st.integers(0, span))))
        quarter_list = within.quarter_list
        period = Period(start=quarter_list[a], end=quarter_list[b])
    return Schedule(
        period=period,
        deadline=_date_in(draw, within) if draw(_booleans) else None,
        regular=draw(_booleans),
        text=_maybe(draw, _SCHEDULE_TEXTS),
    )


@st.composite
def _schedules(draw: DrawFn, within: Period) -> Schedule:
    return _schedule(draw, within)


def schedules(period: Period | None = None) -> SearchStrategy[Schedule]:
    """Schedules whose period and deadline (when set) lie inside ``period``."""
    return _schedules(Period.years(2018, 2025) if period is None else period)


def _task(
    draw: DrawFn,
    id: str | None,
    agency_ids: Sequence[str],
    objective_ids: Sequence[str],
    indicator_ids: Sequence[str],
    within: Period,
    roles: tuple[str, ...],
) -> Task:
    others = tuple(code for code in roles if code != LEAD)
    people = _subset(draw, agency_ids, 4) or (agency_ids[0],)
    assigned = [Assignment(agency=people[0], role=LEAD)]
    assigned += [Assignment(agency=a, role=_pick(draw, others)) for a in people[1:]]
    return Task(
        id=_id(draw, id),
        title=draw(_texts),
        heading=draw(st.none() | _short_texts),
        objectives=_subset(draw, objective_ids),
        indicators=_subset(draw, indicator_ids),
        schedule=_schedule(draw, within) if draw(_booleans) else None,
        assignments=tuple(draw(st.permutations(assigned))),
    )


@st.composite
def _tasks(draw: DrawFn, *args: Any) -> Task:
    return _task(draw, *args)


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
    return _tasks(
        id,
        tuple(agency_ids),
        tuple(objective_ids),
        tuple(indicator_ids),
        Period.years(2018, 2025) if period is None else period,
        _codes(catalogues, "roles"),
    )


def _reporting_duty(
    draw: DrawFn, id: str | None, agency_ids: Sequence[str], cadences: tuple[str, ...]
) -> ReportingDuty:
    if draw(_booleans):  # one of each, as format version 1 writes a duty
        return ReportingDuty(
            id=_id(draw, id),
            reporter=_pick(draw, agency_ids),
            recipient=_pick(draw, agency_ids),
            cadence=_pick(draw, cadences),
            description=draw(_maybe_texts),
        )
    return ReportingDuty(
        id=_id(draw, id),
        description=draw(_maybe_texts),
        reporters=_subset(draw, agency_ids, 3) or (agency_ids[0],),
        recipients=_subset(draw, agency_ids, 3) or (agency_ids[0],),
        cadences=_subset(draw, cadences, 2),
        via=_subset(draw, agency_ids, 2),
        subject=draw(_maybe_texts),
        due=draw(_maybe_texts),
    )


@st.composite
def _reporting_duties(draw: DrawFn, *args: Any) -> ReportingDuty:
    return _reporting_duty(draw, *args)


def reporting_duties(
    *,
    id: str | None = None,
    agency_ids: Sequence[str] = ("stttt", "ubnd"),
    catalogues: Catalogues | None = None,
) -> SearchStrategy[ReportingDuty]:
    """Reporting duties between ``agency_ids`` with a cadence of the catalogue."""
    return _reporting_duties(id, tuple(agency_ids), _codes(catalogues, "cadences"))


# --- indicators, sections ------------------------------------------------------------------------


def _indicator(
    draw: DrawFn, id: str | None, names: SearchStrategy[Labels] | None = None
) -> Indicator:
    return Indicator(
        id=_id(draw, id),
        names=draw(_default_labels if names is None else names),
        unit=_pick(draw, _INDICATOR_UNITS),
        higher_is_better=draw(_booleans),
        framework=_maybe(draw, ("vn-ict-index-2016",)),
        group=_maybe(draw, ("ict.infra", "ict.hr", "ict.apps")),
    )


@st.composite
def _indicators(draw: DrawFn, id: str | None) -> Indicator:
    return _indicator(draw, id)


def indicators(*, id: str | None = None) -> SearchStrategy[Indicator]:
    """Indicators with a unit and a direction."""
    return _indicators(id)


def _observation(draw: DrawFn, indicator_ids: Sequence[str], years: Sequence[int]) -> Observation:
    rank = draw(st.none() | st.integers(1, 63))
    ranked = None if rank is None else draw(st.none() | st.integers(rank, 63))
    year = _pick(draw, years) if years else draw(st.integers(FIRST_YEAR, LAST_YEAR))
    return Observation(
        indicator=_pick(draw, indicator_ids),
        subject=_pick(draw, _SUBJECTS),
        period=Period.year(year),
        value=_decimal(draw, 0, 100, 2) if draw(_booleans) else None,
        score=_decimal(draw, 0, 100, 2) if draw(_booleans) else None,
        rank=rank,
        ranked=ranked,
    )


@st.composite
def _observations(draw: DrawFn, *args: Any) -> Observation:
    return _observation(draw, *args)


def observations(
    indicator_ids: Sequence[str] = ("ict",), *, period: Period | None = None
) -> SearchStrategy[Observation]:
    """Observations of ``indicator_ids`` (in years of ``period`` when given)."""
    years = () if period is None else period.year_list
    return _observations(tuple(indicator_ids), years)


def _section(draw: DrawFn) -> Section:
    return Section(title=draw(_short_texts), text=draw(_texts))


@st.composite
def _sections(draw: DrawFn) -> Section:
    return _section(draw)


def sections() -> SearchStrategy[Section]:
    """Free-text sections."""
    return _sections()


# --- plans ---------------------------------------------------------------------------------------


def _count(draw: DrawFn, low: int, high: int) -> int:
    return draw(st.integers(low, max(low, high)))


@st.composite
def _plans(
    draw: DrawFn,
    currency: str,
    catalogues: Catalogues | None,
    sizes: tuple[int, int, int, int, int],
    years: tuple[int, int],
    speech: tuple[tuple[str, ...], str | None, str | None],
) -> Plan:
    max_agencies, max_tasks, max_objectives, max_sources, max_lines = sizes
    locales, language, level_set = speech
    names = labels(locales)
    vietnamese = "vi" in locales
    cats = Catalogues.default() if catalogues is None else catalogues
    period = _period(draw, *years, whole_years=False)
    horizon = draw(st.none() | st.integers(period.last_year + 1, period.last_year + 10))
    set_levels = cats.level_set(
        _pick(draw, cats.level_sets.codes) if level_set is None else level_set
    )
    level_ids = tuple(level.id for level in set_levels)
    document_kinds = cats.document_kinds.codes

    agency_ids = _unique_ids(draw, _count(draw, 1, max_agencies))
    agency_kinds = cats.agency_kinds.codes
    plan_agencies = tuple(
        _agency(draw, aid, level_ids, agency_ids[:i], agency_kinds, names)
        for i, aid in enumerate(agency_ids)
    )

    indicator_ids = _unique_ids(draw, _count(draw, 0, 4))
    plan_indicators = tuple(_indicator(draw, iid, names) for iid in indicator_ids)
    # One observation per (indicator, subject, period): a repeat that disagrees is EGP702.
    kept: dict[tuple[str, str, Period], Observation] = {}
    for _ in range(_count(draw, 0, 3) if indicator_ids else 0):
        observation = _observation(draw, indicator_ids, ())
        kept.setdefault(
            (observation.indicator, observation.subject, observation.period), observation
        )
    plan_observations = tuple(kept.values())

    deadlines = (period.first_year, max(period.last_year, horizon or 0))
    plan_objectives = tuple(
        _objective(draw, f"{position}.", 2, level_ids, deadlines, indicator_ids)
        for position in range(_count(draw, 0, max_objectives))
    )
    objective_ids = [o.id for top in plan_objectives for _, o in top.walk()]

    task_ids = _unique_ids(draw, _count(draw, 0, max_tasks))
    roles = cats.roles.codes
    plan_tasks = tuple(
        _task(draw, tid, agency_ids, objective_ids, indicator_ids, period, roles)
        for tid in task_ids
    )
    plan_funding = _funding(
        draw,
        currency,
        period.year_list,
        agency_ids,
        task_ids,
        objective_ids,
        max_sources,
        max_lines,
        cats,
        names,
        vietnamese,
    )
    cadences = cats.cadences.codes
    duties = tuple(
        _reporting_duty(draw, did, agency_ids, cadences)
        for did in _unique_ids(draw, _count(draw, 0, 3))
    )
    return Plan(
        id=draw(_ids),
        metadata=_plan_metadata(draw, document_kinds, locales if language is None else (language,)),
        period=period,
        horizon=horizon,
        legal_bases=tuple(_document_ref(draw, document_kinds) for _ in range(_count(draw, 0, 3))),
        implements=tuple(_document_ref(draw, document_kinds) for _ in range(_count(draw, 0, 1))),
        levels=set_levels if draw(_booleans) else (),
        agencies=plan_agencies,
        objectives=plan_objectives,
        tasks=plan_tasks,
        funding=plan_funding,
        reporting=duties,
        indicators=plan_indicators,
        observations=plan_observations,
        sections=tuple(_section(draw) for _ in range(_count(draw, 0, 2))),
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
        first_year: the earliest year of the plan's period.
        last_year: the latest year of the plan's period.

    Raises:
        MoneyError: an unknown currency.
        FieldValueError: no locale.
        UnknownReferenceError: a level set the catalogues lack.

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
    sizes = (max_agencies, max_tasks, max_objectives, max_sources, max_lines)
    speech = (locales, language, level_set)
    return _plans(currency, catalogues, sizes, (first_year, last_year), speech)


# --- edge values ---------------------------------------------------------------------------------

#: The free-text fields of the models: any text is valid there.
_FREE_TEXT: Final = frozenset(
    {
        "title",
        "issuing_body",
        "place",
        "text",
        "measure",
        "label",
        "heading",
        "description",
    }
)


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
    """``value`` with its free text redrawn from ``texts_`` and its money scaled."""
    if isinstance(value, tuple):
        return tuple(_edged(draw, item, scale, texts_) for item in value)
    if isinstance(value, Money):
        return Money(value.amount.scaleb(scale), value.currency)
    if isinstance(value, Labels):
        return Labels({locale: draw(texts_) for locale, _ in value.items()})
    if not attrs.has(type(value)) or isinstance(value, Period | Quarter):
        return value
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(value)):
        if not field.init:
            continue
        current = getattr(value, field.name)
        if field.name in _FREE_TEXT and isinstance(current, str):
            changes[field.name] = draw(texts_)
        elif field.name == "items" and isinstance(current, tuple):
            changes[field.name] = tuple(draw(texts_) for _ in current)
        elif field.name == "name" and isinstance(current, str):  # a signatory
            changes[field.name] = draw(texts_)
        elif field.name in ("amount_in_words", "total_in_words") and scale:
            changes[field.name] = None  # the words said the unscaled amount
        elif isinstance(current, tuple | Money | Labels) or attrs.has(type(current)):
            changes[field.name] = _edged(draw, current, scale, texts_)
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
