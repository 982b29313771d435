"""Money as egovplan's own readers and writers handle it, for speed.

:func:`json_text` is Money's JSON text, written in one place for plan files, reports,
breakdowns and tables.

A reader that has already checked an amount's digits and its currency (the JSON loader
reading ``"901000000000 VND"``) builds the :class:`~egovplan.money.Money` the constructor
would build, field for field, with :func:`trusted`; :func:`known_currency` is the check of
the currency it must have made. Nothing outside egovplan's loaders should need this.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Final

from egovplan.money import Money, MoneyError, minor_digits

__all__ = ["json_text", "known_currency", "set_amount", "set_currency", "trusted"]

new_object: Final = object.__new__
set_amount: Final[Callable[[Money, Decimal], None]] = Money.__dict__["amount"].__set__
set_currency: Final[Callable[[Money, str], None]] = Money.__dict__["currency"].__set__


def known_currency(currency: str) -> bool:
    """Whether ``currency`` (a ``str``) is an ISO 4217 code babel knows (cached)."""
    try:
        minor_digits(currency)
    except MoneyError:
        return False
    return True


def trusted(amount: Decimal, currency: str) -> Money:
    """``Money(amount, currency)`` without the converter and validator: for readers only.

    The caller guarantees what the constructor would check and normalise: ``amount`` is
    a finite ``Decimal`` within ``1E±60``, not ``-0``, with an exponent of 0 (so the
    converter would keep it as it is), and ``currency`` is a ``str`` for which
    :func:`known_currency` holds.
    The object is then the one ``Money(amount, currency)`` builds, field for field
    (equal, same hash and repr). Readers use it for amounts whose digits they have
    already checked (``"901000000000 VND"``).
    """
    money: Money = new_object(Money)
    set_amount(money, amount)
    set_currency(money, currency)
    return money


def json_text(money: Money) -> str:
    """Money in JSON, as plan files, reports and breakdowns all write it: ``"2.50 USD"``.

    The amount in full (never an exponent: ``"1000"``, not ``"1E+3"``), one space, the
    ISO 4217 code. :func:`egovplan.serialization.from_dict` reads it back
    (``from_dict("2.50 USD", Money)``); ``docs/format.md`` documents it.
    """
    # format(amount, "f"), faster: str() gives the same text unless it has an exponent.
    number = str(money.amount)
    if "E" in number or "e" in number:
        number = format(money.amount, "f")
    return f"{number} {money.currency}"
