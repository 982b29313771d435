"""Plan files: reading and writing YAML, JSON and TOML, safely.

>>> text = '''
... format_version: 1
... id: lao-cai-2018
... metadata: {kind: plan, title: Kế hoạch ICT-Index 2018}
... period: "2018"
... '''
>>> plan = loads(text, "yaml")
>>> plan.period.first_year
2018
>>> print(dumps(plan, "json"), end="")
{
  "format_version": 3,
  "id": "lao-cai-2018",
  "metadata": {"kind": "plan", "title": "Kế hoạch ICT-Index 2018"},
  "period": 2018
}

**What** :func:`load` **reads.** Given an :class:`os.PathLike` (a :class:`pathlib.Path`),
or a ``str`` without a line break, :func:`load` reads that file; a ``str`` with a line
break is the text of a document (for one-line text, use :func:`loads`). The format comes
from the file's extension (``.yaml``/``.yml``, ``.json``, ``.toml``) unless ``format=``
says; text needs ``format=``.

**Safety.** Plans come from strangers' e-mails and CI jobs, so reading is careful:

- YAML is read with PyYAML's safe loader's parser (``CSafeLoader`` when libyaml is
  there), and egovplan builds the data itself: no tags but the standard ones, no Python
  objects, anchors and aliases counted. Scalars follow the YAML 1.2 core schema (``yes``,
  ``no``, ``on`` and ``off`` are text; ``010`` is ten; dates are text that egovplan reads
  as dates).
- A key given twice in a mapping is an error in YAML and JSON (TOML forbids it itself),
  not "the last one wins".
- :class:`Limits` bounds the size of the file (checked before it is read), the nesting,
  the YAML aliases, the number of items and the digits of a number.
- Files are decoded as UTF-8, with or without a byte-order mark, or as UTF-16 with a
  byte-order mark; anything else is an error naming the file.

**Speed.** With msgspec installed (``pip install 'egovplan[fast]'``), JSON is read by
msgspec's decoder, two to three times faster than by the standard library; the bytes of
a file (or given to :func:`loads`) go to it as they are. Whatever msgspec refuses or
could read differently (invalid JSON, a key given twice, ``NaN``, unpaired surrogates,
an escaped colon, numbers or nesting beyond what Python reads) is read again by the standard
reader, which words every error: the data, the errors and their positions are the same
with and without msgspec. A plan's budget lines are decoded straight into typed records
(``egovplan._typed_json``) and built by the fast pass alone; a document that does not fit
them is read the untyped way, with the same result. (orjson would not do: it has no hook
for floats, whose text the converter quotes.)

Every problem is a :class:`~egovplan.errors.LoadError` whose
:attr:`~egovplan.errors.LoadError.problems` carry the path inside the document and, for
YAML and JSON, the line and column.

:func:`dumps` gives the text of a plan, :func:`dumpb` its UTF-8 bytes (faster than
encoding the text) and :func:`dump` writes those bytes to a file, atomically: to a
temporary file in the same directory, flushed to disk, then renamed over the target, so a
failure leaves the target as it was.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import functools
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from egovplan._decimal import in_own_context
from egovplan._derive import forget_written
from egovplan._json_parts import dump_json, json_bytes, json_chunks
from egovplan._text import compiled, has_surrogate
from egovplan.errors import (
    EgovplanError,
    FieldTypeError,
    FieldValueError,
    LoadError,
    Problem,
    WriteError,
)
from egovplan.limits import Limits
from egovplan.plan import Plan
from egovplan.serialization import (
    FloatText,
    FlowMapping,
    format_path,
    from_dict,
    gc_paused,
    json_data,
    parse_path,
    structure_typed,
    to_dict,
)

if TYPE_CHECKING:
    from yaml import Dumper

_T = TypeVar("_T")

__all__ = [
    "FORMATS",
    "FormatError",
    "Limits",
    "PlanFile",
    "dump",
    "dumpb",
    "dumps",
    "format_of",
    "load",
    "loads",
    "read",
    "read_bytes",
    "read_document",
    "write_text",
]

#: The formats plans are read and written in.
FORMATS: Final = ("yaml", "json", "toml")

_EXTENSIONS: Final = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}
_EXTRAS: Final = {"yaml": ("yaml", "pyyaml"), "toml": ("tomli_w", "tomli-w")}


class FormatError(EgovplanError, ValueError):
    """A format name is unknown, or a file's format cannot be told from its name."""


_DEFAULT_LIMITS: Final = Limits()


def _error(
    source: str, message: str, *, path: str = "", line: int | None = None, column: int | None = None
) -> LoadError:
    return LoadError.from_problems(source, [Problem(path, message, line=line, column=column)])


# -- formats and decoding -----------------------------------------------------------------


def _check_format(format: str) -> str:
    if not isinstance(format, str) or format.lower() not in FORMATS:
        raise FormatError(f"unknown format {format!r}; expected one of: {', '.join(FORMATS)}")
    return format.lower()


def format_of(path: str | os.PathLike[str]) -> str:
    """The format of a file, from its extension.

    >>> format_of("plans/quang-nam.yml"), format_of("plan.JSON")
    ('yaml', 'json')
    >>> format_of("plan.txt")
    Traceback (most recent call last):
    ...
    egovplan.files.FormatError: cannot tell the format of 'plan.txt' from its extension; \
name it .yaml, .yml, .json or .toml, or say format=
    """
    suffix = Path(path).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    raise FormatError(
        f"cannot tell the format of {str(path)!r} from its extension;"
        f" name it {', '.join(list(_EXTENSIONS)[:-1])} or {list(_EXTENSIONS)[-1]},"
        " or say format="
    )


def _decode(data: bytes, source: str) -> str:
    """The text of a file: UTF-8 (a byte-order mark is dropped) or UTF-16 with a BOM."""
    return _decode_utf8(data, source)[0]


def _decode_utf8(data: bytes, source: str) -> tuple[str, bytes | None]:
    """:func:`_decode`'s text, and ``data`` when it is exactly that text in UTF-8."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise _error(source, "is UTF-32 text; save it as UTF-8")
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = str(memoryview(data)[len(codecs.BOM_UTF8) :], "utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8")
            if b"\x00" not in data:  # in UTF-8 only U+0000 has a zero byte: look there
                checked = _checked_text(text, source, has_nul=False)
                return checked, data if checked is text else None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        encoding = "UTF-16" if error.encoding.lower().startswith("utf-16") else "UTF-8"
        raise _error(
            source,
            f"is not {encoding} text: byte 0x{data[error.start]:02x} cannot be read;"
            " save the file as UTF-8",
            line=line,
            column=column,
        ) from None
    return _checked_text(text, source), None


def _checked_text(text: str, source: str, *, has_nul: bool = True) -> str:
    """``text`` without a leading BOM, refused if binary or empty.

    ``has_nul=False`` says the caller has already found no NUL (in the bytes, faster).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if has_nul and "\x00" in text:
        if _looks_like_utf16(text):
            raise _error(
                source,
                "looks like UTF-16 text without a byte-order mark; save it as UTF-8",
            )
        raise _error(source, "contains NUL characters: it is binary data, not a plan")
    if not text or text.isspace():  # not text.strip(), which would copy the whole text
        raise _error(source, "is empty")
    return text


def _looks_like_utf16(text: str) -> bool:
    """Whether text decoded as UTF-8 was UTF-16 (every other character NUL, at the start)."""
    head = text[:64]
    if len(head) < 4:
        return False
    return head[1::2].count("\x00") == len(head[1::2]) or head[0::2].count("\x00") == len(
        head[0::2]
    )


