"""Charts: drawn with the Agg backend, checked by their drawn values and saved files."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import cast

import attrs
import matplotlib
import pytest

from egovplan.breakdowns import BreakdownError, Pivot, breakdown, phase_total
from egovplan.charts import save_chart, share_chart, stacked_bar_chart
from egovplan.document import PlanMetadata
from egovplan.errors import FieldValueError
from egovplan.funding import Funding, FundingSource
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.period import Period
from egovplan.plan import Plan

matplotlib.use("Agg")  # headless, as in CI; the charts never need pyplot anyway

BILLION = 10**9
SOURCES = (("investment", "Ngân sách đầu tư tập trung", "Concentrated investment", 200),
           ("central", "Ngân sách hỗ trợ từ Trung ương", "Central support", 320),
           ("socialisation", "Nguồn xã hội hóa", "Socialisation", 100))  # fmt: skip


def plan(*, phased: bool = True) -> Plan:
    sources = tuple(
        FundingSource(id=sid, kind="other", names=Labels(vi=vi, en=en),
                      amount=Money(n * BILLION, "VND"))
        for sid, vi, en, n in SOURCES
    )  # fmt: skip
    base = Plan(
        id="p",
        metadata=PlanMetadata(kind="plan", title="P"),
        period=Period.years(2021, 2023),
        funding=Funding(sources=sources),
    )
    if not phased:
        return base
    lines = phase_total(base, [1, 2, 1])
    return attrs.evolve(base, funding=attrs.evolve(base.funding, lines=lines))


def test_backend_is_agg() -> None:
    assert matplotlib.get_backend().lower() == "agg"


def test_stacked_bar_draws_each_source_on_top_of_the_last() -> None:
    figure = stacked_bar_chart(plan(), unit="billion")
    (axes,) = figure.axes
    assert len(axes.containers) == 3  # one per source
    investment, central, social = axes.containers
    assert [p.get_height() for p in investment] == pytest.approx([50, 100, 50])
    assert [p.get_height() for p in central] == pytest.approx([80, 160, 80])
    assert [p.get_y() for p in central] == pytest.approx([50, 100, 50])
    tops = [p.get_y() + p.get_height() for p in social]
    assert tops == pytest.approx([155, 310, 155])  # the year totals, 620 billion in all
    assert [t.get_text() for t in axes.get_xticklabels()] == ["2021", "2022", "2023"]
    assert axes.get_title() == "Kinh phí theo nguồn vốn và năm"
    assert axes.get_ylabel() == "Số tiền (tỷ đồng)"
    assert axes.get_xlabel() == "Năm"
    legend = axes.get_legend()
    assert legend.get_title().get_text() == "Nguồn vốn"
    assert [t.get_text() for t in legend.get_texts()][1] == "Ngân sách hỗ trợ từ Trung ương"


def test_stacked_bar_in_english_and_millions() -> None:
    figure = stacked_bar_chart(plan(), locale="en", unit="million", title="Mine")
    (axes,) = figure.axes
    assert axes.get_title() == "Mine"
    assert axes.get_ylabel() == "Amount (million VND)"
    assert axes.containers[0][1].get_height() == pytest.approx(100_000)


def with_sources(base: Plan, sources: list[FundingSource]) -> Plan:
    return attrs.evolve(base, funding=attrs.evolve(base.funding, sources=tuple(sources)))


def test_stacked_bar_fits_its_unit_to_the_amounts() -> None:
    (axes,) = stacked_bar_chart(plan(), locale="en").axes
    assert axes.get_ylabel() == "Amount (billion VND)"  # the smallest bar is 25 billion
    assert axes.containers[0][1].get_height() == pytest.approx(100)
    base = plan(phased=False)
    euros = with_sources(
        base,
        [  # a hundred-thousandth as many euros: the smallest bar is 250,000
            attrs.evolve(source, amount=Money(source.amount.amount / 10**5, "EUR"))
            for source in base.funding.sources
        ],
    )
    lines = phase_total(euros, [1, 2, 1])
    euros = attrs.evolve(euros, funding=attrs.evolve(euros.funding, lines=lines))
    (axes,) = stacked_bar_chart(euros, locale="en").axes
    assert axes.get_ylabel() == "Amount (thousand EUR)"
    assert axes.containers[0][1].get_height() == pytest.approx(1000)


@pytest.mark.parametrize("chart", [stacked_bar_chart, share_chart])
def test_text_that_is_not_unicode_is_refused_before_drawing(chart: object) -> None:
    draw = cast(Callable[..., object], chart)
    lone = "Nguồn \ud800"
    sources = list(plan().funding.sources)
    sources[0] = attrs.evolve(sources[0], names=Labels(vi=lone))
    bad = with_sources(plan(), sources)
    with pytest.raises(FieldValueError, match=r"cannot draw the label of source 'investment' "):
        draw(bad)
    with pytest.raises(FieldValueError, match=r"cannot draw the title .*unpaired surrogate"):
        draw(plan(), title=lone)


def test_stacked_bar_from_a_pivot_of_any_dimensions() -> None:
    table = breakdown(plan(), "year", "source", locale="en")
    figure = stacked_bar_chart(table, unit="billion")
    (axes,) = figure.axes
    assert len(axes.containers) == 3  # one per year
    assert axes.get_xlabel() == "Funding source"
    assert [t.get_text() for t in axes.get_xticklabels()] == [
        "Concentrated investment", "Central support", "Socialisation"
    ]  # fmt: skip


def test_stacked_bar_refuses_an_empty_pivot() -> None:
    with pytest.raises(BreakdownError, match=r"plan 'p' has 3 funding source.* no budget lines"):
        stacked_bar_chart(plan(phased=False))
    empty = Pivot(
        by="source", by2="year", basis="lines", currency="VND", rows=(), columns=(), cells=()
    )
    with pytest.raises(BreakdownError, match="nothing to draw"):
        stacked_bar_chart(empty)


def test_share_chart_draws_the_exact_shares() -> None:
    figure = share_chart(plan(phased=False), locale="vi")
    (axes,) = figure.axes
    widths = [p.get_width() for p in axes.patches]
    # 200, 320, 100 of 620: 32.26, 51.61, 16.13 (largest remainder; sum 100).
    assert widths == pytest.approx([32.26, 51.61, 16.13])
    assert sum(Decimal(str(w)) for w in widths) == 100
    assert [t.get_text() for t in axes.texts] == ["32,26", "51,61", "16,13"]
    assert axes.get_yticklabels()[0].get_text() == "Ngân sách đầu tư tập trung"
    assert axes.get_title() == "Cơ cấu kinh phí theo nguồn vốn"
    assert axes.get_xlabel() == "Tỷ lệ (%)"
    assert axes.yaxis_inverted()  # first source on top


def test_share_chart_of_a_breakdown_in_english() -> None:
    figure = share_chart(breakdown(plan(phased=False), "source"), locale="en")
    (axes,) = figure.axes
    assert axes.get_title() == "Shares of funding by source"
    assert [t.get_text() for t in axes.texts] == ["32.26", "51.61", "16.13"]


def test_share_chart_needs_shares() -> None:
    zero = Funding(sources=(FundingSource(id="z", kind="other", names=Labels(en="Z"),
                                          amount=Money(0, "VND")),))  # fmt: skip
    with pytest.raises(BreakdownError, match="no shares to draw"):
        share_chart(zero)


@pytest.mark.parametrize("maker", [stacked_bar_chart, share_chart])
def test_charts_save_as_png_and_svg(tmp_path: Path, maker: object) -> None:
    figure = maker(plan(), locale="vi")  # type: ignore[operator]
    png = tmp_path / "chart.png"
    svg = tmp_path / "chart.svg"
    save_chart(figure, png)
    save_chart(figure, svg)
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert png.stat().st_size > 5_000
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text
    assert figure.axes[0].get_title() in text  # text kept as text, Vietnamese intact
    pdf = tmp_path / "chart.out"
    save_chart(figure, pdf, format="pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_importing_egovplan_charts_does_not_import_matplotlib() -> None:
    import subprocess
    import sys

    code = "import sys, egovplan.charts; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
