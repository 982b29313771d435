"""Tables of amounts, rendered as plain text, Markdown, HTML, CSV and JSON.

A :class:`Table` is an immutable grid: a title, typed :class:`Column` headers, rows of
cells, an optional totals row and notes. Cells keep their exact values (``Money``,
``Decimal``); formatting happens only when the table is rendered, for the table's
``locale`` (number symbols, via babel) and in its ``unit`` of magnitude
(``"one"``, ``"thousand"``, ``"million"``, ``"billion"``), which is stated above the
table the way Vietnamese tables do ("Đơn vị: tỷ đồng").

>>> from egovplan.money import Money
>>> table = Table(
...     title="Kinh phí",
...     columns=(Column(key="source", label="Nguồn"),
...              Column(key="amount", label="Số tiền", kind="money")),
...     rows=(("Trung ương", Money("320000000000", "VND")),
...           ("Xã hội hóa", Money("100500000000", "VND"))),
...     totals=("Tổng cộng", Money("420500000000", "VND")),
...     locale="vi", unit="billion")
>>> print(table.to_text(), end="")
Kinh phí
    Đơn vị: tỷ đồng
Nguồn       Số tiền
----------  -------
Trung ương      320
Xã hội hóa    100,5
----------  -------
Tổng cộng     420,5
>>> table.to_records()[1]
{'source': 'Xã hội hóa', 'amount': Decimal('100500000000')}

Amounts are never floats: :meth:`Table.to_records` gives ``Decimal`` amounts in the
currency's own unit, and :meth:`Table.to_pandas` gives columns pandas computes with and
plots, whole numbers of minor units or exact Arrow decimals (see there). In Jupyter a
table displays itself through ``_repr_html_`` and ``_repr_markdown_``.
"""

from __future__ import annotations

import csv
import enum
import html
import importlib
import io
import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Final, Literal, TypeAlias

import attrs

from egovplan import _decimal
from egovplan._data import FALLBACK_LOCALE, language_of, load_data, locale_tag
from egovplan._decimal import in_own_context, methods_in_own_context
from egovplan._fields import (
    MAX_DIGITS,
    MAX_EXPONENT,
    number_problem,
    optional_text,
    text,
    to_decimal,
    tuple_of,
    tuple_of_text,
    unknown_member,
)
from egovplan._formats import FORMATS, Format
from egovplan._money_codec import json_text
from egovplan._terminal import terminal_text
from egovplan.errors import (
    CurrencyMismatchError,
    EgovplanError,
    FieldTypeError,
    MissingDependencyError,
)
from egovplan.money import Money, minor_digits

__all__ = [
    "Cell",
    "Column",
    "ColumnKind",
    "Table",
    "TableError",
    "format_in_unit",
    "format_number",
    "known_units",
    "records_table",
    "table_word",
    "unit_exponent",
    "unit_label",
    "unit_note",
]

#: What a table cell may hold. ``None`` is an empty cell.
Cell: TypeAlias = "str | int | Decimal | Money | None"

#: The ``dtype_backend`` values :meth:`Table.to_pandas` takes, as pandas names them.
DtypeBackend: TypeAlias = Literal["pyarrow", "numpy_nullable"]

_CONTEXT: Final = _decimal.context(100)
# Wide enough to write any number a model holds with every digit (and 60 decimals).
_WIDE: Final = _decimal.context(MAX_DIGITS + MAX_EXPONENT + 60)


class TableError(EgovplanError, ValueError):
    """A table could not be built or rendered.

    Ragged rows, a cell of the wrong kind, an unknown unit or locale, amounts that cannot
    be expressed as asked.
    """


def _data() -> Mapping[str, Any]:
    return load_data("tables.toml")


def _language(locale: str) -> str:
    return language_of(locale_tag(locale))


def table_word(name: str, locale: str) -> str:
    """A word egovplan uses in tables (``"total"``, ``"unspecified"``), in ``locale``.

    Falls back to the locale's language, then to English.

    >>> table_word("total", "vi"), table_word("total", "fr")
    ('Tổng cộng', 'Total')
    """
    words: Mapping[str, Mapping[str, str]] = _data()["words"]
    if not isinstance(name, str):
        raise FieldTypeError(f"a table word's name must be a str, not {type(name).__name__}")
    for candidate in (locale, _language(locale), FALLBACK_LOCALE):
        if candidate in words and name in words[candidate]:
            return words[candidate][name]
    raise TableError(f"no table word {name!r}; known words: {', '.join(sorted(words['en']))}")


def known_units() -> tuple[str, ...]:
    """The units of magnitude amounts can be shown in (from :mod:`egovplan.amounts`).

    >>> known_units()
    ('one', 'thousand', 'million', 'billion', 'trillion')
    """
    from egovplan.amounts import amount_units

    return amount_units()


