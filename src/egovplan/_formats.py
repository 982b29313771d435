"""The output formats, in one list: what tables and breakdown results render to.

:meth:`egovplan.tables.Table.render`, every breakdown result's ``render`` and the choices
of ``egovplan breakdown --format`` all take these; a format ``fmt`` is rendered by a
method ``to_<fmt>``. The module imports nothing of egovplan, so the command line can name
the choices without loading the tables.

>>> FORMATS
('text', 'markdown', 'html', 'csv', 'json')
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias, get_args

__all__ = ["FORMATS", "Format"]

#: A format a table or a breakdown result renders to.
Format: TypeAlias = Literal["text", "markdown", "html", "csv", "json"]

#: Every :data:`Format`, in the order help texts and error messages list them.
FORMATS: Final[tuple[Format, ...]] = get_args(Format)
