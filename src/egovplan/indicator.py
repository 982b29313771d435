"""Indicators, observations of them, and ranks as a plan states them in prose.

An :class:`Indicator` is something a plan measures (``"fixed telephones per 100
inhabitants"``); it may belong to a framework (the ICT-Index) and to a group in it. An
:class:`Observation` is one measurement of an indicator *or a group* for one subject (a
province, an agency) and one period: a value, a score, a rank and the number of subjects
ranked. A :class:`StatedRank` is what a plan *says* about a rank ("Xếp thứ 4 (tăng 06 bậc so
với năm 2016)"), kept so that it can be checked against the observations
(:func:`egovplan.ranks.check_stated_ranks`).

Ranks follow the usual convention: 1 is best, and a rank *improves* when its number falls.

>>> from decimal import Decimal
>>> from egovplan.period import Period
>>> obs = Observation(indicator="ict.infra", subject="lao-cai", period=Period.year(2017),
...                   rank=7, ranked=63)
>>> obs.rank, obs.ranked
(7, 63)
>>> Observation(indicator="ict", subject="lao-cai", period=Period.year(2017), rank=64,
...             ranked=63).rank  # well formed but wrong: validation reports it (EGP703)
64
>>> StatedRank(indicator="ict.infra", subject="lao-cai", period=Period.year(2017), rank=7,
...            change=5).direction
'up'
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from egovplan import _fields as f
from egovplan.labels import Labels
from egovplan.period import Period

__all__ = ["Indicator", "Observation", "StatedRank"]


# A rank of 0, or more than the subjects ranked, is well formed: it loads, and validation
# reports it (EGP703). The constructor checks the type only.


def _optional_int(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise f.field_type_error(inst, attribute, value, "int or None")


_labels = f.instance(Labels)
_period = f.instance(Period)
_optional_period = f.instance(Period, optional=True)
_bool = f.instance(bool)


@attrs.frozen(kw_only=True)
class Indicator:
    """Something a plan or a framework measures.

    Attributes:
        id: unique among the indicators (and groups) a plan or framework knows.
        names: the name in each locale.
        unit: a unit name from :mod:`egovplan.units` (``"percent"``,
            ``"per_100_inhabitants"``, ``"score"``).
        higher_is_better: whether a larger value is an improvement (ranks are the other
            way round and are handled by :mod:`egovplan.ranks`).
        framework: the id of the framework the indicator belongs to, if any.
        group: the id of the group (in that framework) the indicator belongs to, if any.

    >>> from egovplan.labels import Labels
    >>> ind = Indicator(id="ict.infra.society.mobile_phones",
    ...                 names=Labels({"vi": "Tỷ lệ điện thoại di động/100 dân",
    ...                               "en": "Mobile phones per 100 inhabitants"}),
    ...                 unit="per_100_inhabitants", framework="vn-ict-index-2016",
    ...                 group="ict.infra.society")
    >>> ind.names.get("en"), ind.higher_is_better
    ('Mobile phones per 100 inhabitants', True)
    """

    id: str = attrs.field(validator=f.check_id)
    names: Labels = attrs.field(validator=_labels)
    unit: str = attrs.field(validator=f.check_id)
    higher_is_better: bool = attrs.field(default=True, validator=_bool)
    framework: str | None = attrs.field(default=None, validator=f.optional_id)
    group: str | None = attrs.field(default=None, validator=f.optional_id)


@attrs.frozen(kw_only=True)
class Observation:
    """One measurement of an indicator or a group, for one subject and one period.

    Any of ``value``, ``score``, ``rank`` may be missing; ``ranked`` is the number of
    subjects ranked (63 provinces), so ``1 <= rank <= ranked``: validation reports a rank
    that is not (EGP703).

    Attributes:
        indicator: the id of the indicator or group (or framework root) observed.
        subject: who was measured (a province, an agency): an id or a name.
        period: when (usually one year).
        value: the measured value, in the indicator's unit.
        score: the score the value earned in the framework's evaluation.
        rank: the subject's rank (1 is best).
        ranked: how many subjects were ranked.

    >>> from decimal import Decimal
    >>> from egovplan.period import Period
    >>> Observation(indicator="ict.infra.society.fixed_phones", subject="lao-cai",
    ...             period=Period.year(2017), score=Decimal("5.52")).score
    Decimal('5.52')
    >>> Observation(indicator="x", subject="y", period=Period.year(2017), score=5.52)
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldTypeError: Observation.score must be Decimal (or int or decimal str), ...
    """

    indicator: str = attrs.field(validator=f.check_id)
    subject: str = attrs.field(validator=f.check_id)
    period: Period = attrs.field(validator=_period)
    value: Decimal | None = attrs.field(
        default=None, converter=f.to_optional_decimal, validator=f.optional_decimal
    )
    score: Decimal | None = attrs.field(
        default=None, converter=f.to_optional_decimal, validator=f.optional_decimal
    )
    rank: int | None = attrs.field(default=None, validator=_optional_int)
    ranked: int | None = attrs.field(default=None, validator=_optional_int)


@attrs.frozen(kw_only=True)
class StatedRank:
    """A rank, or a change of rank, as a plan states it in prose.

    ``"Xếp thứ 4 (tăng 06 bậc so với năm 2016)"`` is ``rank=4, change=6`` for 2017 compared
    with 2016; ``"Giảm 02 bậc, từ thứ 12 (năm 2016) xuống thứ 14 (năm 2017)"`` is
    ``rank=14, previous=12, change=-2``. ``change`` counts places *up* (better): a fall is
    negative, "unchanged" is 0.

    Attributes:
        indicator: the id of the indicator or group (or framework root) the rank is for.
        subject: who is ranked (a province, an agency).
        period: the period the stated rank belongs to (the later one of a change).
        rank: the stated rank, if stated.
        previous: the stated rank of the earlier period, if stated ("từ thứ 12").
        change: the stated change in places, positive up (better), negative down.
        compared_to: the earlier period a change is measured from ("so với năm 2016").
        text: the words of the plan, for messages.

    >>> from egovplan.period import Period
    >>> s = StatedRank(indicator="ict.hr.society", subject="lao-cai", period=Period.year(2017),
    ...                rank=27, change=-14, compared_to=Period.year(2016),
    ...                text="Xếp thứ 27 (Giảm 14 bậc so với năm 2016)")
    >>> s.direction, s.implied_previous
    ('down', 13)
    """

    indicator: str = attrs.field(validator=f.check_id)
    subject: str = attrs.field(validator=f.check_id)
    period: Period = attrs.field(validator=_period)
    rank: int | None = attrs.field(default=None, validator=_optional_int)
    previous: int | None = attrs.field(default=None, validator=_optional_int)
    change: int | None = attrs.field(default=None, validator=_optional_int)
    compared_to: Period | None = attrs.field(default=None, validator=_optional_period)
    text: str | None = attrs.field(default=None, validator=f.optional_text)

    @property
    def direction(self) -> str | None:
        """``"up"``, ``"down"`` or ``"same"`` for the stated change; None if none is stated."""
        if self.change is None:
            return None
        if self.change > 0:
            return "up"
        if self.change < 0:
            return "down"
        return "same"

    @property
    def implied_previous(self) -> int | None:
        """The earlier rank that ``rank`` and ``change`` imply (``rank + change``).

        None unless both are stated. The result may be below 1 when the statement is
        impossible; :func:`egovplan.ranks.check_stated_ranks` reports that.
        """
        if self.rank is None or self.change is None:
            return None
        return self.rank + self.change
