"""Plan-format versions: which this egovplan reads and writes, and how old files upgrade.

Every plan file starts with ``format_version``. The versions are a list of data, one
:class:`FormatVersion` each, in :data:`FORMAT_HISTORY`: the last is the one
:func:`egovplan.dumps` and ``egovplan convert`` write, and every one of them is read,
forever. A version after the first names the step that turns a document of the version
before into one of it (:attr:`FormatVersion.upgrade`); a version that only adds fields
needs none, since every document of the version before already is one of it. Reading a
file of an older version applies the steps in turn; ``egovplan upgrade FILE`` writes the
result back.

Each version's JSON Schema is shipped, frozen, in ``egovplan/data/schemas/``
(:func:`frozen_schema`); the current version's is also derived from the models
(:func:`egovplan.json_schema`), and a test keeps the two the same. A change to the models
that changes what files hold therefore fails that test until it gets a version of its
own: one more entry in :data:`_VERSIONS` (with its upgrade step, if documents of the
version before need one), its schema frozen (``python -m egovplan.schema --freeze``),
and an entry in the "Changes between versions" section of ``docs/format.md``.

>>> FORMAT_HISTORY.current
3
>>> FORMAT_HISTORY.check(1)
1
>>> FORMAT_HISTORY.check(7)
Traceback (most recent call last):
...
egovplan.versions.UnknownFormatVersionError: this egovplan reads format versions 1, 2 and 3, not \
the number 7; a newer egovplan wrote this file: upgrade egovplan to read it
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final

import attrs

from egovplan import _fields as f
from egovplan._data import data_file, data_text
from egovplan._described import describe
from egovplan.errors import EgovplanError

__all__ = [
    "FORMAT_HISTORY",
    "FORMAT_VERSION",
    "FormatHistory",
    "FormatVersion",
    "UnknownFormatVersionError",
    "active_history",
    "frozen_schema",
    "frozen_schema_file",
    "using_history",
]

#: A step of :attr:`FormatVersion.upgrade`: a document of the version before (its fields
#: without ``format_version``) to one of this version. It gets a copy it may change.
Upgrade = Callable[[dict[str, Any]], dict[str, Any]]


class UnknownFormatVersionError(EgovplanError, ValueError):
    """A ``format_version`` that is not one of the versions this egovplan reads."""


def _check_number(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 1:
        raise f.field_type_error(_, attribute, value, "int (a version from 1)")


def _check_upgrade(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not callable(value):
        raise f.field_type_error(inst, attribute, value, "a callable or None")


@attrs.frozen(kw_only=True)
class FormatVersion:
    """One version of the plan file format.

    Attributes:
        number: the version, as files write it in ``format_version`` (1, 2, …).
        changes: what changed from the version before, one English sentence each (for
            the first version: what it is); ``egovplan upgrade`` shows them.
        upgrade: the step from a document of the version before to one of this version,
            or ``None`` when every document of the version before is already one of this
            version (a version that only adds fields), and for the first version.

    >>> FormatVersion(number=2, changes=("Budget lines may name a programme.",)).upgrade is None
    True
    """

    number: int = attrs.field(validator=_check_number)
    changes: tuple[str, ...] = attrs.field(converter=f.to_tuple, validator=f.tuple_of_text)
    upgrade: Upgrade | None = attrs.field(
        default=None, validator=_check_upgrade, eq=False, repr=False
    )


def _check_versions(
    inst: object, attribute: attrs.Attribute[Any], value: tuple[FormatVersion, ...]
) -> None:
    f.tuple_of(FormatVersion)(inst, attribute, value)
    if not value:
        raise f.field_value_error(inst, attribute, "must hold at least version 1")
    for index, version in enumerate(value):
        if version.number != index + 1:
            raise f.field_value_error(
                inst,
                attribute,
                f"must be the versions 1, 2, … in order; found {version.number} in place of"
                f" {index + 1}",
                index=index,
            )
    if value[0].upgrade is not None:
        raise f.field_value_error(inst, attribute, "version 1 has no version before it")


def _versions_text(numbers: tuple[int, ...]) -> str:
    if len(numbers) == 1:
        return f"version {numbers[0]}"
    return "versions " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


@attrs.frozen
class FormatHistory:
    """Every version of the format, oldest first: what this egovplan reads and writes.

    Attributes:
        versions: :class:`FormatVersion` 1, 2, … in order.
    """

    versions: tuple[FormatVersion, ...] = attrs.field(
        converter=f.to_tuple, validator=_check_versions
    )

    @property
    def current(self) -> int:
        """The version written: the last."""
        return self.versions[-1].number

    @property
    def readable(self) -> tuple[int, ...]:
        """Every version read."""
        return tuple(version.number for version in self.versions)

    def with_version(self, version: FormatVersion) -> FormatHistory:
        """This history with ``version`` as the next (and current) version."""
        return FormatHistory((*self.versions, version))

    def reads_as_is(self, version: object) -> bool:
        """Whether a document of ``version`` is one of the current version as it is.

        True for the current version, and for an older one when every version since only
        added fields (no upgrade step): the fast readers then take it directly.

        >>> [FORMAT_HISTORY.reads_as_is(v) for v in (1, 2, 3, 9)]  # 3 renamed a field
        [False, False, True, False]
        """
        if type(version) is not int or not 1 <= version <= self.current:
            return False
        return all(step.upgrade is None for step in self.versions[version:])

    def describe_readable(self) -> str:
        """``"version 1"``, ``"versions 1 and 2"``: the versions read, for messages."""
        return _versions_text(self.readable)

    def check(self, version: object) -> int:
        """``version`` as a number this egovplan reads.

        Raises:
            UnknownFormatVersionError: ``version`` is not one of :attr:`readable`; the
                message names the versions that are.
        """
        if type(version) is int and 1 <= version <= self.current:
            return version
        message = f"this egovplan reads format {self.describe_readable()}, not {describe(version)}"
        if type(version) is int and version > self.current:
            message += "; a newer egovplan wrote this file: upgrade egovplan to read it"
        raise UnknownFormatVersionError(message)

    def upgrade(self, body: Mapping[str, Any], version: int) -> dict[str, Any]:
        """A document's fields (without ``format_version``) of ``version``, made current.

        Every upgrade step after ``version`` is applied in turn.

        >>> FORMAT_HISTORY.upgrade({"id": "p"}, 1)
        {'id': 'p'}
        """
        number = self.check(version)
        data = dict(body)
        for step in self.versions[number:]:
            if step.upgrade is not None:
                data = step.upgrade(dict(data))
        return data

    def changes_since(self, version: int) -> tuple[tuple[int, str], ...]:
        """``(version, change)`` for every change after ``version``, oldest first."""
        number = self.check(version)
        return tuple(
            (step.number, change) for step in self.versions[number:] for change in step.changes
        )


#: The comparator of a range, as files write it.
_BETWEEN: Final = "between"


def _level_entries(target: dict[str, Any]) -> dict[str, Any]:
    """A target of version 2 with ``by_level: {level: value}`` as version 3's entries.

    Each entry takes the target's comparator (and, for a range, its upper bound), which
    version 2 applied to every level. A target without a value of its own used them for
    its levels only: they move to the entries.
    """
    by_level = target.get("by_level")
    if not isinstance(by_level, Mapping):
        return target
    shared: dict[str, Any] = {}
    if "comparator" in target:
        shared["comparator"] = target["comparator"]
        if "upper" in target and target["comparator"] == _BETWEEN:
            shared["upper"] = target["upper"]
    if target.get("value") is None and by_level:
        target = {k: v for k, v in target.items() if k not in shared}
    entries = []
    for level, value in by_level.items():
        entry: dict[str, Any] = {"level": level}
        if "comparator" in shared:
            entry["comparator"] = shared["comparator"]
        entry["value"] = value
        if "upper" in shared:
            entry["upper"] = shared["upper"]
        entries.append(entry)
    return {**target, "by_level": entries}


def _upgrade_objectives(objectives: Any) -> Any:
    if not isinstance(objectives, list):
        return objectives
    out: list[Any] = []
    for objective in objectives:
        if isinstance(objective, Mapping):
            objective = dict(objective)
            targets = objective.get("targets")
            if isinstance(targets, list):
                objective["targets"] = [
                    _level_entries(dict(t)) if isinstance(t, Mapping) else t for t in targets
                ]
            if "children" in objective:
                objective["children"] = _upgrade_objectives(objective["children"])
        out.append(objective)
    return out


def _level_targets(body: dict[str, Any]) -> dict[str, Any]:
    """Version 2 to 3, targets: per-level values become entries with a comparator each."""
    if "objectives" in body:
        body["objectives"] = _upgrade_objectives(body["objectives"])
    return body


def _spending_rule_percent(document: dict[str, Any]) -> dict[str, Any]:
    """Version 2 to 3: a spending rule's ``minimum_percent`` becomes ``percent``.

    The comparator a version-3 rule leaves out is ``>=`` (at least): the old field's
    meaning. Anything that is not a document's funding rules as version 2 writes them is
    left as it is, for the reader to report.
    """
    funding = document.get("funding")
    if not isinstance(funding, dict) or not isinstance(funding.get("rules"), list):
        return document
    rules = []
    for rule in funding["rules"]:
        if isinstance(rule, dict) and "minimum_percent" in rule and "percent" not in rule:
            rule = {("percent" if key == "minimum_percent" else key): v for key, v in rule.items()}
        rules.append(rule)
    document["funding"] = {**funding, "rules": rules}
    return document


def _to_version_3(body: dict[str, Any]) -> dict[str, Any]:
    """Version 2 to 3: per-level target entries, and spending rules' ``percent``."""
    return _spending_rule_percent(_level_targets(body))