def _exponent(unit: str) -> int:
    from egovplan.amounts import unit_exponent as amounts_exponent

    if not isinstance(unit, str):
        raise TableError(f"a unit must be a str like 'billion', not {type(unit).__name__}")
    try:
        return amounts_exponent(unit)
    except ValueError as error:
        raise TableError(str(error)) from None


def unit_exponent(unit: str) -> int:
    """The power of ten an amount is divided by to be shown in ``unit``.

    >>> unit_exponent("billion"), unit_exponent("one")
    (9, 0)
    """
    return _exponent(unit)


@in_own_context
def unit_label(unit: str, currency: str, locale: str) -> str:
    """How amounts in ``unit`` of ``currency`` are called in ``locale``.

    >>> unit_label("billion", "VND", "vi"), unit_label("billion", "VND", "en")
    ('tỷ đồng', 'billion VND')
    >>> unit_label("million", "USD", "vi"), unit_label("one", "USD", "en")
    ('triệu USD', 'USD')
    """
    from egovplan.amounts import canonical_unit

    _exponent(unit)
    names: dict[str, dict[str, str]] = _data()["currency_names"]
    name = currency
    for candidate in (locale, _language(locale)):
        if candidate in names:
            name = names[candidate].get(currency, currency)
            break
    return table_word(f"unit_{canonical_unit(unit)}", locale).format(currency=name)


@in_own_context
def unit_note(unit: str, currency: str, locale: str) -> str:
    """The line stating the unit above a table.

    >>> unit_note("billion", "VND", "vi"), unit_note("million", "VND", "en")
    ('Đơn vị: tỷ đồng', 'Unit: million VND')
    """
    return table_word("unit_note", locale).format(unit=unit_label(unit, currency, locale))


def _plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and without an exponent (``2E+2`` -> ``200``)."""
    if value == value.to_integral_value(context=_CONTEXT):
        return value.quantize(Decimal(1), context=_WIDE)
    return value.normalize(context=_CONTEXT)


def _scaled(amount: Money, unit: str, places: int | None) -> Decimal:
    value = amount.amount.scaleb(-_exponent(unit), context=_CONTEXT)
    if places is None:
        return _plain(value)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_CONTEXT)


def _pattern(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places > 0 else "")


def _babel_locale(locale: str) -> Any:
    """The babel Locale of a tag, an unknown one being a :class:`TableError`."""
    from egovplan.amounts import to_babel_locale
    from egovplan.words import UnknownLocaleError

    try:
        return to_babel_locale(locale)
    except UnknownLocaleError as error:
        raise TableError(str(error)) from None


def _format_decimal(value: Decimal, locale: str, places: int | None) -> str:
    from babel.numbers import format_decimal

    babel_locale = _babel_locale(locale)
    with localcontext(_WIDE):  # babel rounds in the ambient context
        if places is None:
            return str(format_decimal(value, locale=babel_locale, decimal_quantization=False))
        return str(format_decimal(value, format=_pattern(places), locale=babel_locale))


@in_own_context
def format_in_unit(amount: Money, unit: str, locale: str, places: int | None = None) -> str:
    """The number ``amount`` shows in a table in ``unit``, without the unit's name.

    :func:`egovplan.amounts.format_amount`, with its errors as :class:`TableError`.

    Args:
        amount: the amount.
        unit: one of :func:`known_units`.
        locale: a locale tag (``"vi"``, ``"en"``) for the number symbols.
        places: decimal places to round to (half away from zero); ``None`` (the default)
            shows every digit, so nothing is lost.

    >>> format_in_unit(Money("81500000000", "VND"), "billion", "vi")
    '81,5'
    >>> format_in_unit(Money("901000000000", "VND"), "million", "en")
    '901,000'
    >>> format_in_unit(Money("1234567", "VND"), "million", "en", places=2)
    '1.23'
    """
    from egovplan.amounts import format_amount

    _exponent(unit)
    _babel_locale(locale)
    try:
        return format_amount(amount, locale, unit, places=places)
    except ValueError as error:
        raise TableError(str(error)) from None


@in_own_context
def format_number(value: int | Decimal, locale: str, places: int | None = None) -> str:
    """A number with the digit grouping and decimal mark of ``locale``.

    Args:
        value: the number (never a float).
        locale: a locale tag such as ``"vi"`` or ``"en"``.
        places: decimal places to show (rounding half up); ``None``: every digit.

    >>> format_number(Decimal("25000"), "vi"), format_number(Decimal("1234.50"), "en")
    ('25.000', '1,234.5')
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise FieldTypeError(f"format_number needs int or Decimal, not {type(value).__name__}")
    if places is not None and (
        isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 60
    ):
        raise TableError(f"places must be a whole number from 0 to 60, not {places!r}")
    number = to_decimal(value)
    problem = number_problem(number)
    if problem is not None:
        raise TableError(f"format_number cannot write a number that {problem}")
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE)
        return _format_decimal(number, locale, places)
    return _format_decimal(_plain(number), locale, None)


