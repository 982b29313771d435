"""Rank tables, rank changes, and checking the ranks a plan states in prose.

Ranks count from 1 (best); a rank *improves* when its number falls, so the change from
12th to 7th is "up 5 places" (*tăng 05 bậc*). :func:`rank_changes` pairs the observations
of two periods into :class:`RankChange` objects; :func:`rank_table` makes a
:class:`RankTable` that renders as text, Markdown, HTML or JSON in Vietnamese or English.
:func:`parse_stated_rank` reads what a plan says ("Xếp thứ 4 (tăng 06 bậc so với năm
2016)") into a :class:`~egovplan.indicator.StatedRank`, and :func:`check_stated_ranks`
compares statements with the observations, returning each disagreement with both values.

>>> change = RankChange(indicator="ict.infra", subject="lao-cai", earlier=Period.year(2016),
...                     later=Period.year(2017), before=12, after=7)
>>> change.places, change.direction, change.describe("en")
(5, <Direction.UP: 'up'>, 'up 5 places, from 12th to 7th')
>>> change.describe("vi")
'tăng 05 bậc, từ thứ 12 lên thứ 7'
>>> s = parse_stated_rank("Xếp thứ 4 (tăng 06 bậc so với năm 2016)", indicator="ict.infra.state",
...                       subject="lao-cai", period=Period.year(2017))
>>> s.rank, s.change, s.compared_to
(4, 6, Period(start=Quarter(year=2016, number=1), end=Quarter(year=2016, number=4)))

The words (templates for rendering, word lists for reading) are data, in
``egovplan/data/ranks.toml``.
"""

from __future__ import annotations

import enum
import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import attrs

from egovplan import _fields as f
from egovplan._data import FALLBACK_LOCALE, language_of, load_data, locale_tag
from egovplan._plurals import cldr_rule, plural_category
from egovplan._text import nfc, shown
from egovplan.display import resolve_locale
from egovplan.errors import FieldTypeError, ParseError
from egovplan.indicator import Indicator, Observation, StatedRank
from egovplan.labels import Labels
from egovplan.period import Period

if TYPE_CHECKING:
    from egovplan.frameworks import Framework
    from egovplan.plan import Plan
    from egovplan.rulebook import Context, Finding, Rule
    from egovplan.tables import DtypeBackend, Table

__all__ = [
    "RANK_RULE_CODES",
    "Direction",
    "RankChange",
    "RankMismatch",
    "RankTable",
    "check_stated_ranks",
    "describe_change",
    "ordinal",
    "parse_stated_rank",
    "rank_changes",
    "rank_rules",
    "rank_table",
]

#: The codes of the validation rules this module provides (:func:`rank_rules`).
RANK_RULE_CODES: Final = ("EGP701", "EGP702", "EGP703")

_MAX_STATEMENT: Final = 10_000


def _data() -> Mapping[str, Any]:
    return load_data("ranks.toml")


def _language(locale: str) -> str:
    locale_tag(locale)
    language = language_of(locale)
    return language if language in _data() else FALLBACK_LOCALE


def _words(locale: str) -> Mapping[str, Any]:
    words: Mapping[str, Any] = _data()[_language(locale)]
    return words


@functools.cache
def _ordinal_category(n: int, locale: str) -> str:
    rule = cldr_rule(locale, "ordinal_form")
    return "other" if rule is None else rule(n)


def _check_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldTypeError(f"{name} must be int, not {type(value).__name__}")


def ordinal(n: int, locale: str = "en") -> str:
    """A rank as an ordinal: ``12th`` / ``thứ 12``.

    The English suffix follows the CLDR ordinal rules (through babel).

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']
    >>> ordinal(7, "vi")
    'thứ 7'
    """
    _check_int("n", n)
    language = _language(locale)
    templates: Mapping[str, str] = _words(language)["ordinal"]
    category = _ordinal_category(n, language) if len(templates) > 1 else "other"
    return templates.get(category, templates["other"]).format(n=n)


def _plural(n: int, locale: str) -> str:
    return plural_category(_language(locale), n)


class Direction(enum.StrEnum):
    """Which way a rank moved: ``up`` (better, the number fell), ``down`` or ``same``."""

    @classmethod
    def _missing_(cls, value: object) -> Direction:
        raise f.unknown_member(cls, value)

    UP = "up"
    DOWN = "down"
    SAME = "same"

    @classmethod
    def of(cls, places: int) -> Direction:
        """The direction of a change of ``places`` (positive is up).

        >>> Direction.of(-2)
        <Direction.DOWN: 'down'>
        """
        _check_int("places", places)
        if places > 0:
            return cls.UP
        if places < 0:
            return cls.DOWN
        return cls.SAME