def read_bytes(path: Path, limits: Limits) -> bytes:
    """The bytes of the file at ``path``, refused before reading when it is larger than
    ``limits.max_bytes`` (and with a clear error when it is missing or unreadable).

    The interchange readers (:mod:`egovplan.iati`, :mod:`egovplan.ocds`) read files this
    way too, so every file egovplan reads is held to the same limits.

    Raises:
        LoadError: the file is missing, unreadable, or too large.
    """  # noqa: D205
    source = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        hint = ""
        if source.lstrip().startswith(("{", "[")) or ": " in source:
            hint = " (to read a document's text, use egovplan.loads(text, format))"
        raise _error(source, f"no such file{hint}") from None
    except PermissionError:
        raise _error(source, "permission denied") from None
    except OSError as error:
        raise _error(source, f"cannot be read: {error.strerror or error}") from None
    except ValueError as error:  # a NUL character in the name
        raise _error(source, f"is not a usable file name: {error}") from None
    _check_regular(source, info.st_mode)
    if info.st_size > limits.max_bytes:
        raise _error(
            source,
            f"is {info.st_size} bytes; the limit is {limits.max_bytes} (Limits.max_bytes)",
        )
    try:
        # Without blocking: a FIFO put in the file's place since the check above must not
        # make the open wait for a writer; the open file is checked again.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise _error(source, "permission denied") from None
    except OSError as error:
        raise _error(source, f"cannot be read: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            _check_regular(source, os.fstat(handle.fileno()).st_mode)
            os.set_blocking(handle.fileno(), True)
            data = handle.read(limits.max_bytes + 1)
    except PermissionError:
        raise _error(source, "permission denied") from None
    except OSError as error:
        raise _error(source, f"cannot be read: {error.strerror or error}") from None
    if len(data) > limits.max_bytes:
        raise _error(
            source, f"is larger than the limit of {limits.max_bytes} bytes (Limits.max_bytes)"
        )
    return data


#: What a file that is not a regular file is, by the test of :mod:`stat` that knows it.
_NOT_REGULAR: Final = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_regular(source: str, mode: int) -> None:
    """Refuse what is not a regular file before reading it.

    A FIFO would block the reader forever and a device (``/dev/zero``) never ends: only
    regular files have a size that the limits can be checked against before reading.
    """
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _NOT_REGULAR if test(mode)), "something else")
    raise _error(source, f"is {kind}, not a regular file")


# -- numbers, text and nesting the readers check -------------------------------------------


def _digit_count(text: str) -> int:
    """The digits of an integer as written: ``-0xff_ff`` has 4 (sign, prefix, ``_`` aside)."""
    text = text.lstrip("+-")
    if text[:2].lower() in ("0x", "0o", "0b"):
        text = text[2:]
    return sum(char.isalnum() for char in text)


def _whole_number_limit(max_digits: int) -> int:
    """The most digits an integer of a document may have.

    That is ``max_digits``, or fewer if Python converts no more
    (``sys.get_int_max_str_digits()``, 4300 by default).
    """
    python = sys.get_int_max_str_digits()
    return min(max_digits, python) if python else max_digits


def _too_many_digits(text: str, limit: int, max_digits: int | None = None) -> str:
    """The message for a number longer than ``limit`` (:func:`_whole_number_limit`)."""
    digits = _digit_count(text)
    shown = text if len(text) <= 20 else f"{text[:12]}…{text[-4:]}"
    which = (
        "Limits.max_digits"
        if max_digits is None or limit == max_digits
        else "the most digits Python converts to an integer, sys.get_int_max_str_digits()"
    )
    return f"the number {shown} has {digits} digits; the limit is {limit} ({which})"


@functools.lru_cache(maxsize=16)
def _long_run(limit: int) -> re.Pattern[str]:
    """Runs of digits that may hold more than ``limit``.

    TOML puts ``_`` between digits and writes integers in hexadecimal (``0x``), octal
    (``0o``) and binary (``0b``) too; Python converts those without a limit of digits.
    """
    return re.compile(
        rf"0x[0-9A-Fa-f_]{{{limit},}}|0o[0-7_]{{{limit},}}|0b[01_]{{{limit},}}"
        rf"|[0-9][0-9_]{{{limit},}}"
    )


def _find(data: Any, keep: Callable[[Any], bool]) -> list[tuple[tuple[str | int, ...], Any]]:
    """The values and mapping keys for which ``keep`` is true, with their paths."""
    found: list[tuple[tuple[str | int, ...], Any]] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        parts, value = stack.pop()
        if isinstance(value, dict):
            for key, item in reversed(value.items()):
                if keep(key):
                    found.append(((*parts, key), key))
                stack.append(((*parts, key), item))
        elif isinstance(value, list):
            stack.extend(
                ((*parts, index), item) for index, item in reversed(list(enumerate(value)))
            )
        elif keep(value):
            found.append((parts, value))
    return found


_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


_JSON_TOKEN: Final = r'"(?:[^"\\]|\\.)*"|[\[\]{},]'  # (compiled on first use)


def _json_too_deep(text: str, limit: int) -> tuple[int, tuple[str | int, ...]] | None:
    """Where a JSON text first nests deeper than ``limit`` levels: offset and path."""
    stack: list[list[Any]] = []  # [is_object, key, index, expecting a key]
    for match in compiled(_JSON_TOKEN).finditer(text):
        token = match.group()
        char = token[0]
        if char == '"':
            if stack and stack[-1][0] and stack[-1][3]:
                try:
                    stack[-1][1] = json.loads(token)
                except ValueError:
                    stack[-1][1] = token[1:-1]
                stack[-1][3] = False
        elif char in "[{":
            stack.append([char == "{", None, 0, True])
            if len(stack) > limit:
                parts = [frame[1] if frame[0] else frame[2] for frame in stack[:-1]]
                return match.start(), tuple(part for part in parts if part is not None)
        elif char in "]}":
            if stack:
                stack.pop()
        elif stack:
            if stack[-1][0]:
                stack[-1][3] = True
            else:
                stack[-1][2] += 1
    return None


def _too_deep_error(
    source: str, limits: Limits, place: tuple[int, Any] | None, text: str
) -> LoadError:
    if place is None:
        return _error(source, "is nested too deeply to be read")
    offset, parts = place
    line, column = _offset_position(text, offset)
    return _error(
        source,
        f"the document is nested deeper than {limits.max_depth} levels"
        " (the limit is Limits.max_depth)",
        path=format_path(parts),
        line=line,
        column=column,
    )


# -- YAML ---------------------------------------------------------------------------------

_YAML_INT: Final = re.compile(r"[-+]?[0-9]+")
_YAML_FLOAT: Final = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_YAML_NULL: Final = frozenset({"~", "null", "Null", "NULL", ""})
_YAML_TRUE: Final = frozenset({"true", "True", "TRUE"})
_YAML_FALSE: Final = frozenset({"false", "False", "FALSE"})
_YAML_TAG: Final = "tag:yaml.org,2002:"


class _NoKey:
    __slots__ = ()


_NO_KEY: Final = _NoKey()


def _yaml_module() -> Any:
    try:
        import yaml
    except ImportError:
        raise _missing("yaml") from None
    return yaml


def _missing(format: str) -> ImportError:
    _, package = _EXTRAS[format]
    # PyYAML is a dependency of egovplan: only a broken installation lacks it.
    how = f"pip install {package}" if format == "yaml" else f"pip install 'egovplan[{format}]'"
    return ImportError(f"{format.upper()} files need the {package} package: {how}")


def _resolve_plain(value: str) -> Any:
    """A plain YAML scalar read with the YAML 1.2 core schema (floats kept as text)."""
    if not value:
        return None
    first = value[0]
    if first in "-+.0123456789":
        if _YAML_INT.fullmatch(value):
            return int(value)
        if _YAML_FLOAT.fullmatch(value):
            return FloatText(value)
    elif first in "~nNtTfF":
        if value in _YAML_NULL:
            return None
        if value in _YAML_TRUE:
            return True
        if value in _YAML_FALSE:
            return False
    return value


class _YamlError(EgovplanError):
    def __init__(self, message: str, mark: Any, parts: list[str | int]) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.parts = parts


def _tagged_scalar(tag: str, value: str, mark: Any) -> Any:
    if tag == "!" or tag == _YAML_TAG + "str":
        return value
    name = tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else None
    resolved = _resolve_plain(value)
    if name == "int" and isinstance(resolved, int) and not isinstance(resolved, bool):
        return resolved
    if name == "float" and isinstance(resolved, FloatText | int) and not isinstance(resolved, bool):
        return FloatText(value)
    if name == "bool" and isinstance(resolved, bool):
        return resolved
    if name == "null" and resolved is None:
        return None
    if name in ("int", "float", "bool", "null"):
        raise _YamlError(f"{value!r} is not a valid !!{name}", mark, [])
    raise _YamlError(f"the tag {tag} is not allowed in a plan", mark, [])


def _frames_path(stack: list[list[Any]]) -> list[str | int]:
    parts: list[str | int] = []
    for frame in stack:
        if frame[1]:
            if frame[2] is not _NO_KEY:
                parts.append(frame[2])
        else:
            parts.append(len(frame[0]))
    return parts


