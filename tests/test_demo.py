"""The quick-start demo runs and prints the Quảng Nam funding table in both languages."""

import subprocess
import sys
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.py"
# Modules the demo must not load: optional extras, test tools, and pint (loaded lazily).
UNWANTED = ("yaml", "pandas", "matplotlib", "jsonschema", "hypothesis", "pytest", "pint")

RUN = f"""
import runpy, sys
runpy.run_path({str(DEMO)!r}, run_name="__main__")
print("extra modules:", sorted(m for m in {UNWANTED!r} if m in sys.modules))
"""


@pytest.fixture(scope="module")
def output() -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [line.replace("\xa0", " ") for line in done.stdout.splitlines()]


def test_vietnamese_table(output: list[str]) -> None:
    assert "Kinh phí Đề án chính quyền số tỉnh Quảng Nam 2021–2025" in output
    rows = [line.split() for line in output]
    assert [
        "Ngân",
        "sách",
        "đầu",
        "tư",
        "tập",
        "trung",
        "200.000.000.000",
        "₫",
        "200",
        "22,20%",
    ] in rows
    assert ["Tổng", "cộng", "901.000.000.000", "₫", "901", "100,00%"] in rows


def test_english_table(output: list[str]) -> None:
    rows = [line.split() for line in output]
    assert ["Central-budget", "support", "₫320,000,000,000", "320", "35.51%"] in rows
    assert ["Total", "₫901,000,000,000", "901", "100.00%"] in rows


def test_shares_as_printed_sum_to_100(output: list[str]) -> None:
    english = output[output.index("Funding of Quảng Nam's digital-government project 2021–2025") :]
    shares = [line.split()[-1] for line in english[2:9]]
    assert shares == ["22.20%", "16.65%", "8.99%", "35.51%", "2.22%", "3.33%", "11.10%"]


def test_words_are_checked(output: list[str]) -> None:
    assert "Total: 901.000.000.000 ₫ = 901 tỷ ₫ = 901 billion ₫" in output
    assert (
        "In words (Bằng chữ: chín trăm lẻ một tỷ đồng) = 901.000.000.000 ₫: words and digits agree"
    ) in output
    disagreements = [line for line in output if "DISAGREE" in line]
    assert len(disagreements) == 1
    assert "Nguồn kinh phí sự nghiệp: 150.000.000.000 ₫ in digits" in disagreements[0]


def test_demo_needs_only_the_core_dependencies(output: list[str]) -> None:
    assert output[-1] == "extra modules: []"
