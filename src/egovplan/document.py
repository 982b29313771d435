"""Document references and plan metadata.

A :class:`DocumentRef` names a document the way Vietnamese administrative documents cite
each other (``14/2011/QĐ-UBND``); :class:`PlanMetadata` holds what a plan states about
itself (kind, number, date, place, signatory).

>>> ref = DocumentRef(kind="decision", number="14", year=2011, issuer="UBND")
>>> ref.number, ref.year
('14', 2011)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs

from egovplan.period import MAX_YEAR, MIN_YEAR

__all__ = ["DocumentRef", "PlanMetadata", "Signatory"]

_CODE = re.compile(r"[a-z][a-z0-9_]*\Z")
_NUMBER = re.compile(r"(?:[0-9]+[^\W\d_]{0,3})?\Z")
_CODE_PART = re.compile(r"[^\s/\-‐‑‒–—―]+\Z")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*\Z")


def _optional(check: Any) -> Any:
    def validator(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            check(instance, attribute, value)

    return validator


def _str(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be str, not {type(value).__name__}")


def _text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _str(instance, attribute, value)
    assert isinstance(value, str)
    if not value.strip():
        raise ValueError(f"{attribute.name} must not be empty or blank")


def _code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _str(instance, attribute, value)
    assert isinstance(value, str)
    if not _CODE.match(value):
        raise ValueError(
            f"{attribute.name} {value!r} is not a catalogue code "
            "(lower-case letters, digits and '_', starting with a letter)"
        )


def _number(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _str(instance, attribute, value)
    assert isinstance(value, str)
    if not _NUMBER.match(value):
        raise ValueError(
            f"{attribute.name} {value!r} is not a document number "
            "(digits, optionally followed by up to three letters, as in '36a'; or empty)"
        )


def _code_part(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _str(instance, attribute, value)
    assert isinstance(value, str)
    if not _CODE_PART.match(value):
        raise ValueError(f"{attribute.name} {value!r} must be a code without spaces, '/' or dashes")


def _issuer(instance: DocumentRef, attribute: attrs.Attribute[Any], value: object) -> None:
    _str(instance, attribute, value)
    assert isinstance(value, str)
    if value == "":
        if instance.number:
            raise ValueError(f"{attribute.name} must be given when the document has a number")
        return
    _code_part(instance, attribute, value)


def _year(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{attribute.name} must be int, not {type(value).__name__}")
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise ValueError(f"{attribute.name} {value} is outside {MIN_YEAR}..{MAX_YEAR}")


def _date(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise TypeError(f"{attribute.name} must be datetime.date, not {type(value).__name__}")


def _language(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _str(instance, attribute, value)
    assert isinstance(value, str)
    if not _LANGUAGE.match(value):
        raise ValueError(f"{attribute.name} {value!r} is not a language code such as 'vi'")


def _named(instance: DocumentRef, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None:
        _text(instance, attribute, value)
    elif not instance.number:
        raise ValueError(f"{attribute.name} must be given when the document has no number")


@attrs.frozen(kw_only=True)
class DocumentRef:
    """A reference to a document: what its identifier says, and what a citation adds.

    The identifier ``14/2011/QĐ-UBND`` gives ``number`` ``"14"``, ``year`` 2011, ``kind``
    ``"decision"`` (from the abbreviation ``QĐ`` in the ``document_kinds`` catalogue) and
    ``issuer`` ``"UBND"``. A citation may add the ``date``, the ``issuing_body`` and a
    ``title``.

    A document cited without a number (laws are usually cited by name: "Luật Công nghệ
    thông tin") has ``number == ""`` and ``issuer == ""``, and then must have a ``title``.

    Attributes:
        kind: the document-kind code (``"decision"``, ``"plan"``, ...), or ``None`` when
            unknown.
        number: the number as written (``"332"``, ``"36a"``, ``"03"``), or ``""``.
        year: the year written inside the identifier (normative documents), or ``None``.
        issuer: the issuer code (``"UBND"``, ``"TTg"``, ``"TW"``), ``""`` without a number.
        division: the issuing division of an official letter (``"VX"`` in ``1025/UBND-VX``).
        date: the date of issue.
        issuing_body: the issuing body as written ("Thủ tướng Chính phủ").
        title: what the document is about, or its name.
    """

    kind: str | None = attrs.field(default=None, validator=_optional(_code))
    number: str = attrs.field(validator=_number)
    year: int | None = attrs.field(default=None, validator=_optional(_year))
    issuer: str = attrs.field(validator=_issuer)
    division: str | None = attrs.field(default=None, validator=_optional(_code_part))
    date: dt.date | None = attrs.field(default=None, validator=_optional(_date))
    issuing_body: str | None = attrs.field(default=None, validator=_optional(_text))
    title: str | None = attrs.field(default=None, validator=_named)


@attrs.frozen(kw_only=True)
class Signatory:
    """Who signed a document, and in what capacity.

    Attributes:
        name: the signer's name ("Đặng Xuân Thanh").
        position: the signer's own position ("Phó Chủ tịch").
        capacity: the signing formula as written, for a signature on someone's behalf
            ("TM. Ủy ban nhân dân; KT. Chủ tịch"), or ``None`` when signing in person.

    >>> Signatory(name="Đặng Xuân Thanh", position="Phó Chủ tịch", capacity="KT. Chủ tịch")
    Signatory(name='Đặng Xuân Thanh', position='Phó Chủ tịch', capacity='KT. Chủ tịch')
    """

    name: str | None = attrs.field(default=None, validator=_optional(_text))
    position: str | None = attrs.field(default=None, validator=_optional(_text))
    capacity: str | None = attrs.field(default=None, validator=_optional(_text))


@attrs.frozen(kw_only=True)
class PlanMetadata:
    """What a plan document states about itself.

    Attributes:
        ref: the plan's own reference (number, kind, issuer), when it has one.
        kind: the document-kind code of the plan document (``"plan"``, ``"decision"``...).
        title: the title.
        issuing_body: the issuing body as written.
        date: the date of issue.
        place: the place of issue ("Lào Cai").
        signatory: who signed it.
        language: the language the document is written in (``"vi"``).
    """

    ref: DocumentRef | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(DocumentRef))
    )
    kind: str = attrs.field(validator=_code)
    title: str = attrs.field(validator=_text)
    issuing_body: str | None = attrs.field(default=None, validator=_optional(_text))
    date: dt.date | None = attrs.field(default=None, validator=_optional(_date))
    place: str | None = attrs.field(default=None, validator=_optional(_text))
    signatory: Signatory | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Signatory))
    )
    language: str = attrs.field(default="vi", validator=_language)
