"""Display options: a session's locale and unit, kept per context (issue #25 item 3)."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from pathlib import Path

import matplotlib
import pytest

import egovplan
from egovplan.breakdowns import breakdown, reconcile
from egovplan.charts import share_chart
from egovplan.display import (
    DisplayOptions,
    display_context,
    display_options,
    resolve_locale,
    resolve_unit,
    set_display,
)
from egovplan.errors import FieldTypeError
from egovplan.files import load
from egovplan.frameworks import framework
from egovplan.indicator import Observation
from egovplan.period import Period
from egovplan.plan import Plan
from egovplan.ranks import rank_table
from egovplan.tables import TableError

matplotlib.use("Agg")

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def quang_nam() -> Plan:
    return load(EXAMPLES / "quang-nam-2021-2025.yaml")


def test_context_sets_and_restores() -> None:
    assert display_options() == DisplayOptions()
    with display_context(locale="en", unit="billion") as options:
        assert options == DisplayOptions(locale="en", unit="billion")
        with display_context(unit="million"):  # the locale is kept
            assert display_options() == DisplayOptions(locale="en", unit="million")
            with display_context(locale=None):  # None clears it
                assert display_options() == DisplayOptions(unit="million")
        assert display_options() == DisplayOptions(locale="en", unit="billion")
    assert display_options() == DisplayOptions()


def test_context_restores_after_an_error() -> None:
    with pytest.raises(RuntimeError), display_context(locale="en"):
        raise RuntimeError
    assert display_options().locale is None


def test_bad_options_are_refused_and_nothing_changes() -> None:
    with pytest.raises(TableError, match="unit"), display_context(unit="lakh"):
        pass  # pragma: no cover
    with pytest.raises(TableError, match="locale"):
        set_display(locale="xx_nowhere")
    with pytest.raises(
        FieldTypeError, match=r"DisplayOptions\.locale must be str or None, not int"
    ):
        set_display(locale=5)  # type: ignore[arg-type]
    with pytest.raises(FieldTypeError, match=r"DisplayOptions\.unit"):
        display_context(unit=b"billion").__enter__()  # type: ignore[arg-type]
    assert display_options() == DisplayOptions()


def test_set_display_lasts_for_its_context_only() -> None:
    def session() -> tuple[DisplayOptions, DisplayOptions]:
        set_display(locale="en")
        first = display_options()
        set_display(unit="billion")
        return first, display_options()

    first, second = contextvars.copy_context().run(session)
    assert first == DisplayOptions(locale="en")
    assert second == DisplayOptions(locale="en", unit="billion")
    assert display_options() == DisplayOptions()  # the caller's context is untouched


def test_threads_and_tasks_do_not_leak_into_each_other() -> None:
    seen: dict[str, str | None] = {}

    def worker() -> None:
        seen["thread"] = display_options().locale

    with display_context(locale="en"):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert seen["thread"] is None  # a new thread starts without the options

    async def request(locale: str) -> str | None:
        set_display(locale=locale)
        await asyncio.sleep(0)
        return display_options().locale

    async def server() -> list[str | None]:
        return list(await asyncio.gather(request("en"), request("vi"), request("fr")))

    assert asyncio.run(server()) == ["en", "vi", "fr"]
    assert display_options().locale is None


def test_resolution_order() -> None:
    assert resolve_locale(None, "vi") == "vi"
    assert resolve_unit(None, "one") == "one"
    with display_context(locale="en", unit="billion"):
        assert resolve_locale(None, "vi") == "en"
        assert resolve_locale("fr", "vi") == "fr"  # an argument wins
        assert resolve_unit(None, "one") == "billion"
        assert resolve_unit("million", "one") == "million"


def test_a_vietnamese_plan_renders_in_english_without_locale_arguments(quang_nam: Plan) -> None:
    by_source = breakdown(quang_nam, "source")
    assert by_source.to_text().startswith("Kinh phí theo nguồn vốn")
    with display_context(locale="en", unit="billion"):
        text = by_source.to_text()
        assert text.startswith("Funding by source\n")
        assert "Unit: billion VND" in text
        assert ["Total", "901", "100.00"] in [line.split() for line in text.splitlines()]
        assert "Funding by source" in by_source._repr_html_()
        assert by_source.to_text(locale="vi").startswith("Kinh phí")  # an argument wins
        assert reconcile(quang_nam).to_text().startswith("Funding reconciliation")
        assert by_source.to_pandas()["label"].iloc[0] == "Concentrated investment budget"
        html = quang_nam._repr_html_()
        assert "Plan summary" in html
        assert "Funding by source" in html
        assert "901" in quang_nam._repr_markdown_()
    assert "Tóm tắt kế hoạch" in quang_nam._repr_html_()


def test_charts_follow_the_display_locale(quang_nam: Plan) -> None:
    with display_context(locale="en"):
        figure = share_chart(quang_nam)
    assert figure.axes[0].get_title() == "Shares of funding by source"
    assert share_chart(quang_nam).axes[0].get_title() == "Cơ cấu kinh phí theo nguồn vốn"


def test_chart_figures_show_as_png_in_jupyter_without_pyplot(quang_nam: Plan) -> None:
    figure = share_chart(quang_nam, locale="en")
    png = figure._repr_png_()  # type: ignore[attr-defined]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 10_000
    from egovplan.charts import ChartFigure  # type: ignore[attr-defined]

    assert type(figure) is ChartFigure
    assert ChartFigure.__qualname__ == "ChartFigure"
    import egovplan.charts

    with pytest.raises(AttributeError, match="no_such_chart"):
        egovplan.charts.no_such_chart  # type: ignore[attr-defined]  # noqa: B018


def test_rank_table_shows_itself_and_gives_integer_changes() -> None:
    observations = [
        Observation(indicator=i, subject="lao-cai", period=Period.year(y), rank=r)
        for i, y, r in (
            ("ict", 2016, 7),
            ("ict", 2017, 7),
            ("ict.infra", 2016, 12),
            ("ict.infra", 2017, 7),
            ("ict.hr", 2016, 20),
            ("ict.hr", 2017, 25),
        )
    ]
    table = rank_table(
        observations, Period.year(2016), Period.year(2017), framework=framework("vn-ict-index-2016")
    )
    assert table._repr_html_().startswith('<table class="egovplan-table">')
    assert "Ranks of lao-cai" in table._repr_html_()
    assert "| Indicator |" in table._repr_markdown_() or "Indicator" in table._repr_markdown_()
    with display_context(locale="vi"):
        assert "Xếp hạng của lao-cai" in table._repr_html_()
        assert str(table).startswith("Xếp hạng của lao-cai")
        vietnamese = table.to_pandas()
    frame = table.to_pandas()
    assert list(frame.columns) == [
        "indicator", "name", "subject", "before", "after", "change", "direction", "description"
    ]  # fmt: skip
    assert str(frame["change"].dtype) == "Int64"
    assert str(frame["before"].dtype) == "Int64"
    changes = dict(zip(frame["indicator"], frame["change"], strict=True))
    assert changes == {"ict": 0, "ict.infra": 5, "ict.hr": -5}
    assert frame["change"].sum() == 0
    assert vietnamese["description"].iloc[1].startswith("tăng 05 bậc")


def test_exported_from_egovplan() -> None:
    assert egovplan.display_context is display_context
    assert egovplan.set_display is set_display
    assert egovplan.display_options is display_options