#: What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(text: str) -> str:
    """``text`` for a CSV cell: after an apostrophe if a spreadsheet would run it.

    >>> _spreadsheet_safe("=1+1"), _spreadsheet_safe("@SUM(A1)"), _spreadsheet_safe("Sở")
    ("'=1+1", "'@SUM(A1)", 'Sở')
    """
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide East Asian characters take two)."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


class ColumnKind(enum.StrEnum):
    """What a column holds, which says how its cells are checked, formatted and aligned.

    ``text`` cells are ``str`` or ``int`` (a year); ``money`` cells are ``Money``;
    ``percent`` cells are ``Decimal`` percentages shown with their own decimals;
    ``number`` cells are ``int`` or ``Decimal``. Any cell may be ``None`` (empty).
    """

    @classmethod
    def _missing_(cls, value: object) -> ColumnKind:
        raise unknown_member(cls, value)

    TEXT = "text"
    MONEY = "money"
    PERCENT = "percent"
    NUMBER = "number"


_ALLOWED: Final[dict[ColumnKind, tuple[type, ...]]] = {
    ColumnKind.TEXT: (str, int),
    # Text in a money column stands in for an amount ("not stated"): shown as written,
    # missing (None) in data frames.
    ColumnKind.MONEY: (Money, str),
    ColumnKind.PERCENT: (Decimal, int),
    ColumnKind.NUMBER: (Decimal, int),
}


def _to_kind(value: ColumnKind | str) -> ColumnKind:
    try:
        return ColumnKind(value)
    except ValueError:
        kinds = ", ".join(kind.value for kind in ColumnKind)
        raise TableError(f"unknown column kind {value!r}; expected one of: {kinds}") from None