def describe_change(
    places: int, locale: str = "en", *, before: int | None = None, after: int | None = None
) -> str:
    """A change of rank in words: ``up 5 places, from 12th to 7th``.

    Args:
        places: the places moved up (negative: down).
        locale: ``"en"`` or ``"vi"`` (other locales fall back to English).
        before: the earlier rank, if known.
        after: the later rank, if known.

    >>> describe_change(-14, "vi", before=13, after=27)
    'giảm 14 bậc, từ thứ 13 xuống thứ 27'
    >>> describe_change(2), describe_change(0), describe_change(1, "en")
    ('up 2 places', 'unchanged', 'up 1 place')
    """
    words = _words(locale)
    direction = Direction.of(places)
    count = abs(places)
    place_words: Mapping[str, str] = words["place_word"]
    values = {
        "places": str(count).rjust(int(words["places_digits"]), "0"),
        "place_word": place_words.get(_plural(count, locale), place_words["other"]),
        "before": "" if before is None else ordinal(before, locale),
        "after": "" if after is None else ordinal(after, locale),
    }
    if before is None or after is None:
        template: str = words[f"{direction.value}_short"]
    else:
        template = words[direction.value]
    return template.format(**values)


@attrs.frozen(kw_only=True)
class RankChange:
    """The rank of one indicator (or group) for one subject in two periods.

    Attributes:
        indicator: the indicator or group id.
        subject: who is ranked.
        earlier: the earlier period.
        later: the later period.
        before: the rank in the earlier period (``None``: not ranked then).
        after: the rank in the later period (``None``: not ranked then).
        ranked_before: how many subjects were ranked in the earlier period, if known.
        ranked_after: how many subjects were ranked in the later period, if known.
    """

    indicator: str = attrs.field(validator=f.check_id)
    subject: str = attrs.field(validator=f.check_id)
    earlier: Period = attrs.field(validator=f.instance(Period))
    later: Period = attrs.field(validator=f.instance(Period))
    before: int | None = attrs.field(default=None, validator=f.instance(int, optional=True))
    after: int | None = attrs.field(default=None, validator=f.instance(int, optional=True))
    ranked_before: int | None = attrs.field(default=None, validator=f.instance(int, optional=True))
    ranked_after: int | None = attrs.field(default=None, validator=f.instance(int, optional=True))

    @property
    def places(self) -> int | None:
        """Places moved up (``before - after``; negative: down); ``None`` without both."""
        if self.before is None or self.after is None:
            return None
        return self.before - self.after

    @property
    def direction(self) -> Direction | None:
        """Up, down or same; ``None`` without both ranks."""
        places = self.places
        return None if places is None else Direction.of(places)

    def describe(self, locale: str = "en") -> str:
        """The change in words (``up 5 places, from 12th to 7th``).

        >>> RankChange(indicator="ict", subject="x", earlier=Period.year(2016),
        ...            later=Period.year(2017), after=3).describe("en")
        '3rd'
        """
        places = self.places
        if places is None:
            if self.after is None:
                return str(_words(locale)["unranked"])
            return str(_words(locale)["only_after"]).format(after=ordinal(self.after, locale))
        return describe_change(places, locale, before=self.before, after=self.after)

    def signed(self) -> str:
        """The change as a signed number: ``+5``, ``-2``, ``0`` (``""`` without both ranks)."""
        places = self.places
        if places is None:
            return ""
        return f"+{places}" if places > 0 else str(places)


def _period_key(period: Period) -> tuple[Any, Any]:
    return (period.last_day, period.first_day)


