"""Quick start: a real plan, from its file to answers.

Loads the Quảng Nam digital-government project 2021–2025 (seed 003) from the example plan
file ``examples/quang-nam-2021-2025.yaml``, validates it and prints what validation finds,
prints the funding by source in Vietnamese and in English (exact amounts; the shares add up
to exactly 100 %), and checks the amounts written in words against the digits.

Run it with ``python3 dev.py demo``.
"""

import sys
from pathlib import Path

from egovplan import Money, Plan, format_money, load, parse_amount, words_to_amount

PLAN_FILE = Path(__file__).resolve().with_name("quang-nam-2021-2025.yaml")


def show_findings(plan: Plan) -> None:
    print(f"egovplan validate {PLAN_FILE.name}")
    print(plan.validate(locale="en"), end="\n\n")


def show_funding(plan: Plan, locale: str) -> None:
    print(plan.breakdown("source").to_text(locale=locale), end="")
    print()


def check_words(plan: Plan) -> None:
    funding = plan.funding
    assert funding.total is not None
    currency = funding.total.currency
    total = sum((source.amount for source in funding.sources), Money.zero(currency))
    verdict = "agrees" if total == funding.total else "DISAGREES"
    print(f"Sum of the sources: {format_money(total)}: {verdict} with the declared total")
    assert parse_amount("901 tỷ đồng") == funding.total
    print(
        f"Total: {format_money(funding.total)} = {format_money(funding.total, style='compact')}"
        f" = {format_money(funding.total, 'en', style='compact')}"
    )
    if funding.total_in_words is not None:
        said = Money(words_to_amount(funding.total_in_words), currency)
        verdict = "agree" if said == funding.total else "DISAGREE"
        print(
            f"In words {funding.total_in_words!r} = {format_money(said)}:"
            f" words and digits {verdict}"
        )
    for source in funding.sources:
        if source.amount_in_words is None:
            continue
        said = Money(words_to_amount(source.amount_in_words), currency)
        if said != source.amount:
            print(
                f"Words and digits DISAGREE for {source.name('vi')}:"
                f" {format_money(source.amount)} in digits,"
                f" {source.amount_in_words!r} = {format_money(said)} in words"
            )


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8")  # Vietnamese text on any console
    quang_nam = load(PLAN_FILE)
    show_findings(quang_nam)
    show_funding(quang_nam, "vi")
    show_funding(quang_nam, "en")
    check_words(quang_nam)
