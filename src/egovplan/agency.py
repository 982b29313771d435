"""Administrative levels and agencies.

Levels are data, not an enum: a plan lists the :class:`Level` objects it uses (Vietnam had
central / province / district / commune until 30 June 2025 and central / province / commune
since), usually taken from a level set of the catalogues.

>>> from egovplan.labels import Labels
>>> stttt = Agency(
...     id="stttt",
...     names=Labels(vi="Sở Thông tin và Truyền thông", en="Department of Information and"
...                  " Communications"),
...     abbreviation="STTTT",
...     kind="department",
...     level="province",
...     parent="ubnd",
... )
>>> stttt.name("vi"), stttt.abbreviation
('Sở Thông tin và Truyền thông', 'STTTT')
"""

from __future__ import annotations

import attrs

from egovplan import _fields as f
from egovplan.labels import Labels

__all__ = ["Agency", "Level"]


def _check_order(instance: Level, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise f.field_type_error(instance, attribute, value, "int")
    if value < 0:
        raise f.field_value_error(instance, attribute, f"must not be negative, got {value}")


@attrs.frozen(kw_only=True)
class Level:
    """An administrative level, such as province or commune.

    Attributes:
        id: the level's code (``"province"``), usually from the ``levels`` catalogue.
        names: its name in each locale.
        order: its depth, 0 at the top (central) and growing downwards.

    >>> from egovplan.catalog import Catalogues
    >>> [(lvl.id, lvl.order) for lvl in Catalogues.default().level_set("vn-2008")]
    [('central', 0), ('province', 1), ('district', 2), ('commune', 3)]
    """

    id: str = attrs.field(validator=f.check_id)
    names: Labels = attrs.field(validator=f.instance(Labels))
    order: int = attrs.field(validator=_check_order)

    def name(self, locale: str) -> str:
        """The level's name in ``locale`` (with fallback; the id when it has none)."""
        return self.names.get(locale, self.id)


@attrs.frozen(kw_only=True)
class Agency:
    """A public body, enterprise or other organisation that appears in a plan.

    Attributes:
        id: unique among the plan's agencies (``"stttt"``).
        names: its name in each locale.
        abbreviation: the short form used in documents (``"STTTT"``), if any.
        kind: a code of the ``agency_kinds`` catalogue (``"department"``).
        level: the id of its administrative :class:`Level`, if known.
        parent: the id of the agency it belongs to (a department's People's Committee;
            for an office holder, the body whose office it is).
        collective: whether it names a group of agencies each acting for itself ("các Sở,
            ban, ngành", "UBND các huyện, thành phố"): several collective leads on one task
            are not joint leads (EGP402 counts only the leads that are not collective).

    An office holder (the Chair of the People's Committee, a steering committee's head)
    is an agency of kind ``office_holder`` whose ``parent`` is the body it heads, so it
    stays distinct from that body.

    >>> Agency(id="ubnd", names=Labels(vi="UBND tỉnh"), kind="people_committee", parent=7)
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldTypeError: Agency.parent must be str or None, not int (7)
    """

    id: str = attrs.field(validator=f.check_id)
    names: Labels = attrs.field(validator=f.instance(Labels))
    abbreviation: str | None = attrs.field(default=None, validator=f.optional_text)
    kind: str = attrs.field(default="other", validator=f.check_id)
    level: str | None = attrs.field(default=None, validator=f.optional_id)
    parent: str | None = attrs.field(default=None, validator=f.optional_id)
    collective: bool = attrs.field(default=False, validator=f.instance(bool))

    def name(self, locale: str) -> str:
        """The agency's name in ``locale`` (with fallback; the id when it has none)."""
        return self.names.get(locale, self.id)
