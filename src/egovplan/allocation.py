"""Splitting a whole into parts that add up exactly: allocation and percentage shares.

Both use the *largest-remainder method*: every part first gets the whole number of units
its exact share contains, then the units left over go, one each, to the parts whose exact
shares lost most in that step.  Ties are broken by the larger weight first, then by the
earlier position; so the result does not depend on the order of the input (permuting the
weights permutes the parts) and scaling every weight by the same factor changes nothing.

>>> allocate_units(100, [1, 1, 1])
[34, 33, 33]
>>> [str(s) for s in shares([200, 150, 81, 320, 20, 30, 100])]
['22.20', '16.65', '8.99', '35.51', '2.22', '3.33', '11.10']
>>> sum(shares([1, 1, 1]))
Decimal('100.00')

The functions are defined in :mod:`egovplan.money`, beside :meth:`Money.allocate
<egovplan.money.Money.allocate>`, which splits an amount by them: a weight may itself be
an amount of money. This module is where they are documented and imported from.
"""

from __future__ import annotations

from egovplan.money import MAX_PLACES, AllocationError, Weight, allocate_units, shares

__all__ = ["MAX_PLACES", "AllocationError", "Weight", "allocate_units", "shares"]