def _compose_yaml(loader: Any, limits: Limits) -> Any:
    """Build the data of a YAML stream from its parser events, checking the limits."""
    from yaml import events

    scalar_event = events.ScalarEvent
    mapping_start = events.MappingStartEvent
    sequence_start = events.SequenceStartEvent
    alias_event = events.AliasEvent
    collection_end = (events.MappingEndEvent, events.SequenceEndEvent)
    get_event = loader.get_event
    max_depth, max_aliases, max_items = limits.max_depth, limits.max_aliases, limits.max_items
    max_digits = limits.max_digits
    whole_digits = _whole_number_limit(max_digits)

    get_event()  # stream start
    event = get_event()
    if not isinstance(event, events.DocumentStartEvent):
        raise _YamlError("is empty", event.start_mark, [])
    root: Any = _NO_KEY
    stack: list[list[Any]] = []  # [container, is_mapping, pending key, size, anchor, key mark]
    anchors: dict[str, tuple[Any, int]] = {}
    building: set[str] = set()
    aliases = 0
    items = 0

    def fail(message: str, mark: Any) -> _YamlError:
        return _YamlError(message, mark, _frames_path(stack))

    while True:
        event = get_event()
        kind = type(event)
        if kind is scalar_event:
            tag = event.tag
            if (
                len(event.value) > whole_digits
                and (tag is not None or event.implicit[0])
                and _YAML_INT.fullmatch(event.value)
                and len(event.value.lstrip("+-")) > whole_digits
            ):
                raise fail(
                    _too_many_digits(event.value, whole_digits, max_digits), event.start_mark
                )
            if tag is None:
                value = _resolve_plain(event.value) if event.implicit[0] else event.value
            else:
                try:
                    value = _tagged_scalar(tag, event.value, event.start_mark)
                except _YamlError as error:  # say where: the path of the value
                    raise fail(error.message, error.mark) from None
            size = 1
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
        elif kind is mapping_start or kind is sequence_start:
            tag = event.tag
            expected = "map" if kind is mapping_start else "seq"
            if tag is not None and tag != "!" and tag != _YAML_TAG + expected:
                raise fail(f"the tag {tag} is not allowed in a plan", event.start_mark)
            if stack and stack[-1][1] and stack[-1][2] is _NO_KEY:
                raise fail("a key must be text, not a mapping or a list", event.start_mark)
            if len(stack) + 1 > max_depth:
                raise fail(
                    f"the document is nested deeper than {max_depth} levels"
                    " (the limit is Limits.max_depth)",
                    event.start_mark,
                )
            items += 1
            if items > max_items:
                raise fail(
                    f"the document has more than {max_items} items (Limits.max_items)",
                    event.start_mark,
                )
            if event.anchor is not None:
                building.add(event.anchor)
            container: Any = {} if kind is mapping_start else []
            stack.append([container, kind is mapping_start, _NO_KEY, 1, event.anchor, None])
            continue
        elif kind in collection_end:
            frame = stack.pop()
            value, size = frame[0], frame[3]
            if frame[4] is not None:
                anchors[frame[4]] = (value, size)
                building.discard(frame[4])
        elif kind is alias_event:
            aliases += 1
            if aliases > max_aliases:
                raise fail(
                    f"the document uses more than {max_aliases} aliases (Limits.max_aliases)",
                    event.start_mark,
                )
            name = event.anchor
            if name in building:
                raise fail(f"the alias *{name} refers to a node that contains it", event.start_mark)
            if name not in anchors:
                raise fail(f"the alias *{name} names no anchor defined before it", event.start_mark)
            value, size = anchors[name]
        else:  # document end
            break
        # Add the value to its container (or make it the document).
        if not stack:
            root = value
            continue
        top = stack[-1]
        if top[1]:
            if top[2] is _NO_KEY:
                if not isinstance(value, str):
                    raise fail(
                        f"a key must be text, not {_describe_key(value)}; put it in quotes",
                        event.start_mark,
                    )
                if value in top[0]:
                    raise _YamlError(
                        f"the key {value!r} is given twice in this mapping",
                        event.start_mark,
                        [*_frames_path(stack), value],
                    )
                top[2] = value
                continue
            top[0][top[2]] = value
            top[2] = _NO_KEY
        else:
            top[0].append(value)
        top[3] += size
        if kind in collection_end:  # counted at its start, and its items as they came
            continue
        items += size  # a value, or all that an alias stands for
        if items > max_items:
            raise fail(
                f"the document has more than {max_items} items (Limits.max_items)", event.start_mark
            )
    if not isinstance(get_event(), events.StreamEndEvent):
        raise _YamlError(
            "holds more than one YAML document; a plan file holds one", event.end_mark, []
        )
    return root


def _describe_key(value: object) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, FloatText):
        return f"the number {value.text}"
    return f"the number {value}" if isinstance(value, int) else type(value).__name__


def _yaml_loader(text: str) -> Any:
    yaml = _yaml_module()
    loader_class = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    return loader_class(text)


def _read_yaml(text: str, source: str, limits: Limits) -> Any:
    yaml = _yaml_module()
    loader = None
    try:
        loader = _yaml_loader(text)  # PyYAML's own reader checks the characters here
        return _compose_yaml(loader, limits)
    except _YamlError as error:
        line, column = _mark(error.mark)
        if error.message == "is empty":
            raise _error(source, "is empty") from None
        raise _error(
            source, error.message, path=format_path(error.parts), line=line, column=column
        ) from None
    except yaml.MarkedYAMLError as error:
        line, column = _mark(error.problem_mark)
        problem = error.problem or str(error)
        raise _error(source, f"is not valid YAML: {problem}", line=line, column=column) from None
    except yaml.reader.ReaderError as error:
        line, column = _offset_position(text, error.position)
        character = error.character if isinstance(error.character, str) else chr(error.character)
        name = unicodedata.name(character, "a control character")
        raise _error(
            source,
            f"is not valid YAML: the character U+{ord(character):04X} ({name}) is not allowed"
            " in YAML text",
            line=line,
            column=column,
        ) from None
    except yaml.YAMLError as error:
        raise _error(source, f"is not valid YAML: {_one_line(str(error))}") from None
    except ValueError as error:  # an integer beyond Python's digit limit
        raise _error(source, f"has a number that cannot be read: {error}") from None
    finally:
        if loader is not None:
            loader.dispose()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _mark(mark: Any) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _trie(paths: Iterable[tuple[str | int, ...]]) -> dict[Any, Any]:
    """The paths as nested dicts: ``{"funding": {"sources": {1: {}}}}``."""
    trie: dict[Any, Any] = {}
    for parts in paths:
        branch = trie
        for part in parts:
            branch = branch.setdefault(part, {})
    return trie


def _yaml_positions(
    text: str, paths: Iterable[tuple[str | int, ...]]
) -> dict[tuple[str | int, ...], tuple[int, int]]:
    """Where each prefix of ``paths`` starts in a YAML text (1-based line and column)."""
    from yaml import events

    trie = _trie(paths)
    found: dict[tuple[str | int, ...], tuple[int, int]] = {(): (1, 1)}
    loader = _yaml_loader(text)
    # frames: [is_mapping, pending key, next index, trie branch or None, parts]
    stack: list[list[Any]] = []
    starts = (events.MappingStartEvent, events.SequenceStartEvent)
    ends = (events.MappingEndEvent, events.SequenceEndEvent)
    try:
        loader.get_event()
        if not isinstance(loader.get_event(), events.DocumentStartEvent):
            return found
        while True:
            event = loader.get_event()
            kind = type(event)
            if kind in ends:
                stack.pop()
                if not stack:
                    break
                continue
            if kind is events.DocumentEndEvent or kind is events.StreamEndEvent:
                break
            branch: dict[Any, Any] | None = trie
            parts: tuple[str | int, ...] = ()
            if not stack:  # the document: where its node starts, after any comments
                found[()] = (event.start_mark.line + 1, event.start_mark.column + 1)
            else:
                top = stack[-1]
                component: Any
                if top[0]:
                    if top[1] is _NO_KEY:  # this is a key
                        top[1] = event.value if kind is events.ScalarEvent else None
                        if kind in starts:
                            _skip(loader, events)
                        continue
                    component, top[1] = top[1], _NO_KEY
                else:
                    component = top[2]
                    top[2] += 1
                parent: dict[Any, Any] | None = top[3]
                branch = parent.get(component) if parent is not None else None
                if branch is not None:
                    parts = (*top[4], component)
                    found[parts] = (event.start_mark.line + 1, event.start_mark.column + 1)
            if kind in starts:
                stack.append([kind is events.MappingStartEvent, _NO_KEY, 0, branch, parts])
            elif not stack:
                break
    except Exception:  # positions are a courtesy: never fail because of them
        return found
    finally:
        loader.dispose()
    return found


