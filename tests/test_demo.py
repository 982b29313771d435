"""The quick-start demo runs on the example plan file and prints its findings, the Quảng Nam
funding by source in both languages and the check of the amounts in words."""

import subprocess
import sys
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.py"
# Modules the demo must not load: optional extras other than YAML (the plan file is YAML),
# test tools, and pint (loaded lazily, not needed for money).
UNWANTED = ("pandas", "matplotlib", "jsonschema", "hypothesis", "pytest", "pint")

RUN = f"""
import runpy, sys
runpy.run_path({str(DEMO)!r}, run_name="__main__")
print("extra modules:", sorted(m for m in {UNWANTED!r} if m in sys.modules))
print("yaml loaded:", "yaml" in sys.modules)
"""


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        cwd=tmp_path_factory.mktemp("demo"),  # anywhere: the demo finds its plan file itself
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [line.replace("\xa0", " ") for line in done.stdout.splitlines()]


def test_validation_findings(output: list[str]) -> None:
    assert output[0] == "egovplan validate quang-nam-2021-2025.yaml"
    assert output[1] == "1 error, 0 warnings, 0 info"
    assert output[2].startswith("funding.sources[1].amount_in_words: error EGP202:")
    assert output[3] == ""


def test_vietnamese_table(output: list[str]) -> None:
    assert "Kinh phí theo nguồn vốn" in output
    rows = [line.split() for line in output]
    assert ["Ngân", "sách", "đầu", "tư", "tập", "trung", "200.000.000.000", "22,20"] in rows
    assert ["Tổng", "cộng", "901.000.000.000", "100,00"] in rows


def test_english_table(output: list[str]) -> None:
    rows = [line.split() for line in output]
    assert ["Central-budget", "support", "320,000,000,000", "35.51"] in rows
    assert ["Total", "901,000,000,000", "100.00"] in rows


def test_shares_as_printed_sum_to_100(output: list[str]) -> None:
    english = output[output.index("Funding by source") :]
    shares = [line.split()[-1] for line in english[4:11]]
    assert shares == ["22.20", "16.65", "8.99", "35.51", "2.22", "3.33", "11.10"]


def test_words_are_checked(output: list[str]) -> None:
    assert "Sum of the sources: 901.000.000.000 ₫: agrees with the declared total" in output
    assert "Total: 901.000.000.000 ₫ = 901 tỷ ₫ = 901 billion ₫" in output
    assert (
        "In words 'chín trăm lẻ một tỷ đồng' = 901.000.000.000 ₫: words and digits agree"
    ) in output
    disagreements = [line for line in output if "DISAGREE" in line]
    assert len(disagreements) == 1
    assert "Nguồn kinh phí sự nghiệp: 150.000.000.000 ₫ in digits" in disagreements[0]
    assert "'Một trăm tỷ đồng' = 100.000.000.000 ₫ in words" in disagreements[0]


def test_demo_needs_only_the_core_dependencies_and_yaml(output: list[str]) -> None:
    assert output[-2] == "extra modules: []"
    assert output[-1] == "yaml loaded: True"