#: The versions of the plan file format, oldest first. The next version is one more
#: entry here (see the module's documentation).
_VERSIONS: Final = (
    FormatVersion(
        number=1,
        changes=(
            "The first version: plans with their metadata, legal bases, levels, agencies,"
            " objectives and targets, tasks, funding, reporting, indicators, observations,"
            " stated ranks and sections.",
        ),
    ),
    FormatVersion(
        number=2,
        changes=(
            "Agencies may be collective (`collective: true`): a group of agencies each acting"
            " for itself, such as 'các Sở, ban, ngành'.",
            "Reporting duties may name several reporters, recipients and cadences"
            " (`reporters`, `recipients`, `cadences`), the agencies a report goes through"
            " (`via`), what is reported (`subject`) and a deadline in words (`due`);"
            " `reporter`, `recipient` and `cadence` are no longer required.",
            "A funding source may leave out its amount and its kind: a source the document"
            ' names without an amount ("bank loans") is held as it is, shown as not stated'
            " and left out of sums, which say so.",
            "A budget line may give a period (a range of years or a quarter) and a status"
            " (original or revised); a revised line may be negative.",
        ),
    ),
    FormatVersion(
        number=3,
        changes=(
            "A plan may record the money that actually moved (`flows`): commitments,"
            " disbursements, expenditure and the other kinds of the `flow_kinds` catalogue"
            " (IATI's transaction types), each with an id, a kind, an amount (negative for a"
            " return or correction) and, as known, a source, year, period, date, agency,"
            " task, objective, category and description.",
            "A target's deadline may be a quarter, a month or a day as well as a year, and a"
            ' deadline ("by 2015", written `by 2015`) as well as a time (`2024-Q3`,'
            " `2024-06`, `2024-06-30`); a year that is no deadline stays a number.",
            'A task\'s schedule may give an open start (`start`: "from January 2024"), a'
            " deadline that is a month, a quarter or a year (and `by`), and how often the"
            ' task recurs (`recurrence: {interval: 6, unit: month}`: "6 tháng một lần").',
            "A target's `by_level` is a list of entries (`level`, `comparator`, `value`,"
            " `upper`, `counts`), each with its own comparator and what it counts at that"
            ' level ("100 % of departments and at least 60 % of people\'s committees");'
            " upgrading turns each `level: value` of version 2 into an entry with the"
            " target's comparator.",
            "A baseline may leave out its year and may name its `source`.",
            "A target may be of `kind` `qualitative` or `milestone` (no value and no unit"
            " needed), may carry `qualifiers` (approximate, expected, strive, ensure), a"
            " `description`, a means of `verification`, the part of the document that lists"
            " its items (`items_listed_in`), and the targets of other plans it"
            " `contributes_to` (plan id and target id).",
            "A task may have targets of its own (`targets`).",
            "A spending rule's `minimum_percent` is now `percent` and optional, beside a"
            " `comparator` (`>=` at least, the default and the old meaning; `<=` at most;"
            " `=` exactly), a base named in words (`base_kind`), who pays (`agencies`,"
            " `levels`, `sources`), a `category`, how often it applies (`cadence`) and who"
            " decides case by case (`decided_by`); upgrading renames `minimum_percent`.",
            "Funding may record exchange rates (`exchange_rates`): amounts in several"
            " currencies are converted through them in sums, breakdowns and validation.",
            "The plan's title, an objective's text, a target's measure and a task's title may"
            " be text per language (`{vi: …, en: …}`) as well as plain text, which stays"
            " valid and means the document's language.",
            "A plan may name the decision that issues it (`issued_with`), the submission a"
            " decision answers (`submission`), when it takes effect (`entry_into_force`), its"
            " annexes (`annexes`) and the documents its body cites, with where (`citations`);"
            " a document reference may name its `jurisdiction` (another citation grammar).",
            "A period may start and end on a month or a day (`2024-03..2026-06`,"
            ' `2024-03-15..2026-12-31`; "tháng 3/2024 – tháng 6/2026") as well as on a'
            " quarter or a year.",
        ),
        upgrade=_to_version_3,
    ),
)