def _skip(loader: Any, events: Any) -> None:
    """Skip a collection used as a key (already refused on reading; kept for safety)."""
    depth = 1
    while depth:
        event = loader.get_event()
        if type(event) in (events.MappingStartEvent, events.SequenceStartEvent):
            depth += 1
        elif type(event) in (events.MappingEndEvent, events.SequenceEndEvent):
            depth -= 1


_UNICODE_BREAKS: Final = re.compile("[\x85\u2028\u2029]")


class _NotUnicode(EgovplanError):
    """The YAML writer met a lone surrogate; :func:`_not_unicode` says where."""


@functools.cache
def _yaml_dumper(pure: bool = False) -> type[Dumper]:
    """The YAML writer of plans: libyaml's emitter when there, else PyYAML's own.

    Both write the same text (the tests check it), so a canonical file does not depend
    on whether libyaml is installed.
    """
    yaml = _yaml_module()
    base = yaml.SafeDumper if pure else getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class PlanDumper(base):  # type: ignore[misc, valid-type]
        """Writes plans: strings quoted whenever egovplan or YAML 1.1 would misread them."""

        yaml_implicit_resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]]

    resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}
    for first, entries in base.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in entries if tag != _YAML_TAG + "timestamp"]
        if kept:
            resolvers[first] = kept
    PlanDumper.yaml_implicit_resolvers = resolvers
    PlanDumper.add_implicit_resolver(
        _YAML_TAG + "int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
    )
    PlanDumper.add_implicit_resolver(
        _YAML_TAG + "float", re.compile(rf"^(?:{_YAML_FLOAT.pattern})$"), list("-+.0123456789")
    )

    def represent_str(dumper: Any, data: str) -> Any:
        if not data.isascii() and _SURROGATE.search(data) is not None:
            # libyaml fails on it, PyYAML escapes it ("\uD800"): neither is Unicode text.
            raise _NotUnicode
        style = None
        if _UNICODE_BREAKS.search(data):
            style = '"'  # escaped there (\N, \L, \P); raw they would read back as breaks
        elif "\n" in data:
            style = "|"
        return dumper.represent_scalar(_YAML_TAG + "str", data, style=style)

    def represent_flow(dumper: Any, data: FlowMapping) -> Any:
        return dumper.represent_mapping(_YAML_TAG + "map", data.items(), flow_style=True)

    PlanDumper.add_representer(str, represent_str)
    PlanDumper.add_representer(FlowMapping, represent_flow)
    return PlanDumper


def _dump_yaml(data: Any) -> str:
    yaml = _yaml_module()
    text: str = yaml.dump(
        data,
        Dumper=_yaml_dumper(),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
        indent=2,
    )
    return text


# -- JSON ---------------------------------------------------------------------------------


class _DuplicateKey(EgovplanError):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _DuplicateKey
    return data


_JSON_WS: Final = re.compile(r"[ \t\n\r]*")
#: ``json.decoder.scanstring(text, end)``: the string whose opening quote is at ``end - 1``.
_scanstring: Final[Callable[[str, int], tuple[str, int]]] = json.decoder.scanstring  # type: ignore[attr-defined]


def _ws(text: str, pos: int) -> int:
    """The position after the JSON whitespace at ``pos``."""
    match = _JSON_WS.match(text, pos)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _json_skip(text: str, pos: int) -> int:
    """The end of the JSON value starting at ``pos``."""
    _, end = _JSON_SCANNER(text, pos)
    return int(end)