def rank_changes(
    observations: Iterable[Observation],
    earlier: Period,
    later: Period,
    *,
    subject: str | None = None,
    framework: Framework | None = None,
) -> tuple[RankChange, ...]:
    """The change of rank between two periods for every indicator and group ranked.

    Observations without a rank are ignored; when an indicator is observed twice for the
    same subject and period, the first observation counts (rule ``EGP702`` reports the
    repetition). An indicator ranked in only one of the periods gets a change with the
    other rank ``None``.

    Args:
        observations: observations of any periods; those of ``earlier`` and ``later``
            are used.
        earlier: the earlier period.
        later: the later period.
        subject: only this subject (default: every subject observed).
        framework: order the changes as the framework's tree (overall first, then each
            group followed by its parts); otherwise in the order first observed.

    >>> obs = [Observation(indicator="ict", subject="lc", period=Period.year(y), rank=r)
    ...        for y, r in ((2016, 12), (2017, 7))]
    >>> [c.describe() for c in rank_changes(obs, Period.year(2016), Period.year(2017))]
    ['up 5 places, from 12th to 7th']
    """
    observations = f.items_of(observations, Observation, "rank_changes() observations")
    for name, period in (("earlier", earlier), ("later", later)):
        if not isinstance(period, Period):
            raise FieldTypeError(
                f"rank_changes() {name} must be a Period, not {type(period).__name__}"
            )
    firsts: dict[tuple[str, str, Period], Observation] = {}
    order: dict[tuple[str, str], int] = {}
    for observation in observations:
        if observation.rank is None or observation.period not in (earlier, later):
            continue
        if subject is not None and observation.subject != subject:
            continue
        firsts.setdefault(
            (observation.indicator, observation.subject, observation.period), observation
        )
        order.setdefault((observation.indicator, observation.subject), len(order))
    keys = list(order)
    if framework is not None:
        position = {key: index for index, key in enumerate(framework.walk())}
        subjects = {key[1]: index for index, key in reversed(list(enumerate(keys)))}
        keys.sort(key=lambda k: (subjects[k[1]], position.get(k[0], len(position)), order[k]))
    changes = []
    for indicator, who in keys:
        old = firsts.get((indicator, who, earlier))
        new = firsts.get((indicator, who, later))
        changes.append(
            RankChange(
                indicator=indicator,
                subject=who,
                earlier=earlier,
                later=later,
                before=None if old is None else old.rank,
                after=None if new is None else new.rank,
                ranked_before=None if old is None else old.ranked,
                ranked_after=None if new is None else new.ranked,
            )
        )
    return tuple(changes)


def _to_labels(value: Iterable[tuple[str, Labels]]) -> tuple[tuple[str, Labels], ...]:
    return tuple(value)


