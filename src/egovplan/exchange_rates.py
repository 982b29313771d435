"""Exchange rates the caller supplies, for combining breakdowns in different currencies.

egovplan never looks a rate up: :class:`ExchangeRates` holds the rates a caller states
(with their day and source), and :func:`egovplan.breakdowns.combine` converts with them
only, recording the rates used.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from egovplan import _fields as f
from egovplan._decimal import methods_in_own_context
from egovplan._grouping import (
    CONTEXT,
    word,
)
from egovplan.errors import CurrencyMismatchError
from egovplan.money import Money, minor_digits

__all__ = ["ExchangeRate", "ExchangeRates"]


def _check_currency(inst: Any, attribute: attrs.Attribute[str], value: Any) -> None:
    f.text(inst, attribute, value)
    try:
        minor_digits(value)
    except ValueError as error:
        raise f.field_value_error(inst, attribute, str(error)) from None


def _check_rate(inst: Any, attribute: attrs.Attribute[Decimal], value: Any) -> None:
    f.decimal(inst, attribute, value)
    if value <= 0:
        raise f.field_value_error(inst, attribute, f"must be positive, not {value}")


def _check_day(inst: Any, attribute: attrs.Attribute[dt.date], value: Any) -> None:
    if value is None:
        raise f.field_type_error(inst, attribute, value, "datetime.date")
    f.check_date(inst, attribute, value)


@methods_in_own_context
@attrs.frozen(kw_only=True)
class ExchangeRate:
    """One exchange rate: ``1 base = rate quote`` on ``date``.

    Attributes:
        base: the currency converted from (ISO 4217).
        quote: the currency converted to.
        rate: how many ``quote`` one ``base`` buys (a positive ``Decimal``; never float).
        date: the day the rate applies to.
        source: who publishes it (``"State Bank of Vietnam"``), if recorded.

    >>> usd = ExchangeRate(base="USD", quote="VND", rate="25000", date=dt.date(2025, 1, 2))
    >>> usd.convert(Money("1.50", "USD"))
    Money('37500', 'VND')
    >>> usd.note("en")
    'Exchange rate: 1 USD = 25,000 VND (on 2025-01-02)'
    """

    base: str = attrs.field(validator=_check_currency)
    quote: str = attrs.field(validator=_check_currency)
    rate: Decimal = attrs.field(converter=f.to_decimal, validator=_check_rate)
    date: dt.date = attrs.field(validator=_check_day)
    source: str | None = attrs.field(default=None, validator=f.optional_text)

    def convert(self, amount: Money) -> Money:
        """``amount`` in the other currency, rounded to its minor unit (half up).

        Converts ``base`` to ``quote`` by multiplying and ``quote`` to ``base`` by dividing.

        Raises:
            CurrencyMismatchError: ``amount`` is in neither currency.
        """
        if amount.currency == self.base:
            return Money(amount.amount * self.rate, self.quote).rounded()
        if amount.currency == self.quote:
            return Money(CONTEXT.divide(amount.amount, self.rate), self.base).rounded()
        raise CurrencyMismatchError(
            f"a {self.base}/{self.quote} rate cannot convert {amount.currency}"
        )

    def note(self, locale: str) -> str:
        """A line recording the rate under a table, in ``locale``."""
        from babel.dates import format_date

        from egovplan.tables import format_number

        date = format_date(self.date, format=word("date_pattern", locale), locale=locale)
        template = "exchange_note_source" if self.source else "exchange_note"
        return word(template, locale).format(
            base=self.base,
            quote=self.quote,
            rate=format_number(self.rate, locale),
            date=date,
            source=self.source,
        )

    def to_dict(self) -> dict[str, Any]:
        """The rate as JSON-ready data."""
        return {
            "base": self.base,
            "quote": self.quote,
            "rate": str(self.rate),
            "date": self.date.isoformat(),
            "source": self.source,
        }


@methods_in_own_context
@attrs.frozen(kw_only=True)
class ExchangeRates:
    """The exchange rates a caller supplies for :func:`combine`.

    >>> rates = ExchangeRates(rates=(
    ...     ExchangeRate(base="USD", quote="VND", rate="24000", date=dt.date(2024, 1, 2)),
    ...     ExchangeRate(base="USD", quote="VND", rate="25000", date=dt.date(2025, 1, 2))))
    >>> rates.find("USD", "VND").rate, rates.find("VND", "USD").rate
    (Decimal('25000'), Decimal('25000'))
    >>> rates.find("USD", "VND", on=dt.date(2024, 6, 1)).rate
    Decimal('24000')
    >>> rates.find("EUR", "VND") is None
    True
    """

    rates: tuple[ExchangeRate, ...] = attrs.field(
        converter=f.to_tuple, validator=f.tuple_of(ExchangeRate)
    )

    def find(self, base: str, quote: str, *, on: dt.date | None = None) -> ExchangeRate | None:
        """The latest rate between the two currencies, in either direction.

        Only rates on or before ``on`` count, if it is given. ``None`` when there is none.
        """
        candidates = [
            rate
            for rate in self.rates
            if {rate.base, rate.quote} == {base, quote} and (on is None or rate.date <= on)
        ]
        if not candidates:
            return None
        return max(candidates, key=lambda rate: (rate.date, rate.base == base))

    def convert(
        self, amount: Money, currency: str, *, on: dt.date | None = None
    ) -> tuple[Money, ExchangeRate | None]:
        """``amount`` in ``currency`` and the rate used (``None`` if none was needed).

        Raises:
            CurrencyMismatchError: no rate between the two currencies.
        """
        if amount.currency == currency:
            return amount, None
        rate = self.find(amount.currency, currency, on=on)
        if rate is None:
            raise CurrencyMismatchError(
                f"no exchange rate between {amount.currency} and {currency} was supplied"
            )
        return rate.convert(amount), rate
