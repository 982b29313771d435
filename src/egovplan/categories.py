"""Budget categories: investment (*chi đầu tư phát triển*) or recurrent spending.

A funding source and a budget line may name the category of the spending they pay for
(:class:`~egovplan.funding.FundingSource`, :class:`~egovplan.funding.BudgetLine`); a
breakdown by ``category`` groups by it. The categories are fixed; their names in each
language come from the ``budget_categories`` catalogue. :mod:`egovplan.funding` exports
:class:`BudgetCategory` too; it is defined here, below both the funding models and the
breakdowns, which read it.

>>> BudgetCategory("investment").label("vi")
'chi đầu tư phát triển'
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from egovplan import _fields as f
from egovplan.labels import Labels

if TYPE_CHECKING:
    from egovplan.catalog import Catalogues

__all__ = ["BudgetCategory"]


class BudgetCategory(enum.StrEnum):
    """Investment (*chi đầu tư phát triển*) or recurrent (*chi thường xuyên*) spending.

    The labels come from the ``budget_categories`` catalogue.

    >>> BudgetCategory("recurrent").label("vi")
    'chi thường xuyên'
    """

    INVESTMENT = "investment"
    RECURRENT = "recurrent"

    @classmethod
    def _missing_(cls, value: object) -> BudgetCategory:
        raise f.unknown_member(cls, value)

    def label(self, locale: str, catalogues: Catalogues | None = None) -> str:
        """The category's name in ``locale``."""
        return self.labels(catalogues).get(locale, self.value)

    def labels(self, catalogues: Catalogues | None = None) -> Labels:
        """The category's names, from ``catalogues`` (the built-in ones by default)."""
        from egovplan.catalog import Catalogues

        cats = Catalogues.default() if catalogues is None else catalogues
        kind = cats.budget_categories.get(self.value)
        return Labels({"en": self.value}) if kind is None else kind.labels
