"""The containers egovplan's JSON readers and writer hand each other, record by record.

A typed JSON reader (``egovplan._typed_json``) gives budget lines as :class:`TypedLines`;
the JSON writer (:func:`egovplan.serialization.json_data`, :func:`egovplan.files.dumps`)
takes lists of records already written as text, :class:`JsonRecords` and
:class:`JsonBlocks`. They live here, below the converter and the file formats, so that
neither imports the other's private names.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable, Iterator
from typing import Any, Final

__all__ = [
    "JSON_BATCH",
    "JsonBlocks",
    "JsonRecords",
    "TypedLines",
    "dump_json",
    "json_bytes",
    "json_chunks",
]


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

    def records(self) -> Iterator[Any]:
        """The records, in order, each batch of them dropped from ``items`` as it is handed out.

        Read once: a record is freed as soon as the loop has built its object, and the
        memory it held is reused for the next ones (a million records are never all
        alive beside the objects built from them). ``items`` then holds None in their
        place.
        """
        return itertools.chain.from_iterable(self._batches())

    def _batches(self) -> Iterator[list[Any]]:
        items = self.items
        for start in range(0, len(items), _TYPED_BATCH):
            batch = items[start : start + _TYPED_BATCH]
            items[start : start + _TYPED_BATCH] = [None] * len(batch)
            yield batch


#: How many typed records :meth:`TypedLines.records` drops from its list at a time.
_TYPED_BATCH: Final = 1024


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


# -- the JSON layout -----------------------------------------------------------------------

_JSON_STRING: Final[Callable[[str], str]] = json.encoder.encode_basestring


def _one_line_encoder() -> Callable[[Any], str]:
    """JSON of a value on one line (``", "`` and ``": "``), by CPython's C encoder."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # another Python: the documented encoder, a little slower
        return json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode

    def refuse(value: Any) -> Any:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    encode = make(None, refuse, _JSON_STRING, None, ": ", ", ", False, False, True)

    def one_line(value: Any) -> str:
        return "".join(encode(value, 0))

    return one_line


_JSON_ONE_LINE: Final = _one_line_encoder()


def dump_json(data: Any) -> str:
    """JSON with two-space indents, a mapping or list of plain values on one line.

    Budget lines, assignments, observations, labels and per-level values each take one
    line: big plans stay readable and diff well. Such a line is written by one call of
    the C encoder, or comes already written (a :class:`JsonRecords` from
    :func:`egovplan.serialization.json_data`), and then a batch of them is joined at once.
    """
    out: list[Any] = []
    _write_json(data, "", out, False)
    out.append("\n")
    return "".join(out)


def json_chunks(data: Any) -> list[bytes]:
    """The UTF-8 bytes of :func:`dump_json`'s text, in chunks.

    Not the text, encoded: the text of each batch of records (budget lines, tasks,
    observations) is encoded as soon as it is joined, while it is still in the
    processor's cache, and the short pieces between them together. Budget lines are
    usually ASCII, and then encoded by a plain copy, where one ``str`` of the whole
    document takes the widest character anywhere in it (two bytes for each character
    once the plan has Vietnamese text) and is then encoded character by character.

    Raises:
        UnicodeEncodeError: text that is not Unicode (a lone surrogate).
    """
    out: list[Any] = []
    _write_json(data, "", out, True)
    out.append("\n")
    chunks: list[bytes] = []
    texts: list[str] = []
    for piece in out:
        if type(piece) is bytes:
            if texts:
                chunks.append("".join(texts).encode("utf-8"))
                texts.clear()
            chunks.append(piece)
        else:
            texts.append(piece)
    if texts:
        chunks.append("".join(texts).encode("utf-8"))
    return chunks


def json_bytes(data: Any) -> bytes:
    """The UTF-8 bytes of :func:`dump_json`'s text: ``b"".join(json_chunks(data))``, leaner.

    Each chunk is written into one buffer as soon as it is encoded and then dropped, and
    the buffer becomes the result without a copy: the document is in memory once, where
    joining the chunks holds it twice (and touches twice its memory) at the end.

    Raises:
        UnicodeEncodeError: text that is not Unicode (a lone surrogate).
    """
    out = _Encoded()
    _write_json(data, "", out, True)
    out.append("\n")
    out.flush()
    return out.buffer.getvalue()


class _Encoded:
    """Where :func:`json_bytes` writes: text gathered, then encoded into one buffer.

    Takes what :func:`_write_json` appends: ``str`` pieces are kept until the next
    ``bytes`` (a batch of records, already encoded) or the end, then encoded together.
    """

    __slots__ = ("buffer", "texts")

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.texts: list[str] = []

    def append(self, piece: str | bytes) -> None:
        if type(piece) is bytes:
            self.flush()
            self.buffer.write(piece)
        else:
            self.texts.append(piece)  # type: ignore[arg-type]

    def extend(self, pieces: tuple[str, ...]) -> None:
        self.texts.extend(pieces)

    def flush(self) -> None:
        if self.texts:
            self.buffer.write("".join(self.texts).encode("utf-8"))
            self.texts.clear()


def _is_leaf(value: Any) -> bool:
    kind = type(value)
    return (
        kind is not dict
        and kind is not list
        and kind is not JsonRecords
        and kind is not JsonBlocks
        and not isinstance(value, dict)
    )


def _write_json(value: Any, indent: str, out: list[Any] | _Encoded, encode: bool) -> None:
    """Append the JSON text of ``value`` to ``out``.

    The pieces are ``str``; with ``encode``, the text of each batch of records is
    appended as UTF-8 ``bytes`` instead (:func:`json_chunks`).
    """
    kind = type(value)
    if kind is str:
        out.append(_JSON_STRING(value))
    elif kind is JsonRecords or kind is JsonBlocks:
        if not value:
            out.append("[]")
            return
        inner = indent + "  "
        separator = ",\n" + inner
        out.extend(("[\n", inner))
        for index, batch in enumerate(value.batches()):
            if kind is JsonBlocks:  # records of several lines, each written at the left margin
                body = ",\n".join(batch).replace("\n", "\n" + inner)
            else:
                body = separator.join(batch)
            if index:
                out.append(separator)
            out.append(body.encode("utf-8") if encode else body)
        out.extend(("\n", indent, "]"))
    elif kind is dict or isinstance(value, dict):
        if all(map(_is_leaf, value.values())):
            out.append(_JSON_ONE_LINE(value))
            return
        inner = indent + "  "
        out.append("{")
        separator = "\n"
        for key, item in value.items():
            out.append(f"{separator}{inner}{_JSON_STRING(key)}: ")
            _write_json(item, inner, out, encode)
            separator = ",\n"
        out.append(f"\n{indent}}}")
    elif kind is list:
        if all(map(_is_leaf, value)):
            out.append(_JSON_ONE_LINE(value))
            return
        inner = indent + "  "
        out.append("[")
        separator = "\n"
        for item in value:
            out.append(f"{separator}{inner}")
            _write_json(item, inner, out, encode)
            separator = ",\n"
        out.append(f"\n{indent}]")
    else:
        out.append(_JSON_ONE_LINE(value))