_JSON_SCANNER: Final[Callable[[str, int], tuple[Any, int]]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _json_walk(
    text: str,
    pos: int,
    node: dict[Any, Any] | None,
    parts: tuple[str | int, ...],
    found: dict[tuple[str | int, ...], int],
    duplicates: list[tuple[tuple[str | int, ...], int]] | None,
) -> int:
    """Walk the JSON value at ``pos``; record where the paths of ``node`` start.

    With ``duplicates`` (a list), walk everything and collect the keys given twice.
    Returns the end of the value.
    """
    if node is not None:
        found[parts] = pos
    if not node and duplicates is None:
        return _json_skip(text, pos)
    char = text[pos]
    if char == "{":
        pos = _ws(text, pos + 1)
        if text[pos] == "}":
            return pos + 1
        seen: set[str] = set()
        while True:
            key_at = pos
            key, pos = _scanstring(text, pos + 1)
            pos = _ws(text, pos) + 1
            pos = _ws(text, pos)
            if duplicates is not None:
                if key in seen:
                    duplicates.append(((*parts, key), key_at))
                seen.add(key)
            child = node.get(key) if node else None
            if child is not None or duplicates is not None:
                pos = _json_walk(text, pos, child, (*parts, key), found, duplicates)
            else:
                pos = _json_skip(text, pos)
            pos = _ws(text, pos)
            if text[pos] == "}":
                return pos + 1
            pos = _ws(text, pos + 1)
    if char == "[":
        pos = _ws(text, pos + 1)
        if text[pos] == "]":
            return pos + 1
        index = 0
        while True:
            child = node.get(index) if node else None
            if child is not None or duplicates is not None:
                pos = _json_walk(text, pos, child, (*parts, index), found, duplicates)
            else:
                pos = _json_skip(text, pos)
            pos = _ws(text, pos)
            if text[pos] == "]":
                return pos + 1
            pos = _ws(text, pos + 1)
            index += 1
    return _json_skip(text, pos)


def _json_positions(
    text: str, paths: Iterable[tuple[str | int, ...]]
) -> dict[tuple[str | int, ...], tuple[int, int]]:
    trie = _trie(paths)
    offsets: dict[tuple[str | int, ...], int] = {}
    with contextlib.suppress(ValueError, IndexError, StopIteration, RecursionError):
        _json_walk(text, _ws(text, 0), trie, (), offsets, None)
    return {parts: _offset_position(text, offset) for parts, offset in offsets.items()}


def _json_duplicates(text: str) -> list[tuple[tuple[str | int, ...], int]]:
    duplicates: list[tuple[tuple[str | int, ...], int]] = []
    with contextlib.suppress(ValueError, IndexError, StopIteration, RecursionError):
        _json_walk(text, _ws(text, 0), None, (), {}, duplicates)
    return duplicates


def _items_bound(text: str, separators: str) -> int:
    """An upper bound of the number of values in a JSON or TOML text."""
    return 1 + sum(text.count(char) for char in separators)


def _json_bytes_within(data: bytes, max_items: int) -> bool:
    """Whether a JSON document's bytes surely hold at most ``max_items`` values.

    Every value but the first follows a ``,`` ``[`` or ``{`` of its own, so one more than
    their count bounds the values (separators inside strings only raise the bound). The
    cheaper bound by length, ``1 + len // 2``, settles small documents; large ones are
    counted (three byte scans, about a hundredth of a load) rather than sent the slow way.
    """
    if 1 + len(data) // 2 <= max_items:
        return True
    bound = 1
    for separator in (b",", b"[", b"{"):
        bound += data.count(separator)
        if bound > max_items:
            return False
    return True


def _count_items(data: Any) -> int:
    count = 0
    stack = [data]
    while stack:
        value = stack.pop()
        count += 1
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return count


def _check_items(data: Any, text: str, separators: str, source: str, limits: Limits) -> None:
    if _items_bound(text, separators) <= limits.max_items:
        return
    if _count_items(data) > limits.max_items:
        raise _error(source, f"has more than {limits.max_items} items (Limits.max_items)")


class _LongNumber:
    """An integer of a JSON text with more digits than the limit, not converted."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


#: What :func:`_fast_json` returns when the standard reader must read the text.
_SLOW: Final = object()

#: ``\u003a``: the one escape that stands for ``:`` (see :func:`_fast_json`).
_COLON_ESCAPE: Final = re.compile(rb"\\u003[aA]")

#: Python frames the standard reader's own calls stand on (``json.loads``, ``decode``,
#: ``raw_decode``) plus a margin: msgspec is called that many frames deeper, so that it
#: runs out of recursion depth before ``json.loads`` would (see :func:`_fast_json`).
#: Python 3.11 counts nesting in C against the Python recursion limit, 3.12 and later
#: against a C recursion limit of its own: :func:`_at_depth` spends both.
_JSON_FRAMES: Final = 8


@functools.cache
def _json_decoder() -> tuple[Callable[[bytes], Any], Callable[[Any], bytes]] | None:
    """The untyped JSON decoder (floats as :class:`FloatText`) and encoder of msgspec, or None.

    Built once, on the first JSON read: ``import egovplan`` does not import msgspec.
    ``None`` without msgspec (the standard reader then reads everything); tests patch
    this function to force the standard reader. orjson is no alternative: it has no hook
    for floats, which would lose the text the document wrote (``84.10``).
    """
    try:
        import msgspec

        decoder = msgspec.json.Decoder(float_hook=_float_text)
        encoder = msgspec.json.Encoder(enc_hook=_encode_float_text)
    except Exception:  # not installed, or too old for these hooks: the standard reader
        return None
    return decoder.decode, encoder.encode


class _NotAFloat(EgovplanError):
    pass


def _float_text(text: str) -> FloatText:
    """A float msgspec read, as its text; an integer is refused (see below).

    msgspec 0.22 reads integers of any length as ``int``; should a version pass one that
    does not fit 64 bits here as a float, the text goes to the standard reader instead.
    """
    if "." in text or "e" in text or "E" in text:
        return FloatText(text)
    raise _NotAFloat


def _encode_float_text(value: Any) -> None:
    """``null`` for a :class:`FloatText`, the one type of msgspec's data it cannot write.

    The data is written back only to count its colons (:func:`_fast_json`); a float's
    text has none.
    """


def _at_depth(frames: int, call: Callable[[bytes], Any], data: bytes) -> Any:
    """``call(data)``, made ``frames`` frames below this one.

    Each frame is entered from C (through :func:`map`), so that it counts against the C
    recursion limit of Python 3.12 and later as well as against the Python one.
    """
    if frames:
        return next(map(_at_depth, (frames - 1,), (call,), (data,)))
    return call(data)


def _fast_json(text: str | None, utf8: bytes | None) -> Any:
    r"""The data of a JSON text read by msgspec, or :data:`_SLOW`.

    :data:`_SLOW` whenever the data could differ from what the standard reader
    (:func:`json.loads` with :func:`_unique_pairs`, ``parse_float`` and
    ``parse_constant``) returns, or that reader would refuse the text: then the caller
    reads it with the standard reader, which alone words every error. Otherwise the
    data is the same, value for value and type for type (``int``, ``bool``,
    :class:`FloatText`, ``str``, key order), as ``tests/test_json_reader.py`` checks.

    - Whatever msgspec refuses: invalid JSON, ``NaN`` and ``Infinity`` (which the
      standard reader takes as :class:`FloatText`), unpaired surrogate escapes (which
      the standard reader takes, for :func:`_read_json` to report), integers longer
      than Python converts, nesting deeper than the interpreter allows (msgspec is
      called :data:`_JSON_FRAMES` frames deeper than ``json.loads`` would scan, so it
      gives up first), a ``str`` that is not Unicode text.
    - A key given twice in an object, which msgspec takes silently (the last wins).
      Outside strings a ``:`` is the separator of one member of an object, so a text
      holds one ``:`` per member plus those inside its strings. msgspec's data, written
      back as JSON, holds one per member it kept plus the same ones inside strings,
      unless the text wrote a ``:`` as the escape ``\u003a`` (written back as ``:``):
      then the text is left to the standard reader. So the two counts are equal
      exactly when no member was dropped, that is when no key was given twice —
      including keys equal only once unescaped (``"a"`` and ``"\u0061"``), since msgspec
      compares keys unescaped.

    ``utf8`` is the text's UTF-8 encoding when the caller has it (the bytes of a file):
    msgspec reads bytes twice as fast as a ``str`` that is not ASCII.
    """
    codec = _json_decoder()
    if codec is None:
        return _SLOW
    decode, encode = codec
    try:
        if utf8 is None:
            assert text is not None
            utf8 = text.encode("utf-8")  # UnicodeEncodeError for a lone surrogate
    except UnicodeEncodeError:
        return _SLOW
    return _msgspec_read(utf8, decode, lambda data: encode(data).count(b":"))


def _msgspec_read(utf8: bytes, decode: Callable[[bytes], Any], colons: Callable[[Any], int]) -> Any:
    """``decode(utf8)``, or :data:`_SLOW` if it fails or may have dropped a key given twice.

    ``colons`` counts the ``:`` in what ``decode`` returns written back as JSON, for the
    check explained in :func:`_fast_json`.
    """
    try:
        # One byte is found at memory speed; the six of the escape, 30x slower.
        if b"\\" in utf8 and _COLON_ESCAPE.search(utf8) is not None:
            return _SLOW
        data = _at_depth(_JSON_FRAMES, decode, utf8)
        if utf8.count(b":") != _at_depth(_JSON_FRAMES, colons, data):
            return _SLOW
    except Exception:  # any refusal or doubt: the caller reads it another way
        return _SLOW
    return data


@functools.cache
def _typed_plan_reader() -> (
    tuple[Callable[[bytes], Any], Callable[[Any], Any], Callable[[Any, Any], int]] | None
):
    """The typed reader of plan documents (``egovplan._typed_json``), or None without msgspec.

    ``(decode, document, colons)``: ``decode`` reads a document's bytes, ``document``
    makes what it returns the plain data :func:`~egovplan.serialization.structure_typed`
    takes, ``colons(decoded, encode)`` counts the ``:`` in it written back as JSON by
    ``encode`` (for :func:`_msgspec_read`).
    """
    try:
        from egovplan import _typed_json

        return _typed_json.decoder(_float_text), _typed_json.document, _typed_json.colons
    except Exception:  # no msgspec, or one too old for these types: the untyped reader
        return None


def _utf8_of(text: str) -> bytes | None:
    """``text`` in UTF-8, or None if it is not Unicode text (a lone surrogate)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _typed_plan(utf8: bytes, limits: Limits) -> Plan | None:
    """The plan of a JSON document read with typed budget lines, or None to read it as usual.

    None whenever the typed reader, or the fast pass of the conversion, would not give
    exactly what reading the document as plain data and :func:`from_dict` give: the
    caller then does that, and reports whatever is wrong. The caller has checked the
    bytes as for :func:`_fast_bytes`.
    """
    reader = _typed_plan_reader()
    codec = _json_decoder()
    if reader is None or codec is None:
        return None
    decode, document, colons = reader
    encode = codec[1]
    decoded = _msgspec_read(utf8, decode, lambda data: colons(data, encode))
    if decoded is _SLOW:
        return None
    return structure_typed(document(decoded), limits)


def _read_json(text: str, source: str, limits: Limits, utf8: bytes | None = None) -> Any:
    """The data of a JSON text; ``utf8`` is the text's UTF-8 encoding, when known."""
    data = _fast_json(text, utf8)
    if data is _SLOW:
        data = _read_json_slow(text, source, limits)
    elif 1 + len(text) // 2 > limits.max_items:
        _check_items(data, text, ",[{", source, limits)
    return data


def _read_json_slow(text: str, source: str, limits: Limits) -> Any:
    """:func:`_read_json` by the standard reader, the one that words every error."""
    try:
        data = json.loads(
            text,
            object_pairs_hook=_unique_pairs,
            parse_float=FloatText,
            parse_constant=FloatText,
        )
    except _DuplicateKey:
        duplicates = [
            Problem(
                format_path(parts),
                f"the key {parts[-1]!r} is given twice in this object",
                line=_offset_position(text, offset)[0],
                column=_offset_position(text, offset)[1],
            )
            for parts, offset in _json_duplicates(text)
        ] or [Problem("", "a key is given twice in an object")]
        raise LoadError.from_problems(source, duplicates) from None
    except json.JSONDecodeError as error:
        raise _error(
            source, f"is not valid JSON: {error.msg}", line=error.lineno, column=error.colno
        ) from None
    except RecursionError:
        place = _json_too_deep(text, limits.max_depth)
        raise _too_deep_error(source, limits, place, text) from None
    except ValueError as error:  # an integer longer than Python converts (4300 digits)
        raise _json_long_numbers(text, source, limits) or _error(
            source, f"has a number that cannot be read: {error}"
        ) from None
    problems: list[Problem] = []
    if "\\u" in text and _SURROGATE_ESCAPE.search(text) is not None:
        for parts, _ in _find(data, has_surrogate):
            problems.append(
                Problem(
                    format_path(parts),
                    "has an unpaired surrogate escape (\\ud800-\\udfff): it is not Unicode text",
                )
            )
    if problems:
        found = LoadError.from_problems(source, problems)
        raise _with_positions(found, text, "json") from None
    # Every value but the document itself has a character of its own before it ('[', ','
    # or ':') and a last character of its own, never one of those: a text of n characters
    # holds at most 1 + n // 2 values, and most texts need no counting at all.
    if 1 + len(text) // 2 > limits.max_items:
        _check_items(data, text, ",[{", source, limits)
    return data


def _json_long_numbers(text: str, source: str, limits: Limits) -> LoadError | None:
    """The error for the integers of more than ``Limits.max_digits`` digits, if any.

    Python refuses to convert integers of more than 4300 digits (the time grows with the
    square of the length); read again, leaving long integers as they are, to say where.
    """
    limit = _whole_number_limit(limits.max_digits)
    try:
        data = json.loads(
            text,
            object_pairs_hook=dict,
            parse_float=FloatText,
            parse_constant=FloatText,
            parse_int=_json_int(limit),
        )
    except (ValueError, RecursionError):
        return None
    problems = [
        Problem(format_path(parts), _too_many_digits(number.text, limit, limits.max_digits))
        for parts, number in _find(data, lambda value: isinstance(value, _LongNumber))
    ]
    if not problems:
        return None
    return _with_positions(LoadError.from_problems(source, problems), text, "json")


def _json_int(limit: int) -> Callable[[str], int | _LongNumber]:
    def parse_int(text: str) -> int | _LongNumber:
        if len(text) > limit + 1 or (len(text) > limit and text[0] != "-"):
            return _LongNumber(text)
        return int(text)

    return parse_int


#: The JSON layout writer lives in ``_json_parts`` (the converter's nested records use it
#: too); these names stay for the tests that compare against it.
_dump_json: Final = dump_json
_json_chunks: Final = json_chunks


# -- TOML ---------------------------------------------------------------------------------

_TOML_AT: Final = r"\s*\(at line (\d+), column (\d+)\)$"  # (compiled on first use)


def _toml_long_numbers(text: str, source: str, max_digits: int) -> LoadError | None:
    """The error for integers of more than ``max_digits`` digits in a TOML text, if any.

    tomllib converts every integer, and one in hexadecimal, octal or binary in any
    length (Python's limit of digits is for base 10): this finds the long ones before it
    does, so that the time to refuse a document grows with its length, not its square. Each long
    run of digits is replaced by a marker string and the text is read again: the
    markers found in the data are numbers, and their paths say where. (A run inside a
    text usually breaks the replaced document or is not found whole: then the text is
    read as it is.)
    """
    limit = _whole_number_limit(max_digits)
    spans: list[tuple[int, int]] = []
    for match in _long_run(limit).finditer(text):
        start, end = match.span()
        if _digit_count(match.group()) <= limit:
            continue
        if start and text[start - 1] in "+-":
            start -= 1
        spans.append((start, end))
    if not spans:
        return None
    import secrets
    import tomllib

    markers: dict[str, tuple[int, str]] = {}
    pieces: list[str] = []
    last = 0
    for index, (start, end) in enumerate(spans):
        marker = f"egovplan-long-number-{secrets.token_hex(4)}-{index}"
        markers[marker] = (start, text[start:end])
        pieces += [text[last:start], f'"{marker}"']
        last = end
    pieces.append(text[last:])
    try:
        data = tomllib.loads("".join(pieces), parse_float=FloatText)
    except (ValueError, RecursionError):
        return None
    problems = []
    for parts, marker in _find(data, lambda value: isinstance(value, str) and value in markers):
        offset, number = markers[marker]
        line, column = _offset_position(text, offset)
        problems.append(
            Problem(
                format_path(parts),
                _too_many_digits(number, limit, max_digits),
                line=line,
                column=column,
            )
        )
    return LoadError.from_problems(source, problems) if problems else None


def _read_toml(text: str, source: str, limits: Limits) -> Any:
    import tomllib  # (imported for TOML only)

    long_numbers = _toml_long_numbers(text, source, limits.max_digits)
    if long_numbers is not None:
        raise long_numbers
    try:
        data = tomllib.loads(text, parse_float=FloatText)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = compiled(_TOML_AT).search(message)
        line = column = None
        if match:
            message = message[: match.start()]
            line, column = int(match[1]), int(match[2])
        message = message.replace(" (at end of document)", " at the end of the document")
        raise _error(source, f"is not valid TOML: {message}", line=line, column=column) from None
    except RecursionError:
        raise _error(source, "is nested too deeply to be read") from None
    except ValueError as error:  # an integer longer than Python converts (4300 digits)
        raise _toml_long_numbers(text, source, limits.max_digits) or _error(
            source, f"has a number that cannot be read: {error}"
        ) from None
    _check_items(data, text, "=,[{.", source, limits)
    return data


_READERS: Final[dict[str, Callable[[str, str, Limits], Any]]] = {
    "yaml": _read_yaml,
    "json": _read_json,
    "toml": _read_toml,
}


def _positions(text: str, format: str, paths: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Line and column of each path, or of its deepest part present in the document."""
    parsed: dict[str, tuple[str | int, ...]] = {}
    for path in paths:
        try:
            parsed[path] = parse_path(path)
        except ValueError:
            continue
    if format == "yaml":
        found = _yaml_positions(text, parsed.values())
    elif format == "json":
        found = _json_positions(text, parsed.values())
    else:
        return {}
    result: dict[str, tuple[int, int]] = {}
    for path, parts in parsed.items():
        for end in range(len(parts), -1, -1):
            if parts[:end] in found:  # at worst the document itself
                result[path] = found[parts[:end]]
                break
    return result


def _with_positions(error: LoadError, text: str, format: str) -> LoadError:
    located = _positions(text, format, {p.path for p in error.problems if p.line is None})
    problems = [
        Problem(p.path, p.message, line=located[p.path][0], column=located[p.path][1])
        if p.line is None and p.path in located
        else p
        for p in error.problems
    ]
    return LoadError.from_problems(error.source, problems)


# -- public API ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PlanFile:
    """A plan as read from a file, with what is needed to point into the file.

    Attributes:
        plan: the plan.
        source: the file name, or ``"<text>"``.
        format: ``"yaml"``, ``"json"`` or ``"toml"``.
        text: the text of the document.
    """

    plan: Plan
    source: str
    format: str
    text: str = attrs.field(repr=False)

    def locate(self, path: str) -> tuple[int, int] | None:
        """The 1-based line and column of ``path`` in the file (YAML and JSON only).

        When the path is not in the file (a missing field), the place of its deepest
        part that is; ``None`` when nothing can be said (TOML, or the empty path).
        """
        return self.locate_all([path]).get(path)

    def locate_all(self, paths: Iterable[str]) -> dict[str, tuple[int, int]]:
        """:meth:`locate` for many paths at once (one pass over the file)."""
        return _positions(self.text, self.format, [p for p in paths if p])


def _source_of(source: str | os.PathLike[str]) -> tuple[Path | None, str | None]:
    if isinstance(source, os.PathLike):
        return Path(source), None
    if isinstance(source, str):
        if "\n" in source or "\r" in source:
            return None, source
        return Path(source), None
    raise FieldTypeError(f"load() needs a path or text, not {type(source).__name__}")


def _parse(text: str, format: str, source: str, limits: Limits, utf8: bytes | None = None) -> Any:
    """The data of a document; ``utf8`` is its text in UTF-8, when the caller has it."""
    if len(text) > limits.max_bytes or (
        len(text) * 4 > limits.max_bytes and len(text.encode("utf-8")) > limits.max_bytes
    ):
        raise _error(
            source, f"is larger than the limit of {limits.max_bytes} bytes (Limits.max_bytes)"
        )
    try:
        with gc_paused():
            if format == "json":
                return _read_json(text, source, limits, utf8)
            return _READERS[format](text, source, limits)
    except ImportError as error:
        raise _error(source, str(error)) from None


def _read_source(
    source: str | os.PathLike[str] | bytes,
    format: str | None,
    limits: Limits,
    *,
    need_text: bool = True,
) -> tuple[str | None, str, str, bytes | None]:
    """``(text, format, name, utf8)`` of a path or a text (``utf8``: see :func:`_parse`).

    With ``need_text=False``, ``text`` is None when the bytes can go to the fast JSON
    reader as they are (:func:`_fast_bytes`); :func:`_plan_of` decodes them if needed.
    """
    if isinstance(source, bytes | bytearray):
        if format is None:
            raise _error(
                "<text>", "say which format the text is in: format='yaml', 'json' or 'toml'"
            )
        data = bytes(source)
        if not need_text and _fast_bytes(data, format, limits):
            return None, "json", "<text>", data
        decoded, utf8 = _decode_utf8(data, "<text>")
        return decoded, _check_load_format(format, "<text>"), "<text>", utf8
    path, text = _source_of(source)
    if path is not None:
        name = str(path)
        if format is not None:
            format = _check_load_format(format, name)
        data = read_bytes(path, limits)  # first: a missing file matters more than its name
        if format is None:
            try:
                format = format_of(path)
            except FormatError:
                raise _error(
                    name,
                    "cannot tell the format from the extension; name the file .yaml, .yml,"
                    " .json or .toml, or say format=",
                ) from None
        if not need_text and _fast_bytes(data, format, limits):
            return None, format, name, data
        decoded, utf8 = _decode_utf8(data, name)
        return decoded, format, name, utf8
    assert text is not None
    if format is None:
        raise _error("<text>", "say which format the text is in: format='yaml', 'json' or 'toml'")
    return _checked_text(text, "<text>"), _check_load_format(format, "<text>"), "<text>", None


def _fast_bytes(data: bytes, format: str, limits: Limits) -> bool:
    """Whether a JSON document's bytes can be read without first making their text.

    That is when msgspec is there and :func:`_decode_utf8` would give exactly their
    text: no byte-order mark, no NUL; msgspec checks the UTF-8 itself (it refuses what
    :meth:`bytes.decode` refuses), and refuses an empty document. Documents that may
    hold more values than ``Limits.max_items`` take the usual way, which counts them
    exactly.
    """
    return (
        isinstance(format, str)
        and format.lower() == "json"
        and len(data) <= limits.max_bytes
        and _json_bytes_within(data, limits.max_items)
        and not data.startswith(_BYTE_ORDER_MARKS)
        and b"\x00" not in data
        and _json_decoder() is not None
    )


_BYTE_ORDER_MARKS: Final = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _check_load_format(format: str, source: str) -> str:
    try:
        return _check_format(format)
    except FormatError as error:
        raise _error(source, str(error)) from None


@in_own_context
def read_document(
    source: str | os.PathLike[str] | bytes,
    format: str | None = None,
    *,
    limits: Limits | None = None,
) -> Any:
    """The plain data of a plan file, not yet converted (for schema checks and tools).

    Floats are :class:`~egovplan.serialization.FloatText`, dates in YAML are text.

    Raises:
        LoadError: the file cannot be read or parsed.
    """
    limits = _DEFAULT_LIMITS if limits is None else limits
    text, format, name, utf8 = _read_source(source, format, limits)
    assert text is not None
    return _parse(text, format, name, limits, utf8)


@in_own_context
def read(
    source: str | os.PathLike[str] | bytes,
    format: str | None = None,
    *,
    limits: Limits | None = None,
) -> PlanFile:
    """Read a plan file and keep its text, to point at places in it (see :func:`load`).

    Raises:
        LoadError: the file cannot be read, parsed or converted; problems carry lines
            and columns for YAML and JSON.
    """
    limits = _DEFAULT_LIMITS if limits is None else limits
    text, format, name, utf8 = _read_source(source, format, limits)
    assert text is not None
    plan = _plan_of(text, format, name, limits, utf8)
    return PlanFile(plan=plan, source=name, format=format, text=text)


def _plan_of(
    text: str | None, format: str, source: str, limits: Limits, utf8: bytes | None = None
) -> Plan:
    """Parse and convert under one pause of the collector.

    The parsed data is dropped before the collector resumes, so that its first
    collection does not scan it (the plan holds no cycles either). Without ``text``,
    ``utf8`` holds a JSON document that :func:`_fast_bytes` accepted: its text is made
    only if the fast reader leaves it to the standard one or a problem needs a position.
    A JSON document is first given to the typed reader (:func:`_typed_plan`).
    """
    with gc_paused():
        if format == "json" and _typed_plan_reader() is not None:
            if utf8 is None:  # (without the typed reader, a text is not encoded for it)
                assert text is not None
                utf8 = _utf8_of(text)
            if utf8 is not None and (text is None or _fast_bytes(utf8, format, limits)):
                plan = _typed_plan(utf8, limits)
                if plan is not None:
                    return plan
        if text is not None:
            data = _parse(text, format, source, limits, utf8)
        else:
            assert utf8 is not None
            data = _fast_json(None, utf8)
            if data is _SLOW:
                text = _decode(utf8, source)
                data = _read_json_slow(text, source, limits)
        try:
            return from_dict(data, Plan, limits=limits, source=source)
        except LoadError as error:
            if text is None:
                assert utf8 is not None
                text = _decode(utf8, source)
            raise _with_positions(error, text, format) from None
        finally:
            del data


@in_own_context
def load(
    source: str | os.PathLike[str] | bytes,
    format: str | None = None,
    *,
    limits: Limits | None = None,
) -> Plan:
    """Read a plan from a file (or from text).

    Args:
        source: a path (:class:`os.PathLike`, or a ``str`` without a line break), or the
            text of a document (a ``str`` with a line break, or ``bytes``).
        format: ``"yaml"``, ``"json"`` or ``"toml"``; by default the file's extension
            says. Text needs it.
        limits: how large a document to accept (:class:`Limits`).

    Returns:
        The plan.

    Raises:
        LoadError: the file cannot be read, is not valid YAML/JSON/TOML, or is not a
            plan; :attr:`~egovplan.errors.LoadError.problems` lists every problem with
            its path and, for YAML and JSON, its line and column.

    >>> load("no-such-plan.yaml")
    Traceback (most recent call last):
    ...
    egovplan.errors.LoadError: no-such-plan.yaml: no such file
    """
    limits = _DEFAULT_LIMITS if limits is None else limits
    text, format, name, utf8 = _read_source(source, format, limits, need_text=False)
    return _plan_of(text, format, name, limits, utf8)


@in_own_context
def loads(text: str | bytes, format: str, *, limits: Limits | None = None) -> Plan:
    """Read a plan from the text of a document in ``format``.

    >>> loads('{"format_version": 1, "id": "p", "metadata": {"kind": "plan", "title": "P"},'
    ...       ' "period": "2018", "horizon": "2020"}', "json")
    Traceback (most recent call last):
    ...
    egovplan.errors.LoadError: <text>: horizon (line 1, column 107): expected a whole number, \
got the text '2020' (write it without quotes)
    """
    limits = _DEFAULT_LIMITS if limits is None else limits
    utf8 = None
    if isinstance(text, bytes | bytearray):
        data = bytes(text)
        if _fast_bytes(data, format, limits):
            return _plan_of(None, "json", "<text>", limits, data)
        decoded, utf8 = _decode_utf8(data, "<text>")
    elif isinstance(text, str):
        decoded = _checked_text(text, "<text>")
    else:
        raise FieldTypeError(f"loads() needs str or bytes, not {type(text).__name__}")
    fmt = _check_load_format(format, "<text>")
    return _plan_of(decoded, fmt, "<text>", limits, utf8)


@in_own_context
def dumps(plan: Plan, format: str) -> str:
    """The text of ``plan`` in ``format`` (``"yaml"``, ``"json"`` or ``"toml"``).

    The layout is canonical: reading it back and writing it again gives the same text.
    For the UTF-8 bytes (to send or store), :func:`dumpb` is faster than encoding this.

    Raises:
        FormatError: an unknown format.
        FieldValueError: YAML only: the plan has text that is not Unicode (a lone
            surrogate, which YAML cannot hold); the message names where. JSON and TOML
            text keeps it as Python does, and :func:`dumpb` and :func:`dump` refuse it.
        ImportError: the format's package (PyYAML, tomli-w) is not installed.
    """
    return _dumps(plan, _checked_plan_format(plan, format, "dumps"))


def _dumps(plan: Plan, format: str) -> str:
    if format == "json":
        # Without pausing the collector: this path makes few containers, and the
        # collection that follows a pause cost more than it saved (measured).
        return _json(dump_json, plan)
    with gc_paused():
        data = to_dict(plan)
        if format == "yaml":
            try:
                return _dump_yaml(data)
            except _NotUnicode:
                raise _not_unicode(plan) from None
        try:
            import tomli_w
        except ImportError:
            raise _missing("toml") from None
        return tomli_w.dumps(data)


@in_own_context
def dumpb(plan: Plan, format: str) -> bytes:
    r"""The UTF-8 bytes of ``plan`` in ``format``: ``dumps(plan, format).encode()``, faster.

    What :func:`dump` writes to a file, and the form in which a document goes over the
    network or into a store. For JSON the long parts of the document (the budget lines,
    the tasks) are encoded on their own, and the whole document is never one ``str``,
    which takes two bytes a character as soon as the plan has Vietnamese text.

    >>> plan = loads('{"format_version": 1, "id": "p", "period": "2018",'
    ...              ' "metadata": {"kind": "plan", "title": "Kế hoạch"}}', "json")
    >>> data = dumpb(plan, "json")
    >>> data == dumps(plan, "json").encode("utf-8")
    True
    >>> data.splitlines()[3]
    b'  "metadata": {"kind": "plan", "title": "K\xe1\xba\xbf ho\xe1\xba\xa1ch"},'
    >>> loads(data, "json") == plan
    True

    Raises:
        FormatError: an unknown format.
        ImportError: the format's package (PyYAML, tomli-w) is not installed.
        FieldValueError: the plan has text that is not Unicode (a lone surrogate); the
            message names where.
    """
    format = _checked_plan_format(plan, format, "dumpb")
    if format == "json":
        try:
            return _json(json_bytes, plan)
        except UnicodeEncodeError:
            raise _not_unicode(plan) from None
    chunks = _dump_chunks(plan, format)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _json(write: Callable[[Any], _T], plan: Plan) -> _T:
    """``write`` applied to ``plan``'s JSON data; the texts kept while writing go after."""
    try:
        return write(json_data(plan))
    finally:
        forget_written()


def _checked_plan_format(plan: Plan, format: str, function: str) -> str:
    if not isinstance(plan, Plan):
        raise FieldTypeError(f"{function}() writes a Plan, not {type(plan).__name__}")
    return _check_format(format)


def _dump_chunks(plan: Plan, format: str) -> list[bytes]:
    """The UTF-8 bytes of ``plan`` in ``format`` (checked), in chunks.

    Raises:
        FieldValueError: the plan has text that is not Unicode (a lone surrogate), at
            the paths the message names.
    """
    try:
        if format == "json":
            return _json(json_chunks, plan)
        return [_dumps(plan, format).encode("utf-8")]
    except UnicodeEncodeError:
        raise _not_unicode(plan) from None


def _not_unicode(plan: Plan) -> FieldValueError:
    """The error for a plan whose text cannot be written as UTF-8, naming where."""
    paths = [format_path(parts) or "(the plan)" for parts, _ in _find(to_dict(plan), has_surrogate)]
    shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
    return FieldValueError(
        f"the plan cannot be written as UTF-8: {shown or 'a text'} has an unpaired surrogate"
        " (\\ud800-\\udfff), which is not Unicode text"
    )


@in_own_context
def dump(
    plan: Plan, path: str | os.PathLike[str] | None = None, format: str | None = None
) -> str | None:
    """Write ``plan`` to ``path`` atomically, or return its text when ``path`` is None.

    The file gets the bytes :func:`dumpb` gives (UTF-8, without a byte-order mark).

    Args:
        plan: the plan.
        path: the file to write; ``None`` returns the text instead.
        format: ``"yaml"``, ``"json"`` or ``"toml"``; by default the extension of
            ``path`` says (required without a path).

    Returns:
        The text when ``path`` is None, else None.

    Raises:
        FormatError: no format given and none can be told from ``path``.
        FieldValueError: the plan has text that is not Unicode (a lone surrogate); the
            message names where, and no file is touched.
        OSError: the file cannot be written (:class:`~egovplan.errors.WriteError` when
            the target is a directory); the target is then left as it was.
    """
    if path is None:
        if format is None:
            raise FormatError("say which format to write: format='yaml', 'json' or 'toml'")
        return dumps(plan, format)
    format = format_of(path) if format is None else format
    _write_chunks(path, _dump_chunks(plan, _checked_plan_format(plan, format, "dump")))
    return None


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically.

    The text goes to a new temporary file in the same directory, is flushed to disk, and
    the temporary file is renamed over ``path``; on any failure it is removed and
    ``path`` is left as it was. A new file gets the usual permissions (the umask
    applies); an existing file keeps its permissions.

    Raises:
        FieldValueError: ``text`` is not Unicode (it has a lone surrogate); the message
            gives its line and column, and no file is touched.
        OSError: the file cannot be written (:class:`~egovplan.errors.WriteError` when
            the target is a directory).
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        line, column = _offset_position(text, error.start)
        raise FieldValueError(
            f"the text cannot be written to {os.fspath(path)} as UTF-8: line {line}, column"
            f" {column} has an unpaired surrogate ({text[error.start]!r}), which is not"
            " Unicode text; the file was not touched"
        ) from None
    _write_chunks(path, [data])


def _write_chunks(path: str | os.PathLike[str], chunks: list[bytes]) -> None:
    """Write the concatenation of ``chunks`` to ``path`` atomically (see :func:`write_text`).

    The temporary file is created with the target's mode (a new file: the usual mode less
    the umask), never wider, so that no one can read it who cannot read the target; its
    name fits the file system whatever the target's name; and a SIGTERM removes it as
    an interrupt does.
    """
    target = Path(path)
    directory = target.parent
    mode: int | None = None
    try:
        existing = target.stat()
    except FileNotFoundError:
        existing = None
    if existing is not None:
        if stat.S_ISDIR(existing.st_mode):
            raise WriteError(errno.EISDIR, "is a directory, not a file", str(target))
        mode = stat.S_IMODE(existing.st_mode)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    with _terminate_cleanly():
        for _ in range(100):
            temporary = directory / _temporary_name(directory, target.name)
            try:
                descriptor = os.open(temporary, flags, 0o666 if mode is None else mode & 0o777)
            except FileExistsError:
                continue
            break
        else:  # pragma: no cover - 100 collisions of 48 random bits
            raise WriteError(errno.EEXIST, "cannot create a temporary file next to it", str(target))
        try:
            with os.fdopen(descriptor, "wb") as handle:
                if mode is not None:  # the umask may have narrowed it: the exact mode
                    _set_mode(handle.fileno(), temporary, mode)
                for chunk in chunks:
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    _sync_directory(directory)


def _set_mode(descriptor: int, path: Path, mode: int) -> None:
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(descriptor, mode)
    else:  # pragma: no cover - Windows before Python 3.13
        os.chmod(path, mode)


#: The longest file name, in bytes, when the file system does not say (most allow 255).
_NAME_MAX: Final = 255


def _temporary_name(directory: Path, name: str) -> str:
    """A new name for a temporary file beside ``name``: ``.<name>.<random>.tmp``.

    ``name`` is shortened as needed so that the temporary name is no longer, in bytes,
    than the directory's file system allows: a target whose name is at the limit can
    still be written.
    """
    import secrets  # (imported for writing only)

    suffix = f".{secrets.token_hex(6)}.tmp"
    try:
        limit = os.pathconf(directory, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):
        limit = _NAME_MAX
    if limit <= 0:
        limit = _NAME_MAX
    room = max(limit - 1 - len(suffix), 0)
    stem = name[:room]
    while len(os.fsencode(stem)) > room:
        stem = stem[:-1]
    return f".{stem}{suffix}"


class _Terminated(EgovplanError):
    """SIGTERM arrived while a file was written (raised to remove the temporary file).

    Caught in :func:`_terminate_cleanly`, which then ends the process by the signal.
    """


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """While a file is written, SIGTERM removes the temporary file, then ends the process.

    The signal unwinds the write as an interrupt does, then the process ends as SIGTERM
    would have ended it.

    Only when SIGTERM has its default action (a handler of the caller's runs as it would;
    one that raises also removes the file) and in the main thread, where Python runs
    signal handlers.
    """
    import signal
    import threading

    term = getattr(signal, "SIGTERM", None)
    if term is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(term)
    if previous is not signal.SIG_DFL:
        yield
        return

    def terminated(signum: int, frame: object) -> None:
        raise _Terminated

    signal.signal(term, terminated)
    try:
        yield
    except _Terminated:
        signal.signal(term, signal.SIG_DFL)
        signal.raise_signal(term)  # the default action: the process ends here
        raise  # pragma: no cover - only if SIGTERM is blocked
    finally:
        signal.signal(term, previous)


def _sync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
