"""Fuzz :func:`egovplan.amounts.parse_amount` (``python fuzz/fuzz_parse_amount.py -runs=N``).

The option byte chooses the locale (Vietnamese or English) and the currency expected
(VND, USD, or none: taken from the text).
"""

from __future__ import annotations

from harness import check, decode, encode, instrumented, run

with instrumented():
    from egovplan.amounts import parse_amount
    from egovplan.money import Money

LOCALES = ("vi", "en")
CURRENCIES = ("VND", "USD", None)

SEEDS = tuple(
    encode(option, text)
    for option, text in (
        (0, "901.000.000.000 ₫"),
        (0, "1,5 triệu đồng"),
        (1, "₫901,000,000,000"),
        (1, "901 billion VND"),
        (5, "-$1,234.50"),
        (0, "901\xa0000\xa0000 ₫"),
        (0, "1E+999999999 ₫"),
        (2, "1.234,50 US$"),
        # Inputs that crashed parse_amount before (kept as seeds):
        (0, "9" * 170 + " 0"),
        (1, "9 " + "bn " * 20 + "VND"),
    )
)


def test_one_input(data: bytes) -> None:
    """One input: ``parse_amount`` returns Money or raises an egovplan error."""
    option, text = decode(data)
    locale = LOCALES[option % len(LOCALES)]
    currency = CURRENCIES[option // len(LOCALES) % len(CURRENCIES)]
    check(lambda: parse_amount(text, locale, currency), Money)


if __name__ == "__main__":
    run(test_one_input, SEEDS)