#: The versions this egovplan reads; the last is the one it writes.
FORMAT_HISTORY: Final = FormatHistory(_VERSIONS)

#: The version of the plan file format this egovplan writes (it reads every version of
#: :data:`FORMAT_HISTORY`).
FORMAT_VERSION: Final = FORMAT_HISTORY.current

_ACTIVE: Final[contextvars.ContextVar[FormatHistory]] = contextvars.ContextVar(
    "egovplan_format_history", default=FORMAT_HISTORY
)


def active_history() -> FormatHistory:
    """The history reading and writing use.

    :data:`FORMAT_HISTORY`, unless :func:`using_history` says otherwise.
    """
    return _ACTIVE.get()


@contextlib.contextmanager
def using_history(history: FormatHistory) -> Iterator[FormatHistory]:
    """Read and write plans by ``history`` inside the ``with`` block (in this context only).

    For trying a format version before it is released, and for testing the upgrade
    machinery with a version of its own.
    """
    if not isinstance(history, FormatHistory):
        raise f.field_type_error(
            history, attrs.fields(FormatHistory).versions, history, "FormatHistory"
        )
    token = _ACTIVE.set(history)
    try:
        yield history
    finally:
        _ACTIVE.reset(token)


def frozen_schema_file(version: int) -> str:
    """Where ``version``'s frozen schema is shipped, under egovplan's data folder.

    >>> frozen_schema_file(3)
    'schemas/plan-format-3.json'
    """
    return f"schemas/plan-format-{version}.json"


def frozen_schema(version: int) -> dict[str, Any] | None:
    """The JSON Schema of ``version`` as it was frozen, or ``None`` if none is shipped.

    The current version's schema is also derived from the models
    (:func:`egovplan.json_schema`); a test keeps the frozen one the same.
    """
    name = frozen_schema_file(version)
    if not data_file(name).is_file():
        return None
    loaded: dict[str, Any] = json.loads(data_text(name))
    return loaded
