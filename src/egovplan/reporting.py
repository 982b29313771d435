"""Reporting duties: who reports to whom, how often.

>>> duty = ReportingDuty(id="r-quarterly", reporter="stttt", recipient="ubnd",
...                      cadence="quarterly", description="Progress of the scheme")
>>> duty.cadence
'quarterly'
"""

from __future__ import annotations

import attrs

from egovplan import _fields as f

__all__ = ["ReportingDuty"]


@attrs.frozen(kw_only=True)
class ReportingDuty:
    """A duty to report: *the departments report quarterly to the Department of ICT*.

    Attributes:
        id: unique among the plan's reporting duties.
        reporter: the id of the agency that reports.
        recipient: the id of the agency reported to.
        cadence: a code of the ``cadences`` catalogue: ``monthly``, ``quarterly``,
            ``six_monthly``, ``yearly``, ``ad_hoc`` (validation checks it is known).
        description: what is reported, as the document says it.
    """

    id: str = attrs.field(validator=f.check_id)
    reporter: str = attrs.field(validator=f.check_id)
    recipient: str = attrs.field(validator=f.check_id)
    cadence: str = attrs.field(validator=f.check_id)
    description: str | None = attrs.field(default=None, validator=f.optional_text)