def _to_depths(value: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(value)


def _locale(locale: str | None) -> str:
    """A rank table's locale: ``locale``, else the session's display locale, else English."""
    return resolve_locale(locale, "en")


@attrs.frozen(kw_only=True)
class RankTable:
    """Rank changes between two periods, ready to render.

    Attributes:
        changes: the rows.
        earlier: the earlier period.
        later: the later period.
        names: ``(id, Labels)`` pairs naming the indicators and groups (ids are shown
            for the others).
        depths: ``(id, depth)`` pairs: rows are indented by depth in the framework.
    """

    changes: tuple[RankChange, ...] = attrs.field(validator=f.tuple_of(RankChange))
    earlier: Period = attrs.field(validator=f.instance(Period))
    later: Period = attrs.field(validator=f.instance(Period))
    names: tuple[tuple[str, Labels], ...] = attrs.field(default=(), converter=_to_labels)
    depths: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_to_depths)

    def name(self, id: str, locale: str = "en") -> str:
        """The display name of an indicator or group (its id when none is known)."""
        labels = dict(self.names).get(id)
        return id if labels is None else labels.text(locale)

    @property
    def subjects(self) -> tuple[str, ...]:
        """The subjects of the rows, in order of first appearance."""
        return tuple(dict.fromkeys(change.subject for change in self.changes))

    def rows(self, locale: str = "en") -> Iterator[dict[str, Any]]:
        """One JSON-ready record per row (ids, names, ranks, change and its words)."""
        for change in self.changes:
            direction = change.direction
            yield {
                "indicator": change.indicator,
                "name": self.name(change.indicator, locale),
                "subject": change.subject,
                "before": change.before,
                "after": change.after,
                "ranked_before": change.ranked_before,
                "ranked_after": change.ranked_after,
                "places": change.places,
                "direction": None if direction is None else direction.value,
                "description": change.describe(locale),
            }

    def title(self, locale: str = "en") -> str:
        """The table's title in ``locale`` ("Ranks of lao-cai, 2016 and 2017")."""
        template: str = _words(locale)["title"]
        return template.format(
            subject=", ".join(self.subjects),
            earlier=self.earlier.format(_language(locale)),
            later=self.later.format(_language(locale)),
        )

    def to_table(self, *, locale: str | None = None, title: str | None = None) -> Table:
        """The rank table as an :class:`egovplan.tables.Table` (any of its formats).

        Columns: indicator, subject (only when there are several), the rank in each
        period, the signed change and the change in words. ``locale`` is the language of
        the words and numbers (by default English), as for every rendering method.
        """
        from egovplan.tables import Column, Table

        locale = _locale(locale)
        words = _words(locale)
        depths = dict(self.depths)
        several = len(self.subjects) > 1
        columns = [Column(key="indicator", label=str(words["column_indicator"]))]
        if several:
            columns.append(Column(key="subject", label="subject"))
        columns += [
            Column(key="before", label=str(self.earlier), kind="number"),
            Column(key="after", label=str(self.later), kind="number"),
            Column(key="change", label=str(words["column_change"])),
            Column(key="description", label=str(words["column_description"])),
        ]
        rows = []
        for change in self.changes:
            indent = "\u00a0\u00a0" * depths.get(change.indicator, 0)
            row: list[Any] = [indent + self.name(change.indicator, locale)]
            if several:
                row.append(change.subject)
            row += [change.before, change.after, change.signed(), change.describe(locale)]
            rows.append(tuple(row))
        return Table(
            title=self.title(locale) if title is None else title,
            columns=tuple(columns),
            rows=tuple(rows),
            locale=_language(locale),
        )

    def to_text(self, *, locale: str | None = None) -> str:
        """The table as plain text (``locale``: see :meth:`to_table`)."""
        return self.to_table(locale=locale).to_text()

    def to_markdown(self, *, locale: str | None = None) -> str:
        """The table as Markdown."""
        return self.to_table(locale=locale).to_markdown()

    def to_html(self, *, locale: str | None = None) -> str:
        """The table as HTML (text escaped)."""
        return self.to_table(locale=locale).to_html()

    def to_dict(self, *, locale: str | None = None) -> dict[str, Any]:
        """The table as JSON-ready data, with one record per row (see :meth:`rows`)."""
        locale = _locale(locale)
        return {
            "title": self.title(locale),
            "earlier": str(self.earlier),
            "later": str(self.later),
            "rows": list(self.rows(locale)),
        }

    def to_json(self, *, locale: str | None = None) -> str:
        """:meth:`to_dict` as JSON text (UTF-8 characters kept, two-space indent)."""
        return json.dumps(self.to_dict(locale=locale), ensure_ascii=False, indent=2) + "\n"

    def render(self, fmt: str = "text", *, locale: str | None = None) -> str:
        """The table in ``fmt``: ``text``, ``markdown``, ``html``, ``csv`` or ``json``."""
        if fmt == "json":
            return self.to_json(locale=locale)
        return self.to_table(locale=locale).render(fmt)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_pandas(
        self, *, locale: str | None = None, dtype_backend: DtypeBackend = "pyarrow"
    ) -> Any:
        """The rows as a ``pandas.DataFrame`` (needs ``egovplan[pandas]``).

        Columns: ``indicator``, ``name``, ``subject``, ``before``, ``after``, ``change``
        (places moved up, negative when down: an ``Int64`` integer, not the ``"+5"`` the
        text shows), ``direction`` and ``description``; ranks are ``Int64`` too, empty
        when not ranked.

        Args:
            locale: the language of ``name`` and ``description`` (default: the display
                option's, see :mod:`egovplan.display`, else English).
            dtype_backend: how text columns are held, as pandas names it (see
                :meth:`egovplan.tables.Table.to_pandas`).
        """
        from egovplan.tables import Column, Table

        loc = resolve_locale(locale, "en")
        names = ("indicator", "name", "subject", "before", "after", "change", "direction")
        kinds = ("text", "text", "text", "number", "number", "number", "text")
        columns = [Column(key=n, label=n, kind=k) for n, k in zip(names, kinds, strict=True)]
        columns.append(Column(key="description", label="description"))
        rows = tuple(
            (
                record["indicator"],
                record["name"],
                record["subject"],
                record["before"],
                record["after"],
                record["places"],
                record["direction"],
                record["description"],
            )
            for record in self.rows(loc)
        )
        return Table(columns=tuple(columns), rows=rows).to_pandas(dtype_backend=dtype_backend)


