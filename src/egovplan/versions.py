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
version before need one), its schema frozen (``python -m egovplan.versions --freeze``),
and an entry in the "Changes between versions" section of ``docs/format.md``.

>>> FORMAT_HISTORY.current
2
>>> FORMAT_HISTORY.check(1)
1
>>> FORMAT_HISTORY.check(7)
Traceback (most recent call last):
...
egovplan.versions.UnknownFormatVersionError: this egovplan reads format versions 1 and 2, not \
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

        >>> FORMAT_HISTORY.reads_as_is(1), FORMAT_HISTORY.reads_as_is(9)
        (True, False)
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


def _schema_name(version: int) -> str:
    return f"plan-format-{version}.json"


def frozen_schema(version: int) -> dict[str, Any] | None:
    """The JSON Schema of ``version`` as it was frozen, or ``None`` if none is shipped.

    The current version's schema is also derived from the models
    (:func:`egovplan.json_schema`); a test keeps the frozen one the same.
    """
    name = f"schemas/{_schema_name(version)}"
    if not data_file(name).is_file():
        return None
    loaded: dict[str, Any] = json.loads(data_text(name))
    return loaded


def _freeze() -> str:
    """Write the current version's schema as its frozen file; return the file's path."""
    from pathlib import Path

    from egovplan.schema import json_schema

    version = FORMAT_HISTORY.current
    target = Path(__file__).parent / "data" / "schemas" / _schema_name(version)
    target.parent.mkdir(exist_ok=True)
    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    target.write_text(text, encoding="utf-8")
    return str(target)


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    import sys

    if sys.argv[1:] != ["--freeze"]:
        sys.exit("usage: python -m egovplan.versions --freeze")
    print(_freeze())
