"""The containers egovplan's JSON readers and writer hand each other, record by record.

A typed JSON reader (``egovplan._typed_json``) gives budget lines as :class:`TypedLines`;
the JSON writer (:func:`egovplan.serialization.json_data`, :func:`egovplan.files.dumps`)
takes lists of records already written as text, :class:`JsonRecords` and
:class:`JsonBlocks`. They live here, below the converter and the file formats, so that
neither imports the other's private names.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any, Final

__all__ = ["JSON_BATCH", "JsonBlocks", "JsonRecords", "TypedLines"]


class TypedLines:
    """Records a typed JSON reader decoded (``egovplan._typed_json``), for the fast pass.

    ``items`` are the decoded records and ``values(item)`` a record's fields as a tuple,
    in model order, ``absent`` for a field left out (None for one given as null). The
    generated loop of the records' class (:func:`egovplan._derive.structure_loop`) takes
    them as it takes a list of mappings, with the same checks.
    """

    __slots__ = ("absent", "items", "values")

    def __init__(
        self, items: list[Any], values: Callable[[Any], tuple[Any, ...]], absent: object
    ) -> None:
        self.items = items
        self.values = values
        self.absent = absent


#: How many records are written at a time: the text of one batch is joined (and, for
#: :func:`egovplan.files.dumpb`, encoded) while it is still in the processor's cache, and
#: a million records are never a million ``str`` at once.
JSON_BATCH: Final = 1024


class JsonRecords:
    """The records of one list, written as one-line JSON text in batches, on demand.

    The JSON writer puts each record on a line of its own, as it would the record's
    mapping; :func:`egovplan.serialization.json_data` gives a tuple of budget lines, assignments or
    observations in this form (and tasks as :class:`JsonBlocks`). Iterating gives the
    text of each record; :meth:`batches` gives lists of them, a batch at a time (each
    call writes them again).
    """

    __slots__ = ("_items", "_render")

    def __init__(
        self,
        render: Callable[[tuple[Any, ...]], Iterator[list[str]]] | None = None,
        items: tuple[Any, ...] = (),
    ) -> None:
        self._render = render
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def batches(self) -> Iterator[list[str]]:
        """The text of the records, in lists of at most :data:`JSON_BATCH`."""
        if self._items and self._render is not None:
            yield from self._render(self._items)

    def __iter__(self) -> Iterator[str]:
        return itertools.chain.from_iterable(self.batches())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"


class JsonBlocks(JsonRecords):
    """Records written as JSON text that may take several lines.

    Each record is the text the JSON writer gives for its mapping at the left margin;
    the writer indents every line of it to the list's depth (JSON text has no raw line
    breaks of its own, so each one starts a line of the layout).
    """

    __slots__ = ()
