"""A plan document's JSON read by msgspec into typed budget lines (the optional fast reader).

Imported by :mod:`egovplan.files` on the first JSON plan it loads, and only if msgspec is
installed. The untyped reader (:func:`egovplan.files._fast_json`) makes a ``dict`` for
every budget line, which the conversion then takes apart; here msgspec decodes each line
straight into a small record of the line's fields (derived from ``attrs.fields``), and
everything else in the document as the untyped reader does; the generated loop of the
budget lines then checks them as it checks mappings. :func:`document` hands the result
over as a plan document whose budget lines are
:class:`egovplan._json_parts.TypedLines`.

This is an accelerator and nothing more: whatever it cannot read (a line with a field of
another type, a field the model does not know, money written as a mapping, any invalid
JSON…) makes msgspec raise, and :mod:`egovplan.files` then reads the document the usual
way, which reports every problem. The struct definitions follow the models' fields
(``attrs.fields``), so a field added to :class:`~egovplan.plan.Plan` or
:class:`~egovplan.funding.Funding` is read here without a change.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any, Final

import attrs
import msgspec
from msgspec.structs import astuple

from egovplan._derive import typed_type
from egovplan._json_parts import JSON_BATCH, TypedLines
from egovplan.funding import BudgetLine, Funding
from egovplan.plan import Plan

__all__ = ["colons", "decoder", "document"]

_UNSET: Final = msgspec.UNSET


def _fields(cls: type, typed: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """The msgspec fields for ``cls``'s init fields: ``typed`` ones as given, others untyped.

    A field of a plain type is read as exactly that type or null, an enum field as its
    enum or null (:func:`egovplan._derive.typed_type`: msgspec refuses any other value,
    and the document is then read the usual way, which says what is wrong); any other
    field as it is.
    """
    hints = typing.get_type_hints(cls)
    out = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        kind = typed.get(field.name)
        if kind is None:
            decoded = typed_type(field, hints[field.name])
            kind = Any if decoded is None else decoded | None
        out.append((field.name, kind | msgspec.UnsetType, _UNSET))
    return out


#: A budget line as JSON gives it, a field of any JSON type each, in model order: UNSET
#: for a field left out, None for one given as null. A null is kept apart from a field
#: left out so that the data written back for the duplicate-key check
#: (:func:`egovplan.files._msgspec_read`) holds every member the text held.
_Line: Final = msgspec.defstruct(
    "_Line", _fields(BudgetLine, {}), forbid_unknown_fields=True, omit_defaults=True, gc=False
)
_Funding: Final = msgspec.defstruct(
    "_Funding",
    _fields(Funding, {"lines": list[_Line]}),  # type: ignore[valid-type]
    forbid_unknown_fields=True,
    omit_defaults=True,
)
_Document: Final = msgspec.defstruct(
    "_Document",
    [("format_version", Any | msgspec.UnsetType, _UNSET), *_fields(Plan, {"funding": _Funding})],
    forbid_unknown_fields=True,
    omit_defaults=True,
)
_FUNDING_FIELDS: Final = _Funding.__struct_fields__
_DOCUMENT_FIELDS: Final = _Document.__struct_fields__


def decoder(float_hook: Callable[[str], Any]) -> Callable[[bytes], Any]:
    """The decoder of a plan document, untyped floats made by ``float_hook``."""
    return msgspec.json.Decoder(_Document, float_hook=float_hook).decode


def colons(decoded: Any, encode: Callable[[Any], bytes]) -> int:
    """The count of ``:`` in ``encode(decoded)``, for what :func:`decoder`'s decoder returned.

    Counted in parts, never writing the whole document again at once: the budget lines
    a batch at a time, while their text is still in the processor's cache, and the rest
    of the document with its list of lines left empty for the while (brackets and commas
    hold no ``:``, so the parts add up to the whole).
    """
    funding = decoded.funding
    lines = _UNSET if funding is _UNSET else funding.lines
    if type(lines) is not list:
        return encode(decoded).count(b":")
    funding.lines = []
    try:
        found = encode(decoded).count(b":")
    finally:
        funding.lines = lines
    for start in range(0, len(lines), JSON_BATCH):
        found += encode(lines[start : start + JSON_BATCH]).count(b":")
    return found


def document(decoded: Any) -> dict[str, Any]:
    """The plan document of what :func:`decoder`'s decoder returned, as plain data.

    Fields appear in model order (``format_version`` first); the budget lines are a
    :class:`~egovplan._json_parts.TypedLines`.
    """
    data = {
        name: value for name in _DOCUMENT_FIELDS if (value := getattr(decoded, name)) is not _UNSET
    }
    funding = data.get("funding")
    if funding is not None:
        data["funding"] = fields = {
            name: value
            for name in _FUNDING_FIELDS
            if (value := getattr(funding, name)) is not _UNSET
        }
        if "lines" in fields:
            fields["lines"] = TypedLines(fields["lines"], astuple, _UNSET)
    return data
