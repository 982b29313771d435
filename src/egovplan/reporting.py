"""Reporting duties: who reports to whom, through whom, how often, about what.

>>> duty = ReportingDuty(id="r-quarterly", reporter="stttt", recipient="ubnd",
...                      cadence="quarterly", description="Progress of the scheme")
>>> duty.cadence, duty.all_reporters, duty.all_cadences
('quarterly', ('stttt',), ('quarterly',))

A duty of several reporters and recipients, at several cadences, through an intermediary
("các Sở, ngành, UBND các huyện định kỳ 6 tháng và đột xuất báo cáo theo hướng dẫn của Sở
TT&TT để tổng hợp báo cáo Chủ tịch UBND tỉnh"):

>>> duty = ReportingDuty(id="r-units", reporters=("departments", "district-committees"),
...                      recipient="chu-tich", via=("stttt",),
...                      cadences=("six_monthly", "ad_hoc"))
>>> duty.all_reporters, duty.all_recipients, duty.all_cadences
(('departments', 'district-committees'), ('chu-tich',), ('six_monthly', 'ad_hoc'))
"""

from __future__ import annotations

import attrs

from egovplan import _fields as f

__all__ = ["ReportingDuty"]


def _joined(one: str | None, more: tuple[str, ...]) -> tuple[str, ...]:
    if one is None:
        return more
    return (one, *(value for value in more if value != one))


@attrs.frozen(kw_only=True)
class ReportingDuty:
    """A duty to report: *the departments report quarterly to the Department of ICT*.

    A duty names its reporters, recipients and cadences either one each (``reporter``,
    ``recipient``, ``cadence``: the form of format version 1) or as lists (``reporters``,
    ``recipients``, ``cadences``), or both: the duty's are the single one followed by the
    list (:attr:`all_reporters`, …). Validation reports a duty with no reporter or no
    recipient (EGP602). A duty without a cadence states none; "định kỳ" with no period
    stated is the cadence ``periodic``.

    Attributes:
        id: unique among the plan's reporting duties.
        reporter: the id of the agency that reports.
        recipient: the id of the agency reported to.
        cadence: a code of the ``cadences`` catalogue: ``monthly``, ``quarterly``,
            ``six_monthly``, ``yearly``, ``ad_hoc``, ``periodic`` ("định kỳ", no period
            stated) (validation checks it is known).
        description: the duty as the document words it.
        reporters: the ids of the agencies that report (several: "các Sở, ngành, UBND các
            huyện").
        recipients: the ids of the agencies or office holders reported to.
        cadences: codes of the ``cadences`` catalogue, when several ("định kỳ 6 tháng và
            đột xuất": ``six_monthly``, ``ad_hoc``).
        via: the ids of the agencies the report goes through, in order, to be compiled
            ("theo hướng dẫn của Sở TT&TT để tổng hợp báo cáo Chủ tịch UBND tỉnh": the
            Department of ICT).
        subject: what is reported ("kết quả thực hiện Kế hoạch", "tình hình ứng dụng CNTT").
        due: when the report is due, in words, when the document ties it to something
            other than a cadence ("cùng thời gian gửi báo cáo dự toán ngân sách hàng năm",
            "trước ngày 15/12").
    """

    id: str = attrs.field(validator=f.check_id)
    reporter: str | None = attrs.field(default=None, validator=f.optional_id)
    recipient: str | None = attrs.field(default=None, validator=f.optional_id)
    cadence: str | None = attrs.field(default=None, validator=f.optional_id)
    description: str | None = attrs.field(default=None, validator=f.optional_text)
    reporters: tuple[str, ...] = attrs.field(default=(), validator=f.tuple_of_ids)
    recipients: tuple[str, ...] = attrs.field(default=(), validator=f.tuple_of_ids)
    cadences: tuple[str, ...] = attrs.field(default=(), validator=f.tuple_of_ids)
    via: tuple[str, ...] = attrs.field(default=(), validator=f.tuple_of_ids)
    subject: str | None = attrs.field(default=None, validator=f.optional_text)
    due: str | None = attrs.field(default=None, validator=f.optional_text)

    @property
    def all_reporters(self) -> tuple[str, ...]:
        """``reporter`` then ``reporters`` (each once)."""
        return _joined(self.reporter, self.reporters)

    @property
    def all_recipients(self) -> tuple[str, ...]:
        """``recipient`` then ``recipients`` (each once)."""
        return _joined(self.recipient, self.recipients)

    @property
    def all_cadences(self) -> tuple[str, ...]:
        """``cadence`` then ``cadences`` (each once); empty when the duty states none."""
        return _joined(self.cadence, self.cadences)
