"""Charts of funding breakdowns (optional extra ``egovplan[plot]``, matplotlib).

- :func:`stacked_bar_chart` -- one bar per year (or any column dimension), stacked by
  source (or any row dimension): a :class:`~egovplan.breakdowns.Pivot` drawn.
- :func:`share_chart` -- each source's (or any key's) share of the total, in percent.

Both return a ``ChartFigure``, a :class:`matplotlib.figure.Figure` made without
pyplot (so no global state and no display is needed) that shows itself as an image in
Jupyter through ``_repr_png_``, even in a fresh kernel where pyplot was never imported.
It is titled and labelled in the chosen locale (by default the display option's, see
:mod:`egovplan.display`, else the plan's language), with amounts in the chosen unit
stated on the axis ("Số tiền (tỷ đồng)"). Save it with :func:`save_chart` (PNG, SVG,
PDF...; SVG keeps its text as text) or ``figure.savefig``.

matplotlib is imported only inside these functions; ``import egovplan`` never loads it.
Amounts are exact ``Decimal`` values until the moment they are drawn: matplotlib needs
floats for coordinates, so the drawn heights are the exact values converted for plotting.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable
from decimal import Decimal
from os import PathLike
from typing import TYPE_CHECKING, Any

from egovplan import _decimal
from egovplan._text import has_surrogate
from egovplan.amounts import fitting_unit
from egovplan.breakdowns import (
    Breakdown,
    BreakdownError,
    Dimension,
    Pivot,
    breakdown,
    word,
)
from egovplan.display import resolve_locale, resolve_unit
from egovplan.errors import FieldValueError, MissingDependencyError
from egovplan.funding import Funding
from egovplan.tables import format_number, unit_exponent, unit_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from egovplan.plan import Plan

# ChartFigure is made on first use (module __getattr__), hence not listed here.
__all__ = ["save_chart", "share_chart", "stacked_bar_chart"]

_INSTALL_HINT = "charts need matplotlib: pip install 'egovplan[plot]'"


@functools.cache
def _chart_figure() -> type[Figure]:
    """The class of the figures charts return, made when matplotlib is first needed."""
    try:
        from matplotlib.figure import Figure
    except ImportError as error:  # pragma: no cover - the test environment has matplotlib
        raise MissingDependencyError(_INSTALL_HINT) from error

    class ChartFigure(Figure):
        """A matplotlib ``Figure`` that Jupyter shows as an image, with or without pyplot.

        IPython asks an object for ``_repr_png_`` when it has no formatter of its own
        for it; a plain ``Figure`` gets one only once pyplot's inline backend is loaded,
        so in a fresh kernel it would show as ``<Figure size 800x450 with 1 Axes>``.
        """

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", bbox_inches="tight")
            return buffer.getvalue()

    ChartFigure.__module__ = __name__
    ChartFigure.__qualname__ = "ChartFigure"
    return ChartFigure


def __getattr__(name: str) -> type[Figure]:
    # ChartFigure is made on first use, so that importing this module does not import
    # matplotlib; looking it up here also lets pickle find it.
    if name == "ChartFigure":
        return _chart_figure()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _figure(size: tuple[float, float]) -> Figure:
    return _chart_figure()(figsize=size, layout="constrained")


def _scaled(amount: Decimal, exponent: int) -> float:
    # The one place money becomes a float: a coordinate for drawing.
    return float(amount.scaleb(-exponent, context=_decimal.CONTEXT))


def _number_axis(axis: Any, locale: str) -> None:
    from matplotlib.ticker import FuncFormatter

    def tick(value: float, _: int | None) -> str:
        return format_number(Decimal(f"{float(value):.12g}"), locale)

    axis.set_major_formatter(FuncFormatter(tick))


def _drawable(texts: Iterable[tuple[str, str | None]]) -> None:
    """Refuse, naming where it is, a text that is not Unicode (an unpaired surrogate).

    Only code can put one in a plan (every reader refuses it); matplotlib would fail on it
    with a bare ``TypeError`` while drawing, in :func:`save_chart` or later.
    """
    for what, text in texts:
        if has_surrogate(text):
            raise FieldValueError(f"cannot draw {what} {text!r}: it has an unpaired surrogate")


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def stacked_bar_chart(
    data: Pivot | Plan | Funding,
    *,
    by: Dimension | str = Dimension.SOURCE,
    by2: Dimension | str = Dimension.YEAR,
    locale: str | None = None,
    unit: str | None = None,
    title: str | None = None,
    size: tuple[float, float] = (9.0, 5.0),
) -> Figure:
    """A stacked bar chart: one bar per column key (years), one segment per row key (sources).

    Args:
        data: a :class:`~egovplan.breakdowns.Pivot`, or a plan (or its funding) to break
            down ``by`` × ``by2`` (default: source × year, from the budget lines).
        by: the stacked dimension (ignored when ``data`` is a pivot).
        by2: the dimension along the horizontal axis (ignored for a pivot).
        locale: ``"vi"`` or ``"en"`` for title, labels and numbers (default: the
            display option's, else the pivot's locale).
        unit: the unit of the vertical axis (``"one"``, ``"million"``, ``"billion"``...);
            ``"auto"`` picks the largest in which no non-zero amount drawn is a fraction
            below 1 (:func:`egovplan.amounts.fitting_unit`); default: the display
            option's unit, else ``"auto"``.
        title: a title instead of the default ("Kinh phí theo nguồn vốn và năm").
        size: figure size in inches.

    Returns:
        The figure; ``figure.axes[0].containers[i]`` holds the bars of row ``i``.

    Raises:
        BreakdownError: the pivot is empty (no budget lines to draw).
        FieldValueError: a label or the title has an unpaired surrogate (it is not
            Unicode, and matplotlib cannot draw it).
    """
    table = data if isinstance(data, Pivot) else breakdown(data, by, by2, locale=locale)
    loc = resolve_locale(locale, table.locale)
    if not table.rows or not table.columns:
        raise BreakdownError(
            f"nothing to draw: no amounts by {table.by} and {table.by2} (no budget lines?)"
        )
    unit = resolve_unit(unit, "auto")
    if unit == "auto":
        unit = fitting_unit(cell for cells in table.cells for cell in cells)
    exponent = unit_exponent(unit)
    _drawable(
        [
            *((f"the label of {table.by.value} {row.key!r}", row.label(loc)) for row in table.rows),
            *(
                (f"the label of {table.by2.value} {col.key!r}", col.label(loc))
                for col in table.columns
            ),
            ("the title", title),
        ]
    )
    figure = _figure(size)
    axes: Axes = figure.add_subplot()
    positions = list(range(len(table.columns)))
    bottoms = [0.0] * len(positions)
    for heading, cells in zip(table.rows, table.cells, strict=True):
        heights = [_scaled(cell.amount, exponent) for cell in cells]
        axes.bar(positions, heights, bottom=bottoms, label=heading.label(loc))
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    axes.set_xticks(positions, [heading.label(loc) for heading in table.columns])
    default_title = table.table(locale=loc).title
    axes.set_title(title if title is not None else (default_title or ""))
    axes.set_xlabel(table.by2.label(loc))
    axes.set_ylabel(
        word("chart_amount_axis", loc).format(unit=unit_label(unit, table.currency, loc))
    )
    _number_axis(axes.yaxis, loc)
    axes.legend(title=table.by.label(loc), loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return figure


def share_chart(
    data: Breakdown | Plan | Funding,
    *,
    by: Dimension | str = Dimension.SOURCE,
    locale: str | None = None,
    title: str | None = None,
    size: tuple[float, float] = (8.0, 4.5),
) -> Figure:
    """A horizontal bar per key (sources) showing its share of the total, in percent.

    The bars are in the breakdown's order from top to bottom and labelled with their
    shares as the tables show them ("35,51" in Vietnamese); the shares sum to exactly 100.

    Args:
        data: a :class:`~egovplan.breakdowns.Breakdown`, or a plan (or its funding) to
            break down ``by`` (default: source).
        by: the dimension (ignored when ``data`` is a breakdown).
        locale: ``"vi"`` or ``"en"`` (default: the display option's, else the
            breakdown's locale).
        title: a title instead of the default ("Cơ cấu kinh phí theo nguồn vốn").
        size: figure size in inches.

    Raises:
        BreakdownError: no rows, or shares are undefined (a zero total).
        FieldValueError: a label or the title has an unpaired surrogate (it is not
            Unicode, and matplotlib cannot draw it).
    """
    result = data if isinstance(data, Breakdown) else breakdown(data, by, locale=locale)
    loc = resolve_locale(locale, result.locale)
    shares: list[Decimal] = [row.share for row in result.rows if row.share is not None]
    if not result.rows or len(shares) != len(result.rows):
        raise BreakdownError(f"no shares to draw by {result.by} (nothing, or a zero total)")
    labels = [row.label(loc) for row in result.rows]
    _drawable(
        [
            *(
                (f"the label of {result.by.value} {row.key!r}", label)
                for row, label in zip(result.rows, labels, strict=True)
            ),
            ("the title", title),
        ]
    )
    figure = _figure(size)
    axes: Axes = figure.add_subplot()
    positions = list(range(len(labels)))
    bars = axes.barh(positions, [float(share) for share in shares])
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()  # first row on top, as in the table
    texts = [format_number(share, loc, places=_places(share)) for share in shares]
    axes.bar_label(bars, labels=texts, padding=3)
    axes.set_xlim(0, 100)
    axes.set_xlabel(word("share", loc))
    axes.set_title(
        title if title is not None else word("share_title", loc).format(noun=result.by.noun(loc))
    )
    _number_axis(axes.xaxis, loc)
    return figure


def save_chart(
    figure: Figure,
    path: str | PathLike[str],
    *,
    format: str | None = None,
    dpi: int = 150,
) -> None:
    """Save ``figure`` to ``path`` (format from the extension, or ``format``).

    SVG files keep their text as ``<text>`` elements (searchable and accessible) rather
    than outlines.

    Args:
        figure: a figure from this module (or any matplotlib figure).
        path: where to write; ``.png``, ``.svg``, ``.pdf``...
        format: the file format, when the extension does not say it.
        dpi: resolution of raster formats.
    """
    import matplotlib

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "egovplan"}):
        figure.savefig(path, format=format, dpi=dpi)
