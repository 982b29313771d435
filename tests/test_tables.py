"""Tables: checking cells, formatting money in a locale and unit, every rendering, export."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovplan.errors import CurrencyMismatchError, EgovplanError
from egovplan.money import Money
from egovplan.tables import (
    Column,
    ColumnKind,
    Table,
    TableError,
    format_in_unit,
    known_units,
    table_word,
    unit_label,
    unit_note,
)

VND = "VND"


def vnd(billions: int | str) -> Money:
    return Money(Decimal(billions) * 10**9, VND)


COLUMNS = (
    Column(key="name", label="Nguồn"),
    Column(key="amount", label="Số tiền", kind="money"),
    Column(key="share", label="Tỷ lệ (%)", kind="percent"),
)


def small_table(**options: object) -> Table:
    return Table(
        columns=COLUMNS,
        rows=(("A", vnd(200), Decimal("22.20")), ("B", vnd(701), Decimal("77.80"))),
        totals=("Tổng cộng", vnd(901), Decimal("100.00")),
        **options,  # type: ignore[arg-type]
    )


# -- construction ----------------------------------------------------------------------


def test_column_kind_accepts_values_and_rejects_unknown() -> None:
    assert Column(key="a", label="A", kind="money").kind is ColumnKind.MONEY
    with pytest.raises(TableError, match="unknown column kind 'cash'"):
        Column(key="a", label="A", kind="cash")


def test_ragged_row_is_rejected_with_its_index() -> None:
    with pytest.raises(TableError, match=r"Table.rows\[1\] has 2 cells but there are 3 columns"):
        Table(columns=COLUMNS, rows=(("A", vnd(1), Decimal(1)), ("B", vnd(1))))


def test_float_cell_is_rejected() -> None:
    with pytest.raises(TableError, match=r"column .share.*not float"):
        Table(columns=COLUMNS, rows=(("A", vnd(1), 0.5),))


def test_money_in_a_text_column_is_rejected() -> None:
    with pytest.raises(TableError, match="column 'name'"):
        Table(columns=COLUMNS, rows=((vnd(1), vnd(1), Decimal(1)),))


def test_mixed_currencies_are_rejected() -> None:
    with pytest.raises(CurrencyMismatchError, match="in USD but the table is in VND"):
        Table(columns=COLUMNS, rows=(("A", vnd(1), None), ("B", Money(1, "USD"), None)))


def test_duplicate_column_keys_are_rejected() -> None:
    with pytest.raises(TableError, match="repeat a key"):
        Table(columns=(Column(key="a", label="A"), Column(key="a", label="B")))


def test_unknown_unit_and_locale_are_table_errors() -> None:
    with pytest.raises(TableError, match=r"unknown unit .lakh."):
        small_table(unit="lakh")
    with pytest.raises(TableError, match="unknown locale 'xx_YY_ZZ'"):
        small_table(locale="xx_YY_ZZ")
    assert issubclass(TableError, EgovplanError)
    assert issubclass(TableError, ValueError)


def test_currency_is_found_from_the_cells() -> None:
    assert small_table().currency == VND
    assert Table(columns=COLUMNS).currency is None


def test_table_is_immutable_and_hashable() -> None:
    table = small_table()
    with pytest.raises(AttributeError):
        table.title = "x"  # type: ignore[misc]
    assert hash(table) == hash(small_table())


# -- words and units -------------------------------------------------------------------


def test_units_and_labels() -> None:
    assert known_units() == ("one", "thousand", "million", "billion", "trillion")
    assert unit_label("one", VND, "vi") == "đồng"
    assert unit_label("dong", VND, "vi") == "đồng"  # another name for "one"
    assert unit_label("dong", "USD", "en") == "USD"
    assert unit_label("million", VND, "vi") == "triệu đồng"
    assert unit_label("billion", VND, "en") == "billion VND"
    assert unit_note("billion", VND, "vi") == "Đơn vị: tỷ đồng"
    assert unit_note("billion", VND, "vi_VN") == "Đơn vị: tỷ đồng"
    assert unit_note("one", "USD", "en") == "Unit: USD"
    assert table_word("total", "en") == "Total"


def test_format_in_unit_vi_and_en() -> None:
    amount = Money("123456789012", VND)
    assert format_in_unit(amount, "billion", "vi") == "123,456789012"
    assert format_in_unit(amount, "billion", "en") == "123.456789012"
    assert format_in_unit(amount, "million", "vi") == "123.456,789012"
    assert format_in_unit(amount, "one", "vi") == "123.456.789.012"
    assert format_in_unit(amount, "billion", "vi", places=1) == "123,5"
    assert format_in_unit(Money("-5", VND), "one", "en") == "-5"
    assert format_in_unit(Money("2.5", "USD"), "one", "en") == "2.50"  # minor digits


@settings(max_examples=60)
@given(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from(["one", "thousand", "million", "billion"]),
)
def test_exact_formatting_loses_no_digit(units: int, unit: str) -> None:
    # Read the English rendering back: it must be the exact amount in the unit.
    text = format_in_unit(Money(units, VND), unit, "en")
    scale = {"one": 0, "thousand": 3, "million": 6, "billion": 9}[unit]
    assert Decimal(text.replace(",", "")).scaleb(scale) == units


# -- renderings ------------------------------------------------------------------------


def test_text_aligns_numbers_right_and_states_the_unit() -> None:
    text = small_table(locale="vi", unit="billion", title="Kinh phí").to_text()
    assert text == (
        "Kinh phí\n"
        "              Đơn vị: tỷ đồng\n"
        "Nguồn      Số tiền  Tỷ lệ (%)\n"
        "---------  -------  ---------\n"
        "A              200      22,20\n"
        "B              701      77,80\n"
        "---------  -------  ---------\n"
        "Tổng cộng      901     100,00\n"
    )


def test_text_width_counts_wide_characters_twice() -> None:
    table = Table(
        columns=(Column(key="a", label="A"), Column(key="n", label="N", kind="number")),
        rows=(("日本", 1), ("ab", 22)),
    )
    lines = table.to_text().splitlines()
    assert lines[2] == "日本   1"
    assert lines[3] == "ab    22"


def test_markdown_escapes_and_bolds_totals() -> None:
    table = Table(
        columns=(Column(key="a", label="A|B"), Column(key="m", label="M", kind="money")),
        rows=(("x*y_z", Money(5, VND)),),
        totals=("Total", Money(5, VND)),
        title="<T>",
    )
    assert table.to_markdown() == (
        "**\\<T\\>**\n\n*Unit: VND*\n\n| A\\|B | M |\n| :--- | ---: |\n"
        "| x\\*y\\_z | 5 |\n| **Total** | **5** |\n"
    )
    assert table._repr_markdown_() == table.to_markdown()


def test_html_escapes_everything() -> None:
    table = Table(
        columns=(Column(key="a", label="<b>"),),
        rows=(("<script>alert(1)</script>",),),
        title="a & b",
        notes=("x < y",),
    )
    out = table.to_html()
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<strong>a &amp; b</strong>" in out
    assert '<p class="egovplan-note">x &lt; y</p>' in out
    assert table._repr_html_() == out


def test_csv_is_plain_and_states_the_unit_in_the_header() -> None:
    out = small_table(locale="vi", unit="billion").to_csv()
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [
        ["Nguồn", "Số tiền (tỷ đồng)", "Tỷ lệ (%)"],
        ["A", "200", "22.20"],
        ["B", "701", "77.80"],
        ["Tổng cộng", "901", "100.00"],
    ]


def test_csv_quotes_separators() -> None:
    table = Table(columns=(Column(key="a", label="A"),), rows=(('x, "y"',),))
    assert list(csv.reader(io.StringIO(table.to_csv())))[1] == ['x, "y"']


def test_json_keeps_exact_amounts_whatever_the_unit() -> None:
    data = json.loads(small_table(unit="billion").to_json())
    assert data["currency"] == VND
    assert data["rows"][0] == {"name": "A", "amount": "200000000000 VND", "share": "22.20"}
    assert data["totals"]["amount"] == "901000000000 VND"
    assert [c["kind"] for c in data["columns"]] == ["text", "money", "percent"]


def test_render_dispatches_and_rejects_unknown_formats() -> None:
    table = small_table()
    assert table.render("markdown") == table.to_markdown()
    assert str(table) == table.to_text()
    with pytest.raises(TableError, match="unknown format 'xlsx'"):
        table.render("xlsx")


def test_empty_cells_render_empty() -> None:
    table = Table(columns=COLUMNS, rows=(("A", None, None),))
    assert table.to_csv().splitlines()[1] == "A,,"
    assert table.to_records() == [{"name": "A", "amount": None, "share": None}]


def test_places_round_half_up_in_the_unit() -> None:
    table = small_table(unit="billion", places=1, locale="en")
    assert "200.0" in table.to_text()
    table = Table(
        columns=(Column(key="m", label="M", kind="money"),),
        rows=((Money("1250000", VND),),),
        unit="million",
        places=1,
    )
    assert table.to_csv().splitlines()[1] == "1.3"


def test_with_options_changes_formatting_only() -> None:
    table = small_table(locale="vi", unit="billion")
    en = table.with_options(locale="en", unit="million")
    assert (en.locale, en.unit) == ("en", "million")
    assert en.rows == table.rows
    assert "901,000" in en.to_text()
    assert table.with_options(places=0).places == 0


# -- export ----------------------------------------------------------------------------


def test_records_hold_decimals_not_floats() -> None:
    records = small_table().to_records()
    assert records == [
        {"name": "A", "amount": Decimal("200000000000"), "share": Decimal("22.20")},
        {"name": "B", "amount": Decimal("701000000000"), "share": Decimal("77.80")},
    ]


def test_pandas_default_columns_compute_and_plot() -> None:
    # Issue #25: amounts whole numbers of minor units (exact int64), shares exact Arrow
    # decimals, text Arrow strings; describe() and a plain bar plot work.
    import matplotlib

    matplotlib.use("Agg")
    frame = small_table().to_pandas()
    assert list(frame.columns) == ["name", "amount", "share"]
    assert str(frame["amount"].dtype) == "int64"
    assert str(frame["share"].dtype) == "decimal128(38, 2)[pyarrow]"
    assert str(frame["name"].dtype) == "string[pyarrow]"
    assert frame.attrs == {"currency": VND, "amounts": "minor_units"}
    assert frame["amount"].sum() == 901 * 10**9
    assert frame["share"].sum() == Decimal("100.00")
    assert frame["share"].mean() == Decimal("50.00")  # exact, not a float
    assert frame.describe().loc["count", "amount"] == 2
    axes = frame.plot.bar(x="name", y="amount")
    assert len(axes.patches) == 2
    import matplotlib.pyplot as plt

    plt.close("all")


def test_pandas_decimal_amounts_with_pyarrow() -> None:
    frame = small_table().to_pandas(amounts="decimal")
    assert str(frame["amount"].dtype) == "decimal128(38, 0)[pyarrow]"
    assert frame["amount"].sum() == Decimal("901000000000")
    usd = Table(
        columns=(Column(key="m", label="M", kind="money"), Column(key="y", label="Y")),
        rows=((Money("2.5", "USD"), 2021), (None, None)),
    )
    frame = usd.to_pandas(amounts="decimal")
    assert str(frame["m"].dtype) == "decimal128(38, 2)[pyarrow]"  # the currency's cents
    assert frame["m"].iloc[0] == Decimal("2.50")
    assert str(frame["y"].dtype) == "Int64"  # years are whole numbers, not objects
    long = Table(columns=(Column(key="m", label="M", kind="money"),), rows=((Money(10**39, VND),),))
    assert str(long.to_pandas(amounts="decimal")["m"].dtype) == "decimal256(76, 0)[pyarrow]"
    assert long.to_pandas(amounts="decimal")["m"].iloc[0] == 10**39
    huge = Table(columns=(Column(key="n", label="N", kind="number"),), rows=((Decimal(10**80),),))
    with pytest.raises(TableError, match="column 'n' has numbers of 81 digits"):
        huge.to_pandas()


def test_pandas_decimal_objects_with_numpy_nullable() -> None:
    frame = small_table().to_pandas(amounts="decimal", dtype_backend="numpy_nullable")
    assert list(frame.columns) == ["name", "amount", "share"]
    assert frame["amount"].dtype == object
    assert all(isinstance(v, Decimal) for v in frame["amount"])
    assert sum(frame["amount"]) == Decimal("901000000000")
    assert str(frame["name"].dtype).startswith("str")
    assert frame.attrs == {"currency": VND, "amounts": "decimal"}
    with pytest.raises(TableError, match="dtype_backend must be"):
        small_table().to_pandas(dtype_backend="numpy")  # type: ignore[arg-type]


def test_pandas_minor_units() -> None:
    frame = small_table().to_pandas(amounts="minor_units")
    assert str(frame["amount"].dtype) == "int64"
    assert frame["amount"].tolist() == [200 * 10**9, 701 * 10**9]
    usd = Table(
        columns=(Column(key="m", label="M", kind="money"),),
        rows=((Money("2.50", "USD"),), (None,)),
    )
    frame = usd.to_pandas(amounts="minor_units")
    assert str(frame["m"].dtype) == "Int64"
    assert frame["m"].iloc[0] == 250
    huge = Table(columns=(Column(key="m", label="M", kind="money"),), rows=((Money(10**30, VND),),))
    assert huge.to_pandas(amounts="minor_units")["m"].tolist() == [10**30]


def test_pandas_refuses_to_round() -> None:
    table = Table(columns=(Column(key="m", label="M", kind="money"),), rows=((Money("0.5", VND),),))
    with pytest.raises(TableError, match=r"row 0, column .m.*not a whole number"):
        table.to_pandas(amounts="minor_units")
    with pytest.raises(TableError, match="amounts must be"):
        table.to_pandas(amounts="float")  # type: ignore[arg-type]


@settings(max_examples=40)
@given(st.lists(st.integers(min_value=0, max_value=10**15), min_size=1, max_size=6))
def test_every_rendering_shows_every_row(values: list[int]) -> None:
    table = Table(
        columns=(
            Column(key="i", label="i", kind="number"),
            Column(key="m", label="m", kind="money"),
        ),
        rows=tuple((i, Money(v, VND)) for i, v in enumerate(values)),
        locale="en",
    )
    data = json.loads(table.to_json())
    assert [row["m"] for row in data["rows"]] == [f"{value} {VND}" for value in values]
    csv_rows = list(csv.reader(io.StringIO(table.to_csv())))[1:]
    assert [int(row[1]) for row in csv_rows] == values
    assert len(table.to_text().splitlines()) == 3 + len(values)
    assert table.to_html().count("<tr>") == 1 + len(values)
