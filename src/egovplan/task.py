"""Tasks, their schedules, and which agency does what on them.

>>> from egovplan.period import Period, Quarter
>>> from egovplan.recurrence import Recurrence
>>> from egovplan.when import When
>>> task = Task(
...     id="t-dvc",
...     title="Raise online public services to levels 3 and 4",
...     heading="Applications",
...     indicators=("ict.apps.online_services",),
...     schedule=Schedule(period=Period.quarters(Quarter(2018, 1), Quarter(2018, 4))),
...     assignments=(Assignment(agency="stttt", role="lead"),
...                  Assignment(agency="vp-ubnd", role="coordinate")),
... )
>>> [a.agency for a in task.lead], task.agencies("coordinate")
(['stttt'], ('vp-ubnd',))
"""

from __future__ import annotations

from typing import Final

import attrs

from egovplan import _fields as f
from egovplan.labels import Labels
from egovplan.objective import Target
from egovplan.period import Period
from egovplan.recurrence import Recurrence
from egovplan.when import When, optional_when, to_when

__all__ = ["LEAD", "Assignment", "Schedule", "Task"]

#: The role code of the agency that leads (*chủ trì*) a task.
LEAD: Final = "lead"


@attrs.frozen(kw_only=True)
class Assignment:
    """One agency's role on a task.

    Attributes:
        agency: the id of the agency.
        role: a code of the ``roles`` catalogue: ``lead`` (*chủ trì*), ``coordinate``
            (*phối hợp*), ``fund`` (*bảo đảm kinh phí*), ``advise`` (*tham mưu*),
            ``monitor`` (*theo dõi, đôn đốc, kiểm tra*), or one of your own.
    """

    agency: str = attrs.field(validator=f.check_id)
    role: str = attrs.field(validator=f.check_id)


@attrs.frozen(kw_only=True)
class Schedule:
    """When a task is done: a period, a start, a deadline, how often, "regularly", or words.

    Attributes:
        period: the quarters or years the task runs in ("Quý I–Quý IV", "2021–2025").
        deadline: when it must be done by: a day ("trước ngày 30/3"), a month, a
            quarter or a year (a :class:`~egovplan.when.When`; a ``datetime.date`` is
            taken as its day).
        regular: whether it is done continually (*thường xuyên*), without an end.
        text: the schedule as the document words it.
        start: when it starts, for a task with an open start ("from January 2024",
            *từ tháng 1/2024*).
        recurrence: how often it recurs ("hàng năm" = every year, "6 tháng một lần" =
            every six months).

    >>> import datetime
    >>> s = Schedule(period=Period.year(2018), deadline=datetime.date(2018, 3, 30))
    >>> str(s.deadline)
    '2018-03-30'
    >>> Schedule(start=When(2024, month=1), recurrence=Recurrence(unit="year")).recurrence.format("vi")
    'hàng năm'
    >>> Schedule(deadline="30/3")
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldTypeError: Schedule.deadline must be When, an int year, a datetime.date or None, not str ...
    """  # noqa: E501

    period: Period | None = attrs.field(default=None, validator=f.instance(Period, optional=True))
    deadline: When | None = attrs.field(default=None, converter=to_when, validator=optional_when)
    regular: bool = attrs.field(default=False, validator=f.instance(bool))
    text: str | None = attrs.field(default=None, validator=f.optional_text)
    start: When | None = attrs.field(default=None, converter=to_when, validator=optional_when)
    recurrence: Recurrence | None = attrs.field(
        default=None, validator=f.instance(Recurrence, optional=True)
    )


@attrs.frozen(kw_only=True)
class Task:
    """A task (*nhiệm vụ*) of a plan.

    Attributes:
        id: unique among the plan's tasks.
        title: the task as the document words it.
        heading: the heading or group it is listed under (infrastructure, applications…).
        objectives: ids of the objectives it serves.
        indicators: ids of the indicators it improves.
        schedule: when it is done.
        assignments: which agency plays which role; exactly one ``lead`` is expected
            (validation checks).
        targets: the targets the document sets for the task itself ("hoàn thành 100 %
            hồ sơ trong năm 2024"); target ids are unique among all the plan's targets,
            objectives' and tasks' alike.
    """

    id: str = attrs.field(validator=f.check_id)
    title: str | Labels = attrs.field(validator=f.text_or_labels)
    heading: str | None = attrs.field(default=None, validator=f.optional_text)
    objectives: tuple[str, ...] = attrs.field(default=(), validator=f.tuple_of_ids)
    indicators: tuple[str, ...] = attrs.field(default=(), validator=f.tuple_of_ids)
    schedule: Schedule | None = attrs.field(
        default=None, validator=f.instance(Schedule, optional=True)
    )
    assignments: tuple[Assignment, ...] = attrs.field(default=(), validator=f.tuple_of(Assignment))
    targets: tuple[Target, ...] = attrs.field(default=(), validator=f.tuple_of(Target))

    @property
    def lead(self) -> tuple[Assignment, ...]:
        """The assignments with the ``lead`` role (normally exactly one)."""
        return tuple(a for a in self.assignments if a.role == LEAD)

    def agencies(self, role: str) -> tuple[str, ...]:
        """The ids of the agencies with ``role`` on this task, in order."""
        return tuple(a.agency for a in self.assignments if a.role == role)