def rank_table(
    observations: Iterable[Observation],
    earlier: Period,
    later: Period,
    *,
    subject: str | None = None,
    framework: Framework | None = None,
    indicators: Iterable[Indicator] = (),
) -> RankTable:
    """A :class:`RankTable` of the changes between two periods (see :func:`rank_changes`).

    Names come from ``framework`` (rows are then ordered and indented as its tree) and
    from ``indicators`` (a plan's own indicators).

    >>> obs = [Observation(indicator=i, subject="lao-cai", period=Period.year(y), rank=r)
    ...        for i, y, r in (("ict", 2016, 7), ("ict", 2017, 7),
    ...                        ("ict.infra", 2016, 12), ("ict.infra", 2017, 7))]
    >>> from egovplan.frameworks import framework
    >>> table = rank_table(obs, Period.year(2016), Period.year(2017),
    ...                    framework=framework("vn-ict-index-2016"))
    >>> print(table.to_text(locale="vi").replace("\u00a0", "."), end="")
    Xếp hạng của lao-cai, năm 2016 và năm 2017
    Chỉ số                      2016  2017  Thay đổi  Diễn giải
    --------------------------  ----  ----  --------  --------------------------------
    ICT-Index (xếp hạng chung)     7     7  0         giữ nguyên thứ 7
    ..Hạ tầng kỹ thuật            12     7  +5        tăng 05 bậc, từ thứ 12 lên thứ 7
    """
    changes = rank_changes(observations, earlier, later, subject=subject, framework=framework)
    names: dict[str, Labels] = {}
    depths: dict[str, int] = {}
    for indicator in f.items_of(indicators, Indicator, "rank_table() indicators"):
        names.setdefault(indicator.id, indicator.names)
    if framework is not None:
        for change in changes:
            if change.indicator in framework:
                names.setdefault(change.indicator, framework.names_of(change.indicator))
                depths[change.indicator] = framework.depth(change.indicator)
    return RankTable(
        changes=changes,
        earlier=earlier,
        later=later,
        names=tuple(names.items()),
        depths=tuple(depths.items()),
    )


# -- reading stated ranks ------------------------------------------------------------------


