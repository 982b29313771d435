"""Quick start: the funding of Quảng Nam's digital-government project, 2021–2025.

Section IV of the decision (seed 003) lists seven funding sources, each written in digits
and in words. This demo rebuilds them with exact money, computes each source's share (the
shares add up to exactly 100 %), prints the funding table in Vietnamese and in English,
and checks the amounts written in words against the digits.

Run it with ``python3 dev.py demo``.
"""

import sys
from collections.abc import Sequence
from decimal import Decimal

from babel.numbers import format_percent

from egovplan import Money, shares
from egovplan.amounts import format_amount, format_money, parse_amount
from egovplan.words import words_to_amount

# Section IV of the decision, as written: the sources, their amounts in digits and in words.
NAMES_VI = [
    "Ngân sách đầu tư tập trung",
    "Nguồn kinh phí sự nghiệp",
    "Ngân sách địa phương (huyện, thị xã, thành phố)",
    "Ngân sách hỗ trợ từ Trung ương",
    "Đề tài khoa học cấp bộ, tỉnh",
    "Nguồn tài trợ, hỗ trợ",
    "Nguồn xã hội hóa",
]
NAMES_EN = [
    "Concentrated investment budget",
    "Recurrent (sự nghiệp) funds",
    "District budgets",
    "Central-budget support",
    "Ministry and province science projects",
    "Grants and sponsorship",
    "Private funds (xã hội hóa)",
]
AMOUNTS = [Money(f"{billions}000000000", "VND") for billions in (200, 150, 81, 320, 20, 30, 100)]
IN_WORDS = [
    "Hai trăm tỷ đồng",
    "Một trăm tỷ đồng",  # sic: the digits say 150 billion
    "Tám mươi mốt tỷ đồng",
    "Ba trăm hai mươi tỷ đồng",
    "Hai mươi tỷ đồng",
    "Ba mươi tỷ đồng",
    "Một trăm tỷ đồng",
]
TOTAL_IN_WORDS = "(Bằng chữ: chín trăm lẻ một tỷ đồng)"

TITLES = {
    "vi": "Kinh phí Đề án chính quyền số tỉnh Quảng Nam 2021–2025",
    "en": "Funding of Quảng Nam's digital-government project 2021–2025",
}
HEADINGS = {
    "vi": ("Nguồn", "Số tiền", "Tỷ đồng", "Tỷ lệ"),
    "en": ("Source", "Amount", "billion VND", "Share"),
}
TOTAL = {"vi": "Tổng cộng", "en": "Total"}


def percent(share: Decimal, locale: str) -> str:
    """A share such as Decimal('22.20') written as the locale writes percentages."""
    return format_percent(share.scaleb(-2), format="#,##0.00%", locale=locale)


def row(name: str, amount: Money, share: Decimal, locale: str) -> tuple[str, ...]:
    """One line of the table: the full amount, the amount in billions, the share."""
    in_billions = format_amount(amount, locale, unit="billion")
    return (name, format_money(amount, locale), in_billions, percent(share, locale))


def print_table(locale: str) -> None:
    names = NAMES_VI if locale == "vi" else NAMES_EN
    total = sum(AMOUNTS, Money.zero("VND"))
    percents = shares(AMOUNTS)  # two decimals each, summing to exactly 100.00
    rows = [row(*source, locale) for source in zip(names, AMOUNTS, percents, strict=True)]
    total_row = row(TOTAL[locale], total, sum(percents, Decimal(0)), locale)
    lines = [HEADINGS[locale], *rows, total_row]
    widths = [max(len(line[column]) for line in lines) for column in range(4)]

    def show(cells: Sequence[str]) -> None:
        name, *numbers = cells
        right = [number.rjust(width) for number, width in zip(numbers, widths[1:], strict=True)]
        print("  ".join([name.ljust(widths[0]), *right]))

    print(TITLES[locale])
    for line in lines[:-1]:
        show(line)
    print("-" * (sum(widths) + 6))
    show(total_row)
    print()


def check_words() -> None:
    total = sum(AMOUNTS, Money.zero("VND"))
    assert parse_amount("901 tỷ đồng") == total
    print(
        f"Total: {format_money(total)} = {format_money(total, style='compact')}"
        f" = {format_money(total, 'en', style='compact')}"
    )
    said = Money(words_to_amount(TOTAL_IN_WORDS), "VND")
    verdict = "agree" if said == total else "DISAGREE"
    print(f"In words {TOTAL_IN_WORDS} = {format_money(said)}: words and digits {verdict}")
    for name, digits, words in zip(NAMES_VI, AMOUNTS, IN_WORDS, strict=True):
        said = Money(words_to_amount(words), "VND")
        if said != digits:
            print(
                f"Words and digits DISAGREE for {name}: {format_money(digits)} in digits,"
                f" {words!r} = {format_money(said)} in words"
            )


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")  # Vietnamese text on any console
    print_table("vi")
    print_table("en")
    check_words()