@attrs.frozen(kw_only=True)
class Column:
    """One column of a :class:`Table`.

    Args:
        key: a stable name for the column (used by :meth:`Table.to_records`, JSON and
            pandas), e.g. ``"amount"``.
        label: the header shown to readers, already in the table's language.
        kind: a :class:`ColumnKind` or its value (``"money"``).

    >>> Column(key="share", label="Tỷ lệ (%)", kind="percent").kind
    <ColumnKind.PERCENT: 'percent'>
    """

    key: str = attrs.field(validator=text)
    label: str = attrs.field(validator=text)
    kind: ColumnKind = attrs.field(default=ColumnKind.TEXT, converter=_to_kind)

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers (aligned right)."""
        return self.kind is not ColumnKind.TEXT


def _iterable(value: object, what: str) -> Iterable[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise TableError(f"Table.{what}, not {type(value).__name__}")
    return value


def _to_rows(rows: Iterable[Iterable[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(
        tuple(_iterable(row, f"rows[{index}] must be a row of cells"))
        for index, row in enumerate(_iterable(rows, "rows must be rows of cells"))
    )


def _to_columns(columns: Iterable[Column]) -> tuple[Column, ...]:
    return tuple(_iterable(columns, "columns must be Column objects"))


def _to_notes(notes: Iterable[str]) -> tuple[str, ...]:
    if isinstance(notes, str):
        return (notes,)
    return tuple(_iterable(notes, "notes must be texts"))


def _to_totals(totals: Iterable[Cell] | None) -> tuple[Cell, ...] | None:
    return None if totals is None else tuple(_iterable(totals, "totals must be cells"))


def _check_places(_: object, __: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise TableError(f"Table.places must be a whole number >= 0 or None, not {value!r}")


def _check_unit(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise TableError(f"Table.unit must be str, not {type(value).__name__}")
    _exponent(value)


def _check_locale(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise TableError(f"Table.locale must be str, not {type(value).__name__}")
    _babel_locale(value)


@methods_in_own_context
@attrs.frozen(kw_only=True)
class Table:
    """An immutable table of exact values, rendered on demand.

    Args:
        columns: the :class:`Column` headers.
        rows: the rows, each with one cell per column (see :class:`ColumnKind` for the
            cells each kind accepts; floats are never accepted).
        totals: an optional totals row, shown last and set apart.
        title: shown above the table.
        locale: the locale numbers are formatted for (``"vi"``: ``1.234,5``; ``"en"``:
            ``1,234.5``); also picks the default unit note's language.
        unit: the unit of magnitude money is shown in: ``"one"`` (the currency's own
            unit), ``"thousand"``, ``"million"`` or ``"billion"``.
        places: decimal places money is rounded to in the chosen unit (half away from
            zero); ``None`` shows every digit, exact to the last đồng.
        unit_note: the line stating the unit; by default built from ``unit``, the
            currency and ``locale`` (``"Đơn vị: tỷ đồng"``, ``"Unit: billion VND"``).
            Shown only when the table has a money column.
        notes: lines shown under the table (sources, exchange rates used, ...).
        currency: the currency of every money cell; found from the cells when omitted.

    Raises:
        TableError: a row of the wrong length, a cell of the wrong type, an unknown
            unit or locale.
        CurrencyMismatchError: money cells in different currencies.
    """

    columns: tuple[Column, ...] = attrs.field(
        converter=_to_columns,
        validator=tuple_of(Column),
    )
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(default=(), converter=_to_rows)
    totals: tuple[Cell, ...] | None = attrs.field(default=None, converter=_to_totals)
    title: str | None = attrs.field(default=None, validator=optional_text)
    locale: str = attrs.field(default="en", validator=_check_locale)
    unit: str = attrs.field(default="one", validator=_check_unit)
    places: int | None = attrs.field(default=None, validator=_check_places)
    unit_note: str | None = attrs.field(default=None, validator=optional_text)
    notes: tuple[str, ...] = attrs.field(default=(), converter=_to_notes, validator=tuple_of_text)
    currency: str | None = attrs.field(default=None, validator=optional_text)

    def __attrs_post_init__(self) -> None:
        width = len(self.columns)
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            raise TableError(f"Table.columns repeat a key: {keys}")
        currency = self.currency
        rows: list[tuple[str, tuple[Cell, ...]]] = [
            (f"Table.rows[{index}]", row) for index, row in enumerate(self.rows)
        ]
        if self.totals is not None:
            rows.append(("Table.totals", self.totals))
        for where, row in rows:
            if len(row) != width:
                raise TableError(f"{where} has {len(row)} cells but there are {width} columns")
            for column, cell in zip(self.columns, row, strict=True):
                if cell is None:
                    continue
                allowed = _ALLOWED[column.kind]
                if isinstance(cell, bool) or not isinstance(cell, allowed):
                    names = " or ".join(kind.__name__ for kind in allowed)
                    raise TableError(
                        f"{where}, column {column.key!r} ({column.kind.value}) must hold"
                        f" {names} or None, not {type(cell).__name__} ({cell!r})"
                    )
                if isinstance(cell, Money):
                    if currency is None:
                        currency = cell.currency
                    elif cell.currency != currency:
                        raise CurrencyMismatchError(
                            f"{where}, column {column.key!r} is in {cell.currency}"
                            f" but the table is in {currency}"
                        )
                elif isinstance(cell, Decimal) and not cell.is_finite():
                    raise TableError(f"{where}, column {column.key!r} is {cell}; must be finite")
        object.__setattr__(self, "currency", currency)

    # -- options ---------------------------------------------------------------------

    def with_options(
        self,
        *,
        locale: str | None = None,
        unit: str | None = None,
        places: int | Literal["keep"] | None = "keep",
    ) -> Table:
        """A copy formatted differently (the texts of the title and headers stay as they are).

        >>> t = Table(columns=(Column(key="a", label="A", kind="money"),),
        ...           rows=((Money(1500000, "VND"),),))
        >>> print(t.with_options(unit="million", locale="vi").to_csv(), end="")
        A (triệu đồng)
        1.5
        """
        changes: dict[str, Any] = {}
        if locale is not None:
            changes["locale"] = locale
        if unit is not None:
            changes["unit"] = unit
        if places != "keep":
            changes["places"] = places
        return attrs.evolve(self, **changes)

    @property
    def has_money(self) -> bool:
        """Whether some column holds money."""
        return any(column.kind is ColumnKind.MONEY for column in self.columns)

    @property
    def unit_text(self) -> str | None:
        """The line stating the unit, or ``None`` for a table without money."""
        if self.unit_note is not None:
            return self.unit_note
        if not self.has_money or self.currency is None:
            return None
        return unit_note(self.unit, self.currency, self.locale)

    # -- cells -----------------------------------------------------------------------

    def _cell(self, column: Column, cell: Cell) -> str:
        if cell is None:
            return ""
        if isinstance(cell, Money):
            return format_in_unit(cell, self.unit, self.locale, self.places)
        if column.kind is ColumnKind.TEXT or isinstance(cell, str):
            return str(cell)
        if isinstance(cell, int):
            return _format_decimal(Decimal(cell), self.locale, 0)
        if column.kind is ColumnKind.PERCENT:
            exponent = cell.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
            return _format_decimal(cell, self.locale, places)
        return _format_decimal(_plain(cell), self.locale, None)

    def _machine_cell(self, cell: Cell) -> str:
        """A cell as plain text for CSV: decimals with ``.`` and no grouping.

        Numbers (money, decimals, integers) are written as numbers, a minus sign and all;
        text goes through :func:`_spreadsheet_safe`.
        """
        if cell is None:
            return ""
        if isinstance(cell, Money):
            return format(_scaled(cell, self.unit, self.places), "f")
        if isinstance(cell, Decimal):
            return format(cell, "f")
        if isinstance(cell, int):
            return str(cell)
        return _spreadsheet_safe(str(cell))

    def _header(self) -> list[str]:
        return [column.label for column in self.columns]

    def _body(self) -> list[list[str]]:
        return [
            [self._cell(column, cell) for column, cell in zip(self.columns, row, strict=True)]
            for row in self.rows
        ]

    def _total_row(self) -> list[str] | None:
        if self.totals is None:
            return None
        return [
            self._cell(column, cell) for column, cell in zip(self.columns, self.totals, strict=True)
        ]

    # -- renderings ------------------------------------------------------------------

    def to_text(self) -> str:
        r"""Plain text with aligned columns (numbers right, text left), ending in a newline.

        The unit note is right-aligned above the table; the totals row is set apart by a
        rule. Control characters in cells, title and notes are shown as escapes
        (``\x1b``, ``\n``): every row is one line, and the text is safe on a terminal.
        """
        header = [terminal_text(cell) for cell in self._header()]
        body = [[terminal_text(cell) for cell in cells] for cells in self._body()]
        total = self._total_row()
        if total is not None:
            total = [terminal_text(cell) for cell in total]
        lines_of_cells = [header, *body, *([total] if total is not None else [])]
        widths = [max(_width(line[i]) for line in lines_of_cells) for i in range(len(header))]

        def line(cells: Sequence[str]) -> str:
            parts = []
            for column, cell, width in zip(self.columns, cells, widths, strict=True):
                pad = " " * (width - _width(cell))
                parts.append(pad + cell if column.numeric else cell + pad)
            return "  ".join(parts).rstrip()

        rule = "  ".join("-" * width for width in widths)
        table_width = _width(rule)
        out: list[str] = []
        if self.title:
            out.append(terminal_text(self.title))
        note = self.unit_text
        if note:
            note = terminal_text(note)
            out.append(" " * max(0, table_width - _width(note)) + note)
        out.append(line(header))
        out.append(rule)
        out.extend(line(cells) for cells in body)
        if total is not None:
            out.append(rule)
            out.append(line(total))
        out.extend(terminal_text(note) for note in self.notes)
        return "\n".join(out) + "\n"

    def to_markdown(self) -> str:
        """A Markdown (GitHub/CommonMark pipe) table.

        The title is in bold and the unit note in italics above it; the totals row is bold.
        """

        def row(cells: Iterable[str]) -> str:
            return "| " + " | ".join(_md_escape(cell) for cell in cells) + " |"

        out: list[str] = []
        if self.title:
            out += [f"**{_md_escape(self.title)}**", ""]
        note = self.unit_text
        if note:
            out += [f"*{_md_escape(note)}*", ""]
        out.append(row(self._header()))
        out.append("| " + " | ".join("---:" if c.numeric else ":---" for c in self.columns) + " |")
        out.extend(row(cells) for cells in self._body())
        total = self._total_row()
        if total is not None:
            out.append("| " + " | ".join(f"**{_md_escape(c)}**" if c else "" for c in total) + " |")
        if self.notes:
            out.append("")
            out.extend(_md_escape(note) + "  " for note in self.notes[:-1])
            out.append(_md_escape(self.notes[-1]))
        return "\n".join(out) + "\n"

    def to_html(self) -> str:
        """An HTML fragment: a ``<table>``, every text escaped.

        The title and unit note are in its caption, the totals row in ``<tfoot>``; notes
        follow in ``<p>`` elements.
        """
        esc = html.escape
        align = ["" if not c.numeric else ' style="text-align: right"' for c in self.columns]
        out = ['<table class="egovplan-table">']
        caption = []
        if self.title:
            caption.append(f"<strong>{esc(self.title)}</strong>")
        note = self.unit_text
        if note:
            caption.append(f"<small>{esc(note)}</small>")
        if caption:
            out.append(f"<caption>{'<br>'.join(caption)}</caption>")
        out.append("<thead>")
        out.append(
            "<tr>"
            + "".join(
                f'<th scope="col"{a}>{esc(h)}</th>'
                for a, h in zip(align, self._header(), strict=True)
            )
            + "</tr>"
        )
        out.append("</thead>")
        out.append("<tbody>")
        for cells in self._body():
            out.append(
                "<tr>"
                + "".join(f"<td{a}>{esc(c)}</td>" for a, c in zip(align, cells, strict=True))
                + "</tr>"
            )
        out.append("</tbody>")
        total = self._total_row()
        if total is not None:
            out.append("<tfoot>")
            out.append(
                "<tr>"
                + "".join(f"<th{a}>{esc(c)}</th>" for a, c in zip(align, total, strict=True))
                + "</tr>"
            )
            out.append("</tfoot>")
        out.append("</table>")
        out.extend(f'<p class="egovplan-note">{esc(note)}</p>' for note in self.notes)
        return "\n".join(out) + "\n"

    def to_csv(self) -> str:
        """CSV (RFC 4180 quoting, newline line ends), safe to open in a spreadsheet.

        A header row, the rows, then the totals row. Numbers are plain (``.`` as decimal
        mark, no grouping) so that any program reads them; money is in the table's unit,
        which the money headers state (``Số tiền (tỷ đồng)``). Title and notes are left
        out: CSV is a grid. A text cell that a spreadsheet would take for a formula
        (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written
        after an apostrophe (``'=SUM(A1)``); numbers are never changed (``-5`` stays a
        number).

        >>> t = Table(columns=(Column(key="name", label="Name"),
        ...                    Column(key="n", label="N", kind="number")),
        ...           rows=(("=HYPERLINK('http://x')", Decimal("-5")),))
        >>> print(t.to_csv(), end="")
        Name,N
        '=HYPERLINK('http://x'),-5
        """
        buffer = io.StringIO()
        minimal = csv.writer(buffer, lineterminator="\n")
        # csv quotes a cell with a line feed but not one with a lone carriage return,
        # which readers take for a line end: such a row is written with every cell quoted.
        quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)

        def write(cells: list[str]) -> None:
            (quoted if any("\r" in cell for cell in cells) else minimal).writerow(cells)

        label = (
            unit_label(self.unit, self.currency, self.locale) if self.currency is not None else None
        )
        write(
            [
                _spreadsheet_safe(
                    f"{c.label} ({label})" if c.kind is ColumnKind.MONEY and label else c.label
                )
                for c in self.columns
            ]
        )
        for row in self.rows:
            write([self._machine_cell(cell) for cell in row])
        if self.totals is not None:
            write([self._machine_cell(cell) for cell in self.totals])
        return buffer.getvalue()

    def to_dict(self) -> dict[str, Any]:
        """The table as JSON-ready data.

        Money is written as in plan files, ``"2.50 USD"`` (``docs/format.md``): always in
        the currency's own unit (exact, whatever the table's ``unit``), so programs never
        have to scale; decimals become decimal strings. Rows are objects keyed by column
        key.

        >>> t = Table(columns=(Column(key="amount", label="Amount", kind="money"),),
        ...           rows=((Money("2.50", "USD"),),), title="T")
        >>> t.to_dict()["rows"], t.to_dict()["currency"]
        ([{'amount': '2.50 USD'}], 'USD')
        """

        def record(row: Sequence[Cell]) -> dict[str, Any]:
            return {
                column.key: _json_cell(cell) for column, cell in zip(self.columns, row, strict=True)
            }

        return {
            "title": self.title,
            "currency": self.currency,
            "columns": [
                {"key": c.key, "label": c.label, "kind": c.kind.value} for c in self.columns
            ],
            "rows": [record(row) for row in self.rows],
            "totals": None if self.totals is None else record(self.totals),
            "notes": list(self.notes),
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text (UTF-8 characters kept, two-space indent)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def render(self, fmt: Format | str = "text") -> str:
        """The table in format ``fmt``: ``text``, ``markdown``, ``html``, ``csv`` or ``json``.

        Raises:
            TableError: an unknown format.
        """
        if fmt not in FORMATS:
            raise TableError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
        render: Callable[[], str] = getattr(self, f"to_{fmt}")
        return render()

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    # -- data export -----------------------------------------------------------------

    def to_records(self) -> list[dict[str, str | int | Decimal | None]]:
        """The rows (not the totals) as dicts keyed by column key.

        Money becomes its ``Decimal`` amount in the currency's own unit (the currency is
        :attr:`currency`); every other cell is kept as it is.
        """
        return [
            {
                column.key: cell.amount if isinstance(cell, Money) else cell
                for column, cell in zip(self.columns, row, strict=True)
            }
            for row in self.rows
        ]

    def to_pandas(
        self,
        amounts: Literal["decimal", "minor_units"] = "minor_units",
        *,
        dtype_backend: DtypeBackend = "pyarrow",
    ) -> Any:
        """The rows (not the totals) as a ``pandas.DataFrame`` with column keys as names.

        Needs the optional extra ``egovplan[pandas]`` (pandas and pyarrow); pandas is
        imported only here. Amounts are never floats, and by default every column of
        amounts is one pandas computes with, summarises and plots (``describe()``,
        ``df.plot.bar()``): whole numbers of the currency's minor unit, exact in
        ``int64``. pandas leaves Arrow decimal columns out of ``describe()``, which is
        why exact decimals in the currency's unit are asked for, not the default.

        Args:
            amounts: how money columns hold amounts:

                - ``"minor_units"`` (the default): whole numbers of the currency's minor
                  unit (đồng for VND, cents for USD), in ``int64`` columns (``Int64``
                  when a cell is empty; ``object`` holding Python ints when an amount
                  exceeds int64);
                - ``"decimal"``: exact amounts in the currency's own unit, as
                  ``dtype_backend`` says.
            dtype_backend: how decimals (amounts with ``"decimal"``, shares, other
                numbers) and text are held, as pandas names it. ``"pyarrow"`` (the
                default): ``pandas.ArrowDtype(pyarrow.decimal128(38, scale))`` columns
                (exact and numeric: sums and means stay exact, plots work;
                ``decimal256(76, scale)`` for longer numbers), text in
                ``ArrowDtype(pyarrow.string())``. ``"numpy_nullable"``: decimals as
                ``decimal.Decimal`` objects in ``object`` columns (exact, but not seen
                as numbers), text as ``string``. With either, a column of whole numbers
                (years, counts) is ``Int64``.

        Returns:
            A ``pandas.DataFrame``; ``frame.attrs`` records ``currency`` and ``amounts``.

        Raises:
            TableError: an unknown ``amounts`` or ``dtype_backend``, an amount that is not
                a whole number of minor units (``"minor_units"`` never rounds silently),
                or a number too long for an Arrow decimal (76 digits).
            MissingDependencyError: pandas (or, for ``"pyarrow"``, pyarrow) is missing.
        """
        if amounts not in ("decimal", "minor_units"):
            raise TableError(f"amounts must be 'decimal' or 'minor_units', not {amounts!r}")
        if dtype_backend not in ("pyarrow", "numpy_nullable"):
            raise TableError(
                f"dtype_backend must be 'pyarrow' or 'numpy_nullable', not {dtype_backend!r}"
            )
        pd = _import_optional("pandas")
        pa = _import_optional("pyarrow") if dtype_backend == "pyarrow" else None

        data: dict[str, Any] = {}
        for index, column in enumerate(self.columns):
            cells = [row[index] for row in self.rows]
            where = f"column {column.key!r}"
            if column.kind is ColumnKind.MONEY and amounts == "minor_units":
                data[column.key] = _minor_series(pd, column.key, cells)
                continue
            values: list[Any] = [c.amount if isinstance(c, Money) else c for c in cells]
            if column.kind is ColumnKind.MONEY:
                values = [None if isinstance(v, str) else v for v in values]
                minimum = 0 if self.currency is None else _minor_places(self.currency)
                data[column.key] = _decimal_series(pd, pa, values, minimum, where)
            elif all(v is None or isinstance(v, int) for v in values) and (
                column.kind is not ColumnKind.TEXT or any(v is not None for v in values)
            ):
                data[column.key] = pd.Series(values, dtype="Int64")
            elif column.kind is not ColumnKind.TEXT:
                data[column.key] = _decimal_series(pd, pa, values, 0, where)
            elif all(v is None or isinstance(v, str) for v in values):
                string = "string" if pa is None else pd.ArrowDtype(pa.string())
                data[column.key] = pd.Series(values, dtype=string)
            else:
                data[column.key] = pd.Series(values, dtype=object)
        frame = pd.DataFrame(data, columns=[column.key for column in self.columns])
        frame.attrs["currency"] = self.currency
        frame.attrs["amounts"] = amounts
        return frame


_ARROW_DIGITS: Final = (38, 76)


def _import_optional(name: str) -> Any:
    try:
        return importlib.import_module(name)  # untyped; optional extra
    except ImportError as error:
        raise MissingDependencyError(
            f"to_pandas() needs {name}: pip install 'egovplan[pandas]'"
        ) from error


def _minor_places(currency: str) -> int:
    try:
        return minor_digits(currency)
    except ValueError:
        return 0


def _decimal_series(pd: Any, pa: Any, values: list[Any], minimum: int, where: str) -> Any:
    """Exact decimals: an Arrow decimal column, or Decimal objects without pyarrow."""
    numbers = [None if v is None else Decimal(v) for v in values]
    if pa is None:
        return pd.Series(numbers, dtype=object)
    scale = minimum
    digits = 1
    for number in numbers:
        if number is None:
            continue
        exponent = number.as_tuple().exponent
        assert isinstance(exponent, int)  # cells are finite
        scale = max(scale, -exponent)
        digits = max(digits, number.adjusted() + 1)
    for precision, kind in zip(_ARROW_DIGITS, (pa.decimal128, pa.decimal256), strict=True):
        if digits + scale <= precision:
            arrow_type = kind(precision, scale)
            return pd.Series(pa.array(numbers, type=arrow_type), dtype=pd.ArrowDtype(arrow_type))
    raise TableError(
        f"{where} has numbers of {digits + scale} digits, more than an Arrow decimal holds"
        f" ({_ARROW_DIGITS[-1]}); use amounts='minor_units' or dtype_backend='numpy_nullable'"
    )


_INT64_MAX: Final = 2**63 - 1


def _minor_series(pd: Any, key: str, cells: Sequence[Cell]) -> Any:
    values: list[int | None] = []
    for index, cell in enumerate(cells):
        if cell is None or isinstance(cell, str):
            values.append(None)
            continue
        assert isinstance(cell, Money)
        try:
            values.append(cell.minor_units)
        except ValueError as error:
            raise TableError(
                f"row {index}, column {key!r}: {error}; pass amounts='decimal' for exact decimals"
            ) from None
    if any(v is not None and abs(v) > _INT64_MAX for v in values):
        return pd.Series(values, dtype=object)
    if any(v is None for v in values):
        return pd.Series(values, dtype="Int64")
    return pd.Series(values, dtype="int64")


def _json_cell(cell: Cell) -> str | int | None:
    if isinstance(cell, Money):
        return json_text(cell)
    if isinstance(cell, Decimal):
        return str(cell)
    return cell


_MD_SPECIAL: Final = str.maketrans(
    {char: "\\" + char for char in "\\`*_[]<>|"} | {"\n": " ", "\r": " "}
)


def _md_escape(text: str) -> str:
    return text.translate(_MD_SPECIAL)


# -- tables derived from a model's fields ----------------------------------------------------


def field_heading(name: str, locale: str) -> str:
    """The column heading of a model field in ``locale`` (the field's name if none is listed).

    >>> field_heading("amount", "vi"), field_heading("source", "en"), field_heading("xyz", "vi")
    ('Số tiền', 'Source', 'xyz')
    """
    fields: dict[str, dict[str, str]] = _data()["fields"]
    for candidate in (locale, _language(locale), "en"):
        if candidate in fields and name in fields[candidate]:
            return fields[candidate][name]
    return name


def _record_cell(value: object, locale: str) -> Cell:
    from egovplan.labels import Labels

    if value is None or isinstance(value, Money | Decimal | str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return value
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Labels):
        return value.get(locale, "") or None
    if isinstance(value, tuple):
        return ", ".join(str(_record_cell(item, locale)) for item in value) or None
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return str(isoformat())
    return str(value)


@in_own_context
def records_table(
    cls: type,
    records: Iterable[Any],
    *,
    title: str | None = None,
    locale: str = "en",
    unit: str = "one",
    places: int | None = None,
    show: Mapping[str, Callable[[Any], Cell]] | None = None,
    all_fields: bool = False,
) -> Table:
    """A table of model records: one row per record, one column per field of ``cls``.

    The columns are derived from ``attrs.fields(cls)`` in their order, headed in
    ``locale`` (:func:`field_heading`); a field no record gives a value is left out unless
    ``all_fields``. A field holding :class:`~egovplan.money.Money` is a money column,
    one holding ``Decimal`` a number column; enum members, dates, periods and labels are
    shown as text. ``show`` maps a field's name to how to show its value (a kind's label).

    >>> from egovplan.funding import BudgetLine
    >>> lines = [BudgetLine(id="l1", source="central", year=2021, amount=Money(5, "VND"))]
    >>> print(records_table(BudgetLine, lines).to_text(), end="")
                    Unit: VND
    Id  Source   Year  Amount
    --  -------  ----  ------
    l1  central  2021       5
    """
    if not attrs.has(cls):
        raise TableError(f"records_table() needs an attrs model class, not {cls!r}")
    rows = list(records)
    for index, record in enumerate(rows):
        if not isinstance(record, cls):
            raise TableError(
                f"records[{index}] must be {cls.__name__}, not {type(record).__name__}"
            )
    shown = {} if show is None else dict(show)
    columns: list[Column] = []
    cells: list[list[Cell]] = [[] for _ in rows]
    for field in attrs.fields(cls):
        if not field.init:
            continue
        values = [getattr(record, field.name) for record in rows]
        if not all_fields and all(value is None or value == () for value in values):
            continue
        convert = shown.get(field.name)
        column = [
            None if value is None else convert(value) if convert else _record_cell(value, locale)
            for value in values
        ]
        if any(isinstance(cell, Money) for cell in column):
            kind = ColumnKind.MONEY
        elif any(isinstance(cell, Decimal) for cell in column):
            kind = ColumnKind.NUMBER
        else:
            kind = ColumnKind.TEXT
        columns.append(Column(key=field.name, label=field_heading(field.name, locale), kind=kind))
        for row, cell in zip(cells, column, strict=True):
            row.append(cell)
    return Table(
        title=title,
        columns=tuple(columns),
        rows=tuple(tuple(row) for row in cells),
        locale=locale,
        unit=unit,
        places=places,
    )