def _alternation(words: Iterable[str]) -> str:
    ordered = sorted({_norm(word) for word in words}, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


def _norm(text: str) -> str:
    return " ".join(nfc(text).casefold().split())


_NUMBER: Final = r"(\d{1,4})(?:\s*(?:st|nd|rd|th)\b)?"


class _Patterns(NamedTuple):
    change: re.Pattern[str]
    same: re.Pattern[str]
    from_to: re.Pattern[str]
    rank: re.Pattern[str]
    compared: re.Pattern[str]
    up: frozenset[str]


@functools.cache
def _patterns(language: str) -> _Patterns:
    w = _words(language)
    year_words = _alternation(w["words_year"])

    def year(name: str) -> str:
        return (
            rf"(?:\s*\(\s*(?:(?:{year_words})\s+)?(?P<{name}>\d{{4}})\s*\)"
            rf"|\s+(?:{year_words})\s+(?P<{name}2>\d{{4}}))?"
        )

    up = _alternation(w["words_up"])
    down = _alternation(w["words_down"])
    filler = _alternation(w["words_filler"])
    places = _alternation(w["words_places"])
    return _Patterns(
        change=re.compile(
            rf"(?<!\w)(?P<dir>{up}|{down})\s+(?:(?:{filler})\s+)*(?P<n>\d{{1,4}})\s+(?:{places})(?!\w)"
        ),
        same=re.compile(rf"(?<!\w)(?:{_alternation(w['words_same'])})(?!\w)"),
        from_to=re.compile(
            rf"(?<!\w)(?:{_alternation(w['words_from'])})\s*{_NUMBER.replace('(', '(?P<a>', 1)}"
            + year("ya")
            + rf"\s*,?\s*(?:{_alternation(w['words_to'])})\s*"
            + _NUMBER.replace("(", "(?P<b>", 1)
            + year("yb")
        ),
        rank=re.compile(
            rf"(?<!\w)(?:{_alternation(w['words_rank'])})\s*{_NUMBER.replace('(', '(?P<r>', 1)}"
        ),
        compared=re.compile(
            rf"(?<!\w)(?:{_alternation(w['words_compared'])})\s+(?P<y>\d{{4}})(?!\d)"
        ),
        up=frozenset(_norm(word) for word in w["words_up"]),
    )


def _group_year(match: re.Match[str], name: str) -> int | None:
    for key in (name, f"{name}2"):
        value = match.group(key)
        if value is not None:
            return int(value)
    return None


class _Reading(NamedTuple):
    rank: int | None = None
    previous: int | None = None
    change: int | None = None
    year: int | None = None
    compared_year: int | None = None

    @property
    def empty(self) -> bool:
        return self.rank is None and self.previous is None and self.change is None


def _read(text: str, language: str) -> _Reading:
    patterns = _patterns(language)
    rest = text
    rank = previous = change = year = compared_year = None
    match = patterns.from_to.search(rest)
    if match is not None:
        previous, rank = int(match.group("a")), int(match.group("b"))
        compared_year, year = _group_year(match, "ya"), _group_year(match, "yb")
        rest = rest[: match.start()] + " ; " + rest[match.end() :]
    match = patterns.change.search(rest)
    if match is not None:
        places = int(match.group("n"))
        change = places if _norm(match.group("dir")) in patterns.up else -places
        rest = rest[: match.start()] + " ; " + rest[match.end() :]
    elif patterns.same.search(rest) is not None:
        change = 0
    match = patterns.compared.search(rest)
    if match is not None:
        compared_year = compared_year or int(match.group("y"))
        rest = rest[: match.start()] + " ; " + rest[match.end() :]
    match = patterns.rank.search(rest)
    if match is not None:
        rank = int(match.group("r"))
    return _Reading(
        rank=rank, previous=previous, change=change, year=year, compared_year=compared_year
    )


def _stated_year(text: str, year: int) -> Period:
    """The year a rank statement names, as a period; a ParseError if there is no such year."""
    try:
        return Period.year(year)
    except ValueError as error:
        raise ParseError(
            f"cannot read {shown(text)} as a rank statement: {error}", text=text
        ) from None


def parse_stated_rank(
    text: str,
    *,
    indicator: str,
    subject: str,
    period: Period | None = None,
    compared_to: Period | None = None,
    locale: str | None = None,
) -> StatedRank:
    """Read a rank statement of a plan into a :class:`~egovplan.indicator.StatedRank`.

    Understands a stated rank ("Xếp thứ 15", "ranked 7th"), a change ("tăng 05 bậc",
    "giảm sâu tới 14 bậc", "up 2 places", "fell 3 places", "giữ nguyên"), a move
    ("từ thứ 12 (năm 2016) lên thứ 7 (năm 2017)", "from 12th to 7th") and the year
    compared with ("so với năm 2016", "compared with 2016"). Years found in the text fill
    ``period`` / ``compared_to`` when they are not given.

    Args:
        text: the statement (one indicator's; line breaks and case do not matter).
        indicator: the id of the indicator or group the statement is about.
        subject: who is ranked.
        period: the period of the stated rank; taken from the text when omitted.
        compared_to: the earlier period; taken from the text when omitted.
        locale: ``"vi"`` or ``"en"``; by default Vietnamese is tried, then English.

    Raises:
        ParseError: no rank, change or move is found, no period is given or stated, or
            the text names rank 0 or a year outside the supported range.
        FieldTypeError: ``text`` is not a ``str``.
        FieldValueError: ``indicator``, ``subject`` or a period given is not valid for a
            :class:`~egovplan.indicator.StatedRank`.

    >>> s = parse_stated_rank("Giảm 02 bậc, từ thứ 12 (năm 2016) xuống thứ 14 (năm 2017)",
    ...                       indicator="ict.hr", subject="lao-cai")
    >>> s.rank, s.previous, s.change, s.period.first_year, s.compared_to.first_year
    (14, 12, -2, 2017, 2016)
    >>> parse_stated_rank("up 2 places compared with 2016", indicator="ict", subject="x",
    ...                   period=Period.year(2017)).change
    2
    """
    if not isinstance(text, str):
        raise FieldTypeError(f"a rank statement must be str, not {type(text).__name__}")
    if len(text) > _MAX_STATEMENT:
        raise ParseError(
            f"a rank statement may have at most {_MAX_STATEMENT} characters, not {len(text)}",
            text=text[:200],
        )
    normalised = _norm(text)
    languages = [_language(locale)] if locale is not None else ["vi", "en"]
    reading = _Reading()
    for language in languages:
        reading = _read(normalised, language)
        if not reading.empty:
            break
    if reading.empty:
        raise ParseError(
            f"no rank, change of rank or move found in {shown(text)}"
            " (expected e.g. 'Xếp thứ 4 (tăng 06 bậc so với năm 2016)' or 'up 2 places')",
            text=text,
        )
    for value in (reading.rank, reading.previous):
        if value == 0:
            raise ParseError(
                f"cannot read {shown(text)} as a rank statement: rank 0 (ranks start at 1)",
                text=text,
            )
    if period is None:
        if reading.year is None:
            raise ParseError(
                f"the period of {shown(text)} is not stated; pass period=Period.year(...)",
                text=text,
            )
        period = _stated_year(text, reading.year)
    if compared_to is None and reading.compared_year is not None:
        compared_to = _stated_year(text, reading.compared_year)
    return StatedRank(
        indicator=indicator,
        subject=subject,
        period=period,
        rank=reading.rank,
        previous=reading.previous,
        change=reading.change,
        compared_to=compared_to,
        text=" ".join(text.split()),
    )


# -- stated versus computed ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RankMismatch:
    """A stated rank that disagrees with the observations (or with itself).

    Attributes:
        stated: the statement.
        field: what disagrees: ``"rank"``, ``"previous"`` (the earlier rank),
            ``"change"``, or ``"statement"`` (its own rank, earlier rank and change do not
            add up).
        stated_value: the value the statement gives (places up, for a change).
        computed_value: the value the observations give (for ``"statement"``: the
            change its own ranks imply).
        compared_to: the earlier period used for the comparison, if any.
    """

    stated: StatedRank = attrs.field(validator=f.instance(StatedRank))
    field: str = attrs.field(validator=f.check_id)
    stated_value: int = attrs.field(validator=f.instance(int))
    computed_value: int = attrs.field(validator=f.instance(int))
    compared_to: Period | None = attrs.field(
        default=None, validator=f.instance(Period, optional=True)
    )

    def show(self, value: int, locale: str = "en") -> str:
        """A value of this mismatch in words: an ordinal for ranks, a change for changes."""
        if self.field in ("change", "statement"):
            return describe_change(value, locale)
        return ordinal(value, locale)

    def describe(self, locale: str = "en") -> str:
        """The mismatch in a sentence, with both values.

        >>> s = StatedRank(indicator="ict.infra.society", subject="lao-cai",
        ...                period=Period.year(2017), rank=15, change=2)
        >>> print(RankMismatch(stated=s, field="rank", stated_value=15,
        ...                    computed_value=13).describe("en"))
        ict.infra.society (lao-cai, 2017): the text states rank 15th but the observations give 13th
        """
        texts = _rule_texts(locale)["EGP701"]
        values = self.values(locale)
        if self.field == "statement":
            return str(texts["variants"]["statement"]).format(**values)
        return str(texts["message"]).format(**values)

    def values(self, locale: str = "en") -> dict[str, Any]:
        """The values a message about this mismatch names, formatted for ``locale``."""
        return {
            "indicator": self.stated.indicator,
            "subject": self.stated.subject,
            "period": str(self.stated.period),
            "what": _term(self.field, locale),
            "stated": self.show(self.stated_value, locale),
            "computed": self.show(self.computed_value, locale),
            "rank": "" if self.stated.rank is None else ordinal(self.stated.rank, locale),
            "previous": (
                "" if self.stated.previous is None else ordinal(self.stated.previous, locale)
            ),
        }


def _term(name: str, locale: str) -> str:
    terms: Mapping[str, str] = _data()["terms"][_language(locale)]
    return terms.get(name, name)


def _rule_texts(locale: str) -> Mapping[str, Any]:
    from egovplan.rulebook import load_messages

    texts: Mapping[str, Any] = load_messages(_language(locale))["rules"]
    return texts


def check_stated_ranks(
    stated: Iterable[StatedRank], observations: Iterable[Observation]
) -> tuple[RankMismatch, ...]:
    """Compare what a plan states about ranks with the observed ranks.

    For each statement, the observed rank of its indicator, subject and period is
    compared with the stated rank; the observed rank of the earlier period
    (``compared_to``, or else the latest earlier period observed) with the stated earlier
    rank; and the difference of the two observed ranks with the stated change. A
    statement whose own earlier rank, rank and change do not add up is reported too.
    Parts that cannot be checked (no observation) are skipped.

    Returns:
        Every disagreement, in the order of the statements, each with both values.

    >>> obs = [Observation(indicator="ict.hr", subject="lc", period=Period.year(y), rank=r)
    ...        for y, r in ((2016, 12), (2017, 14))]
    >>> said = StatedRank(indicator="ict.hr", subject="lc", period=Period.year(2017),
    ...                   rank=14, change=-3)
    >>> [(m.field, m.stated_value, m.computed_value) for m in check_stated_ranks([said], obs)]
    [('change', -3, -2)]
    """
    stated = f.items_of(stated, StatedRank, "check_stated_ranks() stated")
    observations = f.items_of(observations, Observation, "check_stated_ranks() observations")
    ranks: dict[tuple[str, str], dict[Period, int]] = {}
    for observation in observations:
        if observation.rank is not None:
            periods = ranks.setdefault((observation.indicator, observation.subject), {})
            periods.setdefault(observation.period, observation.rank)
    mismatches: list[RankMismatch] = []
    for statement in stated:
        if (
            statement.rank is not None
            and statement.previous is not None
            and statement.change is not None
            and statement.previous - statement.rank != statement.change
        ):
            mismatches.append(
                RankMismatch(
                    stated=statement,
                    field="statement",
                    stated_value=statement.change,
                    computed_value=statement.previous - statement.rank,
                    compared_to=statement.compared_to,
                )
            )
        periods = ranks.get((statement.indicator, statement.subject), {})
        now = periods.get(statement.period)
        earlier = statement.compared_to
        if earlier is None:
            candidates = [p for p in periods if _period_key(p) < _period_key(statement.period)]
            earlier = max(candidates, key=_period_key, default=None)
        then = None if earlier is None else periods.get(earlier)

        def add(field: str, said: int | None, seen: int | None) -> None:
            if said is not None and seen is not None and said != seen:
                mismatches.append(
                    RankMismatch(
                        stated=statement,  # noqa: B023 - used at once, inside the loop
                        field=field,
                        stated_value=said,
                        computed_value=seen,
                        compared_to=earlier,  # noqa: B023
                    )
                )

        add("rank", statement.rank, now)
        add("previous", statement.previous, then)
        add("change", statement.change, None if now is None or then is None else then - now)
    return tuple(mismatches)


# -- validation rules ----------------------------------------------------------------------


def _check_stated(plan: Plan, context: Context) -> Iterator[Finding]:
    from egovplan.rulebook import Finding

    stated: Sequence[StatedRank] = getattr(plan, "stated_ranks", ())
    if not stated:
        return
    positions = {id(statement): index for index, statement in enumerate(stated)}
    for mismatch in check_stated_ranks(stated, plan.observations):
        index = positions[id(mismatch.stated)]
        yield Finding(
            path=f"stated_ranks[{index}].{_field_path(mismatch.field)}",
            values=mismatch.values(context.locale),
            variant="statement" if mismatch.field == "statement" else None,
        )


def _field_path(field: str) -> str:
    return "change" if field == "statement" else field


_OBSERVED_FIELDS: Final = ("value", "score", "rank", "ranked")


def _check_repeated(plan: Plan, context: Context) -> Iterator[Finding]:
    from egovplan.rulebook import Finding

    first: dict[tuple[str, str, Period], int] = {}
    observations = plan.observations
    for index, observation in enumerate(observations):
        key = (observation.indicator, observation.subject, observation.period)
        if key not in first:
            first[key] = index
            continue
        earlier = observations[first[key]]
        for name in _OBSERVED_FIELDS:
            old, new = getattr(earlier, name), getattr(observation, name)
            if old is not None and new is not None and old != new:
                yield Finding(
                    path=f"observations[{index}].{name}",
                    values={
                        "indicator": observation.indicator,
                        "subject": observation.subject,
                        "period": str(observation.period),
                        "field": _term(name, context.locale),
                        "first": old,
                        "second": new,
                        "first_path": f"observations[{first[key]}]",
                    },
                )


def _check_places(plan: Plan, context: Context) -> Iterator[Finding]:
    from egovplan.rulebook import Finding

    for index, observation in enumerate(plan.observations):
        rank, ranked = observation.rank, observation.ranked
        path = f"observations[{index}]"
        who = {"indicator": observation.indicator, "subject": observation.subject}
        if rank is not None and rank < 1:
            yield Finding(path=f"{path}.rank", values={**who, "rank": rank})
        if ranked is not None and ranked < 1:
            yield Finding(path=f"{path}.ranked", values={**who, "rank": ranked})
        elif ranked is not None and rank is not None and rank > ranked:
            yield Finding(
                path=f"{path}.ranked",
                values={**who, "rank": rank, "ranked": ranked},
                variant="beyond",
            )
    for index, stated in enumerate(plan.stated_ranks):
        who = {"indicator": stated.indicator, "subject": stated.subject}
        for name in ("rank", "previous"):
            value = getattr(stated, name)
            if value is not None and value < 1:
                yield Finding(path=f"stated_ranks[{index}].{name}", values={**who, "rank": value})


def rank_rules() -> tuple[Rule, ...]:
    """The validation rules about ranks and observations, ready to register.

    - ``EGP701`` (warning): stated ranks and changes agree with the observations
      (reads the plan's ``stated_ranks``, when the plan has them);
    - ``EGP702`` (error): an observation is not repeated with a different value;
    - ``EGP703`` (error): ranks are places from 1, within the number ranked.

    >>> [rule.code for rule in rank_rules()]
    ['EGP701', 'EGP702', 'EGP703']
    """
    from egovplan.rulebook import Rule, Severity, shipped_texts

    return (
        Rule(
            code="EGP701",
            severity=Severity.WARNING,
            check=_check_stated,
            texts=shipped_texts("EGP701"),
        ),
        Rule(
            code="EGP702",
            severity=Severity.ERROR,
            check=_check_repeated,
            texts=shipped_texts("EGP702"),
        ),
        Rule(
            code="EGP703",
            severity=Severity.ERROR,
            check=_check_places,
            texts=shipped_texts("EGP703"),
        ),
    )
