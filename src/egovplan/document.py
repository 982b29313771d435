"""Document references and plan metadata.

A :class:`DocumentRef` names a document the way Vietnamese administrative documents cite
each other; :class:`PlanMetadata` holds what a plan states about itself (kind, number,
date, place, signatory).

:meth:`DocumentRef.parse` reads every identifier shape in use:

* ``332/KH-UBND``: number / kind-issuer;
* ``14/2011/QĐ-UBND``, ``64/2007/NĐ-CP``: number / year / kind-issuer (normative documents);
* ``36-NQ/TW``, ``246-CTr/TU``: Party documents, number-kind / issuer;
* ``36a/NQ-CP``: a number with a letter;
* ``1025/UBND-VX``: an official letter, number / issuer-division (no kind);
* ``67/2006/QH11``: number / year / issuer (laws);

and full citations, such as the "Căn cứ ..." lines of a plan:

>>> ref = DocumentRef.parse(
...     "Quyết định số 698/QĐ-TTg ngày 01/06/2009 của Thủ tướng Chính phủ"
... )
>>> ref.kind, ref.number, ref.issuer, ref.date, ref.issuing_body
('decision', '698', 'TTg', datetime.date(2009, 6, 1), 'Thủ tướng Chính phủ')
>>> str(ref)
'698/QĐ-TTg'
>>> law = DocumentRef.parse("Căn cứ Luật Công nghệ thông tin ngày 29/6/2006;")
>>> law.kind, law.number, law.title, law.date
('law', '', 'Luật Công nghệ thông tin', datetime.date(2006, 6, 29))

Kind names and abbreviations come from the ``document_kinds`` catalogue
(``data/catalogues/document_kinds.toml``); the words of citations and the issuer codes of
Party bodies from ``data/document.toml``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import attrs

from egovplan import _fields as f
from egovplan._data import load_data, locale_tag
from egovplan._text import alternatives, compiled, nfc, normalize, shown
from egovplan.dates import date_at
from egovplan.dates import format_date as _format_date
from egovplan.errors import FieldTypeError, FieldValueError, ParseError
from egovplan.labels import Labels

if TYPE_CHECKING:  # (the grammars of other jurisdictions are imported when used)
    from egovplan import _citations

__all__ = ["Citation", "DocumentRef", "EntryIntoForce", "PlanMetadata", "Signatory"]

#: The kind of a document numbered number/issuer-division with no kind abbreviation.
OFFICIAL_LETTER: Final = "official_letter"

_KIND_CODE: Final = re.compile(r"[a-z][a-z0-9_]*")
_NUMBER_RE: Final = r"\d+[^\W\d_]{0,3}"
_CODE_RE: Final = r"[^\W\d_][^\W_]*"
_DASH: Final = r"[\-\u2010-\u2015\u2212]"
_NUMBER: Final = re.compile(rf"(?:{_NUMBER_RE})?")
#: An issuer code: Vietnamese ones are letters and digits ("UBND", "QH11"); the grammars of
#: other jurisdictions also write abbreviations with dots ("D.Lgs.", "D.P.R.").
_ISSUER: Final = re.compile(rf"{_CODE_RE}(?:\.(?:{_CODE_RE})?)*")
_LANGUAGE: Final = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
#: A document identifier ("45/2018/QĐ-UBND"), compiled on first use: loading a plan does not
#: need it.
_IDENTIFIER: Final = (
    rf"(?P<num>{_NUMBER_RE})"
    rf"(?:\s?{_DASH}\s?(?P<pkind>{_CODE_RE})\s?/\s?(?P<pissuer>{_CODE_RE})"
    rf"|\s?/\s?(?:(?P<year>\d{{4}})\s?/\s?)?"
    rf"(?P<codes>{_CODE_RE}(?:\s?{_DASH}\s?{_CODE_RE})?(?:{_DASH}{_CODE_RE})*))"
    r"(?![\w/])"
)
_TRAILING: Final = re.compile(r"[\s;,.:/]+$")


# --- field validators -----------------------------------------------------------------


def _kind_code(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise f.field_type_error(inst, attribute, value, "str or None")
    if not _KIND_CODE.fullmatch(value):
        raise f.field_value_error(
            inst,
            attribute,
            f"{value!r} is not a catalogue code (lower-case letters, digits and '_',"
            " starting with a letter)",
        )


def _required_kind(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        raise f.field_type_error(inst, attribute, value, "str")
    _kind_code(inst, attribute, value)


def _number(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    f.text(inst, attribute, value)
    if not _NUMBER.fullmatch(value):
        raise f.field_value_error(
            inst,
            attribute,
            f"{value!r} is not a document number (digits, optionally followed by up to three"
            " letters, as in '36a'; or '' for a document cited by name)",
        )


def _issuer(inst: DocumentRef, attribute: attrs.Attribute[Any], value: Any) -> None:
    f.text(inst, attribute, value)
    if value == "":
        if inst.number:
            raise f.field_value_error(inst, attribute, "must be given when there is a number")
        return
    if not inst.number:
        raise f.field_value_error(inst, attribute, "must be '' when there is no number")
    _code_text(inst, attribute, value)


def _code_text(inst: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if not _ISSUER.fullmatch(value):
        raise f.field_value_error(
            inst,
            attribute,
            f"{value!r} is not an issuer code (a letter, then letters, digits and dots, as in"
            " 'UBND', 'TTg', 'QH11', 'D.Lgs.')",
        )


def _division(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    f.optional_text(inst, attribute, value)
    _code_text(inst, attribute, value)


def _nonblank(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    f.optional_text(inst, attribute, value)
    if not value.strip():
        raise f.field_value_error(inst, attribute, "must not be blank (use None)")


def _title(inst: DocumentRef, attribute: attrs.Attribute[Any], value: Any) -> None:
    _nonblank(inst, attribute, value)
    if value is None and not inst.number:
        raise f.field_value_error(inst, attribute, "must be given when there is no number")


def _language(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    f.text(inst, attribute, value)
    if not _LANGUAGE.fullmatch(value):
        raise f.field_value_error(inst, attribute, f"{value!r} is not a language tag like 'vi'")


def _required_title(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, Labels):
        if not value:
            raise f.field_value_error(inst, attribute, "must not be empty")
        return
    if not isinstance(value, str):
        raise f.field_type_error(inst, attribute, value, "str or Labels")
    if not value.strip():
        raise f.field_value_error(inst, attribute, "must not be empty")


# --- data -------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """A key for comparing codes and names: case-folded, ``đ`` read as ``d``."""
    return text.casefold().replace("đ", "d")


class _KindInfo(NamedTuple):
    code: str
    vi: str
    en: str
    abbreviations: tuple[str, ...]
    names: tuple[str, ...]
    cited_by_name: bool


class _Kinds(NamedTuple):
    """The document kinds as parsing needs them (from the catalogue's TOML tables)."""

    by_code: Mapping[str, _KindInfo]
    by_abbreviation: Mapping[str, str]
    by_name: Mapping[str, str]
    names: re.Pattern[str]

    @classmethod
    def from_tables(cls, tables: Mapping[str, Mapping[str, Any]]) -> _Kinds:
        by_code: dict[str, _KindInfo] = {}
        for code, table in tables.items():
            if not isinstance(code, str) or not isinstance(table, Mapping):
                raise FieldTypeError(
                    f"document kind {code!r} must be a table under a str code, not"
                    f" {type(table).__name__}"
                )
            vi = str(table.get("vi", code))
            names = (vi, *_strings(table, code, "aliases"))
            by_code[code] = _KindInfo(
                code=code,
                vi=vi,
                en=str(table.get("en", code)),
                abbreviations=_strings(table, code, "abbreviations"),
                names=names,
                cited_by_name=bool(table.get("cited_by_name", False)),
            )
        by_abbreviation: dict[str, str] = {}
        by_name: dict[str, str] = {}
        for info in by_code.values():
            for abbreviation in info.abbreviations:
                by_abbreviation.setdefault(_fold(abbreviation), info.code)
            for name in info.names:
                by_name.setdefault(name.casefold(), info.code)
        pattern = re.compile(rf"(?:{alternatives(list(by_name))})(?!\w)", re.IGNORECASE)
        return cls(by_code=by_code, by_abbreviation=by_abbreviation, by_name=by_name, names=pattern)

    def abbreviation(self, kind: str | None) -> str | None:
        info = self.by_code.get(kind) if kind is not None else None
        return info.abbreviations[0] if info and info.abbreviations else None


def _strings(table: Mapping[str, Any], code: str, key: str) -> tuple[str, ...]:
    """The list of texts under ``key`` in a document kind's table."""
    values = table.get(key, ())
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise FieldTypeError(
            f"document kind {code!r}: {key} must be a list of str, not {type(values).__name__}"
        )
    if not all(isinstance(value, str) and value.strip() for value in values):
        raise FieldValueError(f"document kind {code!r}: {key} must be non-empty texts")
    return tuple(values)


def _read_toml(*parts: str) -> Mapping[str, Any]:
    return load_data("/".join(parts))


@functools.cache
def _builtin_tables() -> Mapping[str, Mapping[str, Any]]:
    tables = _read_toml("catalogues", "document_kinds.toml")["kinds"]
    return MappingProxyType({code: MappingProxyType(table) for code, table in tables.items()})


@functools.cache
def _builtin_kinds() -> _Kinds:
    return _Kinds.from_tables(_builtin_tables())


def _kinds(extra: Mapping[str, Mapping[str, Any]] | None) -> _Kinds:
    if not extra:
        return _builtin_kinds()
    if not isinstance(extra, Mapping):
        raise FieldTypeError(
            f"kinds must be a mapping of code -> table, not {type(extra).__name__}"
        )
    return _Kinds.from_tables({**_builtin_tables(), **extra})


class _Words(NamedTuple):
    lead: re.Pattern[str]
    number: re.Pattern[str]
    date: re.Pattern[str]
    issued_by: re.Pattern[str]
    about: re.Pattern[str]
    title_start: re.Pattern[str]
    body_end: re.Pattern[str]
    name_end: re.Pattern[str]
    party_issuers: frozenset[str]
    proposed_by: re.Pattern[str]
    proposed_at: re.Pattern[str]


@functools.cache
def _words() -> _Words:
    data = _read_toml("document.toml")
    c = data["citation"]

    def alt(key: str) -> str:
        return alternatives(c[key])

    i = re.IGNORECASE
    return _Words(
        lead=re.compile(rf"(?:{alt('lead')})(?!\w)\s*:?\s*", i),
        number=re.compile(rf"\s*(?:(?:{alt('number')})(?!\w)\s*[.:]?\s*)?", i),
        date=re.compile(rf"\s*,?\s*(?:(?:{alt('date')})(?!\w)\s*)?", i),
        issued_by=re.compile(rf"(?:{alt('issued_by')})(?!\w)\s*", i),
        about=re.compile(rf"(?:{alt('about')})(?!\w)\s*:?\s*", i),
        title_start=re.compile(rf"(?:{alt('title_starts')})(?!\w)", i),
        body_end=re.compile(rf"\s(?=(?:{alt('about')}|{alt('title_starts')})(?!\w))", i),
        name_end=re.compile(
            rf"\s*,?\s+(?=(?:{alt('number')})\s*[.:]?\s*\d|(?:{alt('date')})\s+\d)",
            i,
        ),
        party_issuers=frozenset(_fold(x) for x in data["identifiers"]["party_issuers"]),
        proposed_by=re.compile(
            rf"(?:{alternatives(data['submission']['proposed_by'])})(?!\w)\s*", i
        ),
        proposed_at=re.compile(
            rf"\s*,?\s+(?:{alternatives(data['submission']['at'])})\s+"
            rf"(?=(?:{alternatives(data['submission']['documents'])})(?!\w)|{alt('number')}\s|\d)",
            i,
        ),
    )


def _grammar_of(jurisdiction: str) -> _citations.Grammar:
    """The citation grammar of ``jurisdiction``, or a generic one when there is none."""
    from egovplan import _citations

    found = _citations.grammars().get(jurisdiction)
    if found is not None:
        return found
    return _generic_grammar()


@functools.cache
def _generic_grammar() -> _citations.Grammar:
    from egovplan import _citations

    return _citations.Grammar.from_table({"jurisdiction": "xx", "languages": ["en"], "forms": []})


# --- the models -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DocumentRef:
    """A reference to a document: what its identifier says, and what a citation adds.

    The identifier ``14/2011/QĐ-UBND`` gives ``number`` ``"14"``, ``year`` 2011, ``kind``
    ``"decision"`` (the abbreviation ``QĐ`` in the ``document_kinds`` catalogue) and
    ``issuer`` ``"UBND"``; a citation adds the ``date``, the ``issuing_body`` and a
    ``title``. :meth:`parse` reads both; ``str(ref)`` (and :attr:`identifier`) writes the
    identifier back in canonical form.

    A document cited by name without a number (laws: "Luật Công nghệ thông tin") has
    ``number == ""`` and ``issuer == ""``, and then must have a ``title``, which holds its
    name; ``str()`` of such a reference is the name.

    Attributes:
        kind: the document-kind code (``"decision"``, ``"plan"``, ...), or ``None`` when
            the identifier and the citation do not say.
        number: the number as written (``"332"``, ``"36a"``, ``"03"``), or ``""``.
        year: the year written inside the identifier (normative documents), or ``None``.
        issuer: the issuer code (``"UBND"``, ``"TTg"``, ``"TW"``); ``""`` without number.
        division: the issuing division of an official letter (``"VX"`` in
            ``1025/UBND-VX``).
        date: the date of issue.
        issuing_body: the issuing body as written ("Thủ tướng Chính phủ").
        title: what the document is about (the subject after the issuing body, without a
            leading "về việc"), or the name of a document cited by name.
        jurisdiction: the citation grammar the reference follows when it is not a
            Vietnamese one (``"it"``: "D.Lgs. 7 marzo 2005, n. 82"; ``"eu"``: "Regulation
            (EU) 2021/241"; see ``data/citations/``), else ``None``.

    >>> DocumentRef(kind="decision", number="14", year=2011, issuer="UBND").identifier
    '14/2011/QĐ-UBND'
    >>> DocumentRef(kind="plan", number="x", issuer="UBND")
    Traceback (most recent call last):
    ...
    egovplan.errors.FieldValueError: DocumentRef.number 'x' is not a document number (digits, optionally followed by up to three letters, as in '36a'; or '' for a document cited by name)
    """  # noqa: E501

    kind: str | None = attrs.field(default=None, validator=_kind_code)
    number: str = attrs.field(validator=_number)
    year: int | None = attrs.field(default=None, validator=f.optional_year)
    issuer: str = attrs.field(validator=_issuer)
    division: str | None = attrs.field(default=None, validator=_division)
    date: dt.date | None = attrs.field(default=None, validator=f.check_date)
    issuing_body: str | None = attrs.field(default=None, validator=_nonblank)
    title: str | None = attrs.field(default=None, validator=_title)
    jurisdiction: str | None = attrs.field(default=None, validator=_kind_code)

    @property
    def identifier(self) -> str:
        """The identifier in canonical form, ``""`` for a document cited by name.

        The kind is written with its first abbreviation in the catalogue (``CTHĐ`` is
        written ``CTr``); a Party body's document (issuer in ``data/document.toml``) as
        number-kind/issuer; a document whose kind has no abbreviation (an official letter, a
        law, a kind not in the catalogue) without one.

        >>> DocumentRef(kind="resolution", number="36", issuer="TW").identifier
        '36-NQ/TW'
        >>> DocumentRef(kind="official_letter", number="1025", issuer="UBND", division="VX")
        DocumentRef(kind='official_letter', number='1025', year=None, issuer='UBND', division='VX', date=None, issuing_body=None, title=None, jurisdiction=None)
        >>> _.identifier
        '1025/UBND-VX'
        """  # noqa: E501
        return self._identifier(_builtin_kinds())

    def _identifier(self, kinds: _Kinds) -> str:
        if not self.number:
            return ""
        if self.jurisdiction is not None:
            return _grammar_of(self.jurisdiction).write(self)
        abbreviation = kinds.abbreviation(self.kind)
        if (
            abbreviation
            and self.year is None
            and self.division is None
            and _fold(self.issuer) in _words().party_issuers
        ):
            return f"{self.number}-{abbreviation}/{self.issuer}"
        codes = "-".join(c for c in (abbreviation, self.issuer, self.division) if c)
        year = f"{self.year}/" if self.year is not None else ""
        return f"{self.number}/{year}{codes}"

    def __str__(self) -> str:
        return self.identifier or (self.title or "")

    @property
    def bare(self) -> DocumentRef:
        """This reference with only what its identifier says (no date, body or title).

        The identifiers of other jurisdictions may show the date ("D.Lgs. 7 marzo 2005,
        n. 82"): it is then kept.

        For a document cited by name, the name (``title``) is kept. ``DocumentRef.parse(
        str(ref)) == ref.bare`` for every reference whose kind its identifier can carry
        (see :attr:`identifier`).

        >>> DocumentRef.parse("Kế hoạch số 332/KH-UBND ngày 21 tháng 12 năm 2017").bare
        DocumentRef(kind='plan', number='332', year=None, issuer='UBND', division=None, date=None, issuing_body=None, title=None, jurisdiction=None)
        """  # noqa: E501
        if not self.number:  # cited by name: the name is what identifies it
            return attrs.evolve(self, date=None, issuing_body=None)
        date = self.date if self.jurisdiction is not None and self._dated() else None
        return attrs.evolve(self, date=date, issuing_body=None, title=None)

    def _dated(self) -> bool:
        """Whether another jurisdiction's identifier of this reference shows its date."""
        return self.date is not None and (self.year is None or self.year == self.date.year)

    def citation(self, locale: str = "vi") -> str:
        """The reference written as a citation in ``locale`` (``"vi"`` or ``"en"``).

        The Vietnamese form is one :meth:`parse` reads back.

        >>> ref = DocumentRef.parse(
        ...     "Nghị quyết số 26/NQ-CP ngày 15/4/2015 của Chính phủ ban hành Chương trình"
        ... )
        >>> ref.citation("vi")
        'Nghị quyết số 26/NQ-CP ngày 15 tháng 4 năm 2015 của Chính phủ về ban hành Chương trình'
        >>> ref.citation("en")
        'Resolution 26/NQ-CP of 15 April 2015 by Chính phủ: ban hành Chương trình'
        """
        locale_tag(locale)
        if self.jurisdiction is not None and self.number:
            return self._foreign_citation(locale)
        kinds = _builtin_kinds()
        info = kinds.by_code.get(self.kind) if self.kind else None
        english = not locale.casefold().startswith("vi")
        parts: list[str] = []
        if not self.number:
            parts.append(self.title or "")
        elif english:
            parts.append(f"{info.en} {self.identifier}" if info else self.identifier)
        else:
            parts.append(f"{info.vi} số {self.identifier}" if info else f"Số {self.identifier}")
        if self.date is not None:
            written = _format_date(self.date, "en" if english else "vi")
            parts.append(f"of {written}" if english else written)
        if self.issuing_body is not None:
            parts.append(f"by {self.issuing_body}" if english else f"của {self.issuing_body}")
        text = " ".join(parts)
        if self.number and self.title is not None:
            text += f": {self.title}" if english else f" về {self.title}"
        return text

    def _foreign_citation(self, locale: str) -> str:
        """The citation of a reference of another jurisdiction's grammar, in ``locale``."""
        assert self.jurisdiction is not None
        grammar = _grammar_of(self.jurisdiction)
        language = locale.replace("-", "_").split("_", 1)[0].casefold()
        text = grammar.write(self, language if language in grammar.languages else None)
        return f"{text}, {self.title}" if self.title is not None else text

    @classmethod
    def parse(
        cls,
        text: str,
        *,
        kinds: Mapping[str, Mapping[str, Any]] | None = None,
        jurisdiction: str | None = None,
        language: str | None = None,
    ) -> DocumentRef:
        """Read an identifier or a citation.

        Identifiers: every shape listed in the module docstring. Citations: an optional
        lead ("Căn cứ"), the kind's name ("Quyết định", "Nghị quyết", "Luật"...), ``số``
        (or ``số:``), the identifier, ``ngày`` and a date in any form
        :func:`~egovplan.dates.parse_date` reads, ``của`` and the issuing body, then the
        subject, which is kept in ``title`` (a leading "về" / "về việc" is dropped). A kind
        usually cited by name (a law) needs no number: its name becomes the ``title``.
        NFD input, ``Ð`` (U+00D0) written for ``Đ``, any dash, extra or no-break spaces
        and a leading byte order mark are fine.

        The submission a decision answers is read whole: "Xét đề nghị của Sở Thông tin
        và Truyền thông tại Tờ trình số 06/TTr-STTTT ngày 29/10/2010" gives the submission
        (kind, number, issuer, date) with the proposing body as its ``issuing_body``.

        Citations of other jurisdictions are read by their grammars (``data/citations/``):
        give ``jurisdiction`` (``"it"``, ``"eu"``) to use one, or ``language`` (the
        document's, such as ``"it"``) to try the grammars of that language; Vietnamese
        citations are read when neither is given, or for ``language="vi"``.

        >>> ref = DocumentRef.parse("D.Lgs. 7 marzo 2005, n. 82", language="it")
        >>> ref.kind, ref.issuer, ref.number, ref.year, ref.date, str(ref)
        ('legislative_decree', 'D.Lgs.', '82', 2005, datetime.date(2005, 3, 7), 'D.Lgs. 7 marzo 2005, n. 82')
        >>> eu = DocumentRef.parse("Regolamento (UE) 2021/241", language="it")
        >>> eu.kind, eu.issuer, eu.year, eu.number, str(eu), eu.citation("it")
        ('eu_regulation', 'EU', 2021, '241', 'Regulation (EU) 2021/241', 'Regolamento (UE) 2021/241')

        Args:
            text: the identifier or citation.
            kinds: extra document kinds, as tables like those of the ``document_kinds``
                catalogue file (``{"memo": {"vi": "Bản ghi nhớ", "en": "Memorandum",
                "abbreviations": ["BGN"]}}``), merged over the built-in ones (for
                Vietnamese citations).
            jurisdiction: the grammar of another jurisdiction to read the citation with.
            language: the language of the document that cites it: its grammars are
                tried in turn (``"it"``: Italian, then EU acts).

        Returns:
            The reference.

        Raises:
            ParseError: the text (or a part of it, which the message quotes) is not an
                identifier or citation, names an impossible date, or names one kind in
                words and another in the identifier.
            FieldTypeError: ``text`` is not a str, or ``kinds`` is not a mapping of
                code to table.
            FieldValueError: a table of ``kinds`` lists an empty alias or abbreviation.

        >>> DocumentRef.parse("36-NQ/TW")
        DocumentRef(kind='resolution', number='36', year=None, issuer='TW', division=None, date=None, issuing_body=None, title=None, jurisdiction=None)
        >>> DocumentRef.parse("Quyết định số QĐ-UBND")
        Traceback (most recent call last):
        ...
        egovplan.errors.ParseError: cannot read 'Quyết định số QĐ-UBND' as a document reference: expected an identifier such as '698/QĐ-TTg' at 'QĐ-UBND'
        """  # noqa: E501
        if not isinstance(text, str):
            raise FieldTypeError(f"DocumentRef.parse() needs str, not {type(text).__name__}")
        grammars = _grammars(jurisdiction, language)
        if not grammars:
            return _Reader(text, _kinds(kinds)).read()
        return _read_foreign(text, grammars, None if jurisdiction else _kinds(kinds))

    @classmethod
    def parse_citations(
        cls,
        text: str,
        *,
        kinds: Mapping[str, Mapping[str, Any]] | None = None,
        jurisdiction: str | None = None,
        language: str | None = None,
    ) -> tuple[DocumentRef, ...]:
        """Read a list of citations separated by ``;`` (or new lines), such as a
        "Căn cứ ..." line citing several documents.

        >>> refs = DocumentRef.parse_citations("Căn cứ Luật Công nghệ thông tin; Luật Giao dịch điện tử;")
        >>> [ref.title for ref in refs]
        ['Luật Công nghệ thông tin', 'Luật Giao dịch điện tử']
        """  # noqa: D205, E501
        if not isinstance(text, str):
            raise FieldTypeError(
                f"DocumentRef.parse_citations() needs str, not {type(text).__name__}"
            )
        pieces = [p for p in re.split(r"[;\n]", text) if _TRAILING.sub("", p.strip())]
        return tuple(
            cls.parse(piece, kinds=kinds, jurisdiction=jurisdiction, language=language)
            for piece in pieces
        )


def _grammars(jurisdiction: str | None, language: str | None) -> tuple[_citations.Grammar, ...]:
    """The grammars to read a citation with: none for Vietnamese citations."""
    from egovplan import _citations

    if jurisdiction is not None:
        if not isinstance(jurisdiction, str):
            raise FieldTypeError(
                f"jurisdiction must be a str like 'it', not {type(jurisdiction).__name__}"
            )
        return (_citations.grammar(jurisdiction),)
    if language is None:
        return ()
    if not isinstance(language, str):
        raise FieldTypeError(f"language must be a str like 'it', not {type(language).__name__}")
    return _citations.grammars_for(language)


def _read_foreign(
    text: str, grammars: tuple[_citations.Grammar, ...], kinds: _Kinds | None
) -> DocumentRef:
    """A citation read by the first of ``grammars`` that reads it.

    The Vietnamese reader is tried last when ``kinds`` is given.
    """
    clean = _TRAILING.sub("", normalize(text, dashes=False))
    for grammar in grammars:
        try:
            fields = grammar.read(clean)
            if fields is None:
                continue
            return DocumentRef(**fields)
        except (TypeError, ValueError) as error:
            raise ParseError(
                f"cannot read {shown(text)} as a document reference: {error}", text=text
            ) from None
    if kinds is not None:
        with contextlib.suppress(ParseError):
            return _Reader(text, kinds).read()
    names = ", ".join(repr(g.jurisdiction) for g in grammars)
    raise ParseError(
        f"cannot read {shown(text)} as a document reference: it is no citation the"
        f" grammars {names} read (such as {grammars[0].example()!r})",
        text=text,
    )


class _Reader:
    """Reads one identifier or citation (the state of one :meth:`DocumentRef.parse`)."""

    def __init__(self, text: str, kinds: _Kinds) -> None:
        self.original = text
        self.kinds = kinds
        self.words = _words()
        clean = normalize(text, dashes=False)
        if clean.startswith("(") and clean.endswith(")"):
            clean = clean[1:-1].strip()
        self.text = _TRAILING.sub("", clean)
        self.pos = 0

    def fail(self, what: str, at: int | None = None) -> ParseError:
        at = self.pos if at is None else at
        rest = self.text[at:]
        where = f" at {rest[:40]!r}" if rest else " at the end"
        return ParseError(
            f"cannot read {shown(self.original)} as a document reference: {what}{where}",
            text=self.original,
            position=at,
        )

    def skip(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        match = pattern.match(self.text, self.pos)
        if match:
            self.pos = match.end()
        return match

    def read(self) -> DocumentRef:
        if not self.text:
            raise ParseError(
                f"cannot read {shown(self.original)} as a document reference: it is empty",
                text=self.original,
            )
        proposer = self.proposer()
        self.skip(self.words.lead)
        name_start = self.pos
        named = self.skip(self.kinds.names)
        named_kind = self.kinds.by_name[named.group().casefold()] if named else None
        info = self.kinds.by_code[named_kind] if named_kind else None
        fields: dict[str, Any] = {"kind": named_kind, "number": "", "issuer": ""}
        if named is not None and info is not None and info.cited_by_name:
            end = self.words.name_end.search(self.text, self.pos)
            stop = end.start() if end else len(self.text)
            has_name = bool(self.text[named.end() : stop].strip(" ,"))
            if has_name:
                fields["title"] = self.text[name_start:stop].strip(" ,")
            self.pos = end.end() if end else stop
            self.skip(self.words.number)
            if compiled(_IDENTIFIER).match(self.text, self.pos):
                self.identifier(fields)
            elif not has_name:
                raise self.fail(f"expected the name or number of the {info.en.lower()}")
        else:
            self.skip(self.words.number)
            self.identifier(fields)
        self.date(fields)
        self.body_and_title(fields)
        if proposer and fields.get("issuing_body") is None:
            fields["issuing_body"] = proposer
        try:
            return DocumentRef(**fields)
        except (TypeError, ValueError) as error:
            raise ParseError(
                f"cannot read {shown(self.original)} as a document reference: {error}",
                text=self.original,
            ) from None

    def proposer(self) -> str | None:
        """The proposing body of "Xét đề nghị của <body> tại Tờ trình …", read past."""
        lead = self.words.proposed_by.match(self.text, self.pos)
        if lead is None:
            return None
        at = self.words.proposed_at.search(self.text, lead.end())
        if at is None:
            raise self.fail("expected the submission after the proposing body", lead.end())
        body = self.text[lead.end() : at.start()].strip(" ,")
        self.pos = at.end()
        return body or None

    def identifier(self, fields: dict[str, Any]) -> None:
        match = compiled(_IDENTIFIER).match(self.text, self.pos)
        if match is None:
            if self.kinds.names.match(self.text, self.pos) is None and fields["kind"] is None:
                raise self.fail(
                    "expected a document kind such as 'Quyết định' or an identifier"
                    " such as '332/KH-UBND'"
                )
            raise self.fail("expected an identifier such as '698/QĐ-TTg'")
        fields["number"] = match["num"]
        if match["pkind"]:
            kind = self.kinds.by_abbreviation.get(_fold(match["pkind"]))
            if kind is None:
                raise self.fail(
                    f"{match['pkind']!r} is not the abbreviation of a known document kind",
                    match.start("pkind"),
                )
            self.agree(fields, kind, match["pkind"])
            fields["issuer"] = match["pissuer"]
        else:
            codes = [c.strip() for c in re.split(_DASH, match["codes"])]
            kind = self.kinds.by_abbreviation.get(_fold(codes[0]))
            if kind is not None and len(codes) == 1:
                raise self.fail(f"expected an issuer after {codes[0]!r}", match.start("codes"))
            if kind is not None:
                self.agree(fields, kind, codes[0])
                codes = codes[1:]
            elif fields["kind"] is None and match["year"] is None:
                fields["kind"] = OFFICIAL_LETTER
            if len(codes) > 2:
                raise self.fail("too many parts after the issuer", match.start("codes"))
            fields["issuer"] = codes[0]
            fields["division"] = codes[1] if len(codes) == 2 else None
            fields["year"] = int(match["year"]) if match["year"] else None
        self.pos = match.end()

    def agree(self, fields: dict[str, Any], kind: str, abbreviation: str) -> None:
        named = fields["kind"]
        if named is not None and named != kind:
            said = self.kinds.by_code[named].vi
            raise self.fail(
                f"the citation names a {said!r} ({named}) but the identifier's"
                f" {abbreviation!r} is a {kind}"
            )
        fields["kind"] = kind

    def date(self, fields: dict[str, Any]) -> None:
        start = self.pos
        lead = self.words.date.match(self.text, self.pos)
        assert lead is not None  # the pattern matches the empty string
        has_word = bool(lead.group().strip(" ,"))
        try:
            found = date_at(self.text, lead.end())
        except ParseError as error:
            raise ParseError(
                f"cannot read {shown(self.original)} as a document reference: {error}",
                text=self.original,
                position=lead.end(),
            ) from None
        if found is None:
            if has_word:
                raise self.fail("expected a date", lead.end())
            self.pos = start
            return
        fields["date"], self.pos = found

    def body_and_title(self, fields: dict[str, Any]) -> None:
        rest = self.text[self.pos :].strip(" ,")
        if not rest:
            return
        issued_by = self.words.issued_by.match(rest)
        about = self.words.about.match(rest)
        dash = re.match(rf"(?:{_DASH}|:)\s*", rest)
        if dash:
            body, title = "", rest[dash.end() :]
        elif about or self.words.title_start.match(rest):
            body, title = "", rest[about.end() :] if about else rest
        else:
            rest = rest[issued_by.end() :] if issued_by else rest
            split = self.words.body_end.search(rest)
            body, title = (rest[: split.start()], rest[split.end() :]) if split else (rest, "")
            about = self.words.about.match(title)
            if about:
                title = title[about.end() :]
        body, title = body.strip(" ,"), title.strip(" ,")
        if body:
            fields["issuing_body"] = body
        if title and fields.get("title") is None:
            fields["title"] = title


@attrs.frozen(kw_only=True)
class Signatory:
    """Who signed a document, and in what capacity.

    Attributes:
        name: the signer's name ("Đặng Xuân Thanh").
        position: the signer's own position ("Phó Chủ tịch").
        capacity: the signing formula as written when signing on someone's behalf
            ("TM. Ủy ban nhân dân, KT. Chủ tịch"), or ``None`` when signing in person.

    >>> Signatory(name="Đặng Xuân Thanh", position="Phó Chủ tịch", capacity="KT. Chủ tịch")
    Signatory(name='Đặng Xuân Thanh', position='Phó Chủ tịch', capacity='KT. Chủ tịch')
    """

    name: str | None = attrs.field(default=None, validator=_nonblank)
    position: str | None = attrs.field(default=None, validator=_nonblank)
    capacity: str | None = attrs.field(default=None, validator=_nonblank)

    @classmethod
    def parse(cls, text: str) -> Signatory:
        """Read a signature block, its lines separated by new lines or `` / ``.

        Lines opening with a signing formula ("TM.", "KT.", "TL.", "TUQ.", "Q.") make the
        ``capacity``; the line after them the ``position``; the last line the ``name``. A
        line in capitals is written in sentence case, with the offices and bodies of
        ``data/document.toml`` as they are written in running text. "(Đã ký)", seals and
        what follows "Nơi nhận:" are left out.

        >>> Signatory.parse("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Đặng Xuân Thanh")
        Signatory(name='Đặng Xuân Thanh', position='Phó Chủ tịch', capacity='TM. Ủy ban nhân dân, KT. Chủ tịch')

        Raises:
            ParseError: the block has no line left to read.
        """  # noqa: E501
        if not isinstance(text, str):
            raise FieldTypeError(f"Signatory.parse() needs str, not {type(text).__name__}")
        words = _signature_words()
        lines: list[str] = []
        for raw in re.split(r"\n|\s+/\s+", nfc(text)):
            line = normalize(raw, dashes=False)
            if words.stop.match(line):
                break
            if line and not words.skip.fullmatch(line):
                lines.append(line)
        capacity: list[str] = []
        while lines and (formula := words.formula.match(lines[0])):
            rest = lines.pop(0)[formula.end() :].strip()
            # A body's name broken over two lines ("TM. ỦY BAN NHÂN" / "DÂN"): a line in
            # capitals before the next formula continues it.
            while (
                len(lines) >= 2
                and _is_capitals(lines[0])
                and not words.formula.match(lines[0])
                and words.formula.match(lines[1])
            ):
                rest = f"{rest} {lines.pop(0)}"
            capacity.append(f"{words.formulas[formula.group(1).casefold()]} {words.cased(rest)}")
        if not lines and not capacity:
            raise ParseError(
                f"cannot read {shown(text)} as a signature block: it has no line to read",
                text=text,
            )
        position = name = None
        if len(lines) >= 2:
            position, name = words.cased(" ".join(lines[:-1])), _name_case(lines[-1])
        elif lines and _is_capitals(lines[0]) and words.is_office(lines[0]):
            position = words.cased(lines[0])
        elif lines:
            name = _name_case(lines[0])
        return cls(name=name, position=position, capacity=", ".join(capacity) or None)


def _is_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _name_case(text: str) -> str:
    """A name as written, or in title case when written in capitals ("NGUYỄN VĂN A")."""
    return " ".join(w.capitalize() for w in text.split()) if _is_capitals(text) else text


class _SignatureWords(NamedTuple):
    formula: re.Pattern[str]
    formulas: Mapping[str, str]
    skip: re.Pattern[str]
    stop: re.Pattern[str]
    offices: Mapping[str, str]
    office_pattern: re.Pattern[str]

    def cased(self, text: str) -> str:
        """``text``, in sentence case if in capitals, with the known offices as written."""
        if not _is_capitals(text):
            return text
        lowered = text.lower()
        cased = self.office_pattern.sub(lambda m: self.offices[m.group().casefold()], lowered)
        return cased[:1].upper() + cased[1:]

    def is_office(self, text: str) -> bool:
        return self.office_pattern.search(text.lower()) is not None


@functools.cache
def _signature_words() -> _SignatureWords:
    data = _read_toml("document.toml")["signature"]
    formulas = {str(k).casefold(): str(k) for k in data["formulas"]}
    offices = {str(o).casefold(): str(o) for o in data["offices"]}
    i = re.IGNORECASE
    return _SignatureWords(
        formula=re.compile(rf"({alternatives(list(formulas))})\s*", i),
        formulas=formulas,
        skip=re.compile(rf"\(?\s*(?:{alternatives(data['skip'])})\s*\)?\.?", i),
        stop=re.compile(rf"(?:{alternatives(data['stop'])})", i),
        offices=offices,
        office_pattern=re.compile(rf"(?<!\w)(?:{alternatives(list(offices))})(?!\w)", i),
    )


def _days(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (type(value) is not int):
        raise f.field_type_error(inst, attribute, value, "int or None")


@attrs.frozen(kw_only=True)
class EntryIntoForce:
    """When a document takes effect ("có hiệu lực sau 10 ngày kể từ ngày ký").

    Attributes:
        days_after_signing: the days after the date of signing it takes effect: ``0`` for
            "kể từ ngày ký" (on signing), ``10`` for "sau 10 ngày kể từ ngày ký"; ``None``
            when it says a date instead.
        date: the date it takes effect, when the document states one ("từ ngày
            01/01/2012").
        text: the sentence as the document words it.

    ``egovplan validate`` reports a date before the date of signing or a negative number
    of days (EGP803).

    >>> rule = EntryIntoForce.parse("Quyết định này có hiệu lực sau 10 ngày kể từ ngày ký.")
    >>> rule.days_after_signing, rule.effective(dt.date(2012, 6, 11))
    (10, datetime.date(2012, 6, 21))
    >>> EntryIntoForce.parse("Quyết định này có hiệu lực thi hành kể từ ngày ký").days_after_signing
    0
    """

    days_after_signing: int | None = attrs.field(default=None, validator=_days)
    date: dt.date | None = attrs.field(default=None, validator=f.check_date)
    text: str | None = attrs.field(default=None, validator=_nonblank)

    def effective(self, signed: dt.date | None) -> dt.date | None:
        """The date it takes effect, for a document signed on ``signed`` (if known)."""
        if self.date is not None:
            return self.date
        if self.days_after_signing is None or signed is None:
            return None
        try:
            return signed + dt.timedelta(days=self.days_after_signing)
        except OverflowError:
            return None

    @classmethod
    def parse(cls, text: str) -> EntryIntoForce:
        """Read the sentence on entry into force, in the forms of ``data/document.toml``.

        Raises:
            ParseError: the sentence says neither a number of days after signing, nor
                signing, nor a date.
        """
        if not isinstance(text, str):
            raise FieldTypeError(f"EntryIntoForce.parse() needs str, not {type(text).__name__}")
        clean = normalize(text, dashes=False)
        words = _force_words()
        written = _TRAILING.sub("", clean) or None
        days = words.days_after.search(clean)
        if days is not None:
            number = next(g for g in days.groups() if g is not None)
            return cls(days_after_signing=int(number), text=written)
        if words.on_signing.search(clean):
            return cls(days_after_signing=0, text=written)
        for lead in words.from_date.finditer(clean):
            found = date_at(clean, lead.end())
            if found is not None:
                return cls(date=found[0], text=written)
        raise ParseError(
            f"cannot read {shown(text)} as an entry into force: expected 'kể từ ngày ký',"
            " 'sau 10 ngày kể từ ngày ký' or a date",
            text=text,
        )


class _ForceWords(NamedTuple):
    days_after: re.Pattern[str]
    on_signing: re.Pattern[str]
    from_date: re.Pattern[str]


@functools.cache
def _force_words() -> _ForceWords:
    data = _read_toml("document.toml")["entry_into_force"]
    i = re.IGNORECASE

    def template(form: str) -> str:
        return r"\s+".join(re.escape(w) for w in form.split()).replace(
            re.escape("{days}"), r"(\d+)"
        )

    return _ForceWords(
        days_after=re.compile("|".join(template(t) for t in data["days_after"]), i),
        on_signing=re.compile(rf"(?:{alternatives(data['on_signing'])})(?!\w)", i),
        from_date=re.compile(rf"(?<!\w)(?:{alternatives(data['from_date'])})\s+", i),
    )


@attrs.frozen(kw_only=True)
class Citation:
    """A document the plan cites in its body (not a legal basis), and where.

    Attributes:
        document: the document cited.
        at: the part of the plan that cites it, as the document numbers it ("II.4.2",
            "Điều 2", "Phụ lục 1").
        task: the id of the task whose text cites it.
        objective: the id of the objective whose text cites it.
        annex: the id of the annex that cites it.

    ``egovplan validate`` checks that the task, objective and annex are the plan's
    (EGP804).

    >>> Citation(document=DocumentRef.parse("Quyết định số 1819/QĐ-TTg"), at="II.1").at
    'II.1'
    """

    document: DocumentRef = attrs.field(validator=f.instance(DocumentRef))
    at: str | None = attrs.field(default=None, validator=_nonblank)
    task: str | None = attrs.field(default=None, validator=f.optional_id)
    objective: str | None = attrs.field(default=None, validator=f.optional_id)
    annex: str | None = attrs.field(default=None, validator=f.optional_id)


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
        language: the language tag of the document's text (``"vi"``).
        issued_with: the document that issues (or approves) this one when it is attached
            to it: the decision of "Kế hoạch … ban hành kèm theo Quyết định số …", with its
            own reference, title and date. The plan's own number, title and date stay in
            ``ref``, ``title`` and ``date``.
        submission: the submission the document (or its issuing decision) answers, with
            the proposing body as its ``issuing_body``: "Xét đề nghị của Sở Thông tin và
            Truyền thông tại Tờ trình số 06/TTr-STTTT ngày 29/10/2010".
        entry_into_force: when it takes effect (for an attached plan: the issuing
            decision's article on it).

    The ``signatory``, ``place`` and ``entry_into_force`` are those of the document as
    signed: the issuing decision when there is one.

    >>> meta = PlanMetadata(
    ...     ref=DocumentRef.parse("332/KH-UBND"),
    ...     kind="plan",
    ...     title="Duy trì, cải thiện chỉ số ICT-Index tỉnh Lào Cai năm 2018",
    ...     date=dt.date(2017, 12, 21),
    ...     place="Lào Cai",
    ... )
    >>> str(meta.ref), meta.language
    ('332/KH-UBND', 'vi')
    """

    ref: DocumentRef | None = attrs.field(
        default=None, validator=f.instance(DocumentRef, optional=True)
    )
    kind: str = attrs.field(validator=_required_kind)
    title: str | Labels = attrs.field(validator=_required_title)
    issuing_body: str | None = attrs.field(default=None, validator=_nonblank)
    date: dt.date | None = attrs.field(default=None, validator=f.check_date)
    place: str | None = attrs.field(default=None, validator=_nonblank)
    signatory: Signatory | None = attrs.field(
        default=None, validator=f.instance(Signatory, optional=True)
    )
    language: str = attrs.field(default="vi", validator=_language)
    issued_with: DocumentRef | None = attrs.field(
        default=None, validator=f.instance(DocumentRef, optional=True)
    )
    submission: DocumentRef | None = attrs.field(
        default=None, validator=f.instance(DocumentRef, optional=True)
    )
    entry_into_force: EntryIntoForce | None = attrs.field(
        default=None, validator=f.instance(EntryIntoForce, optional=True)
    )
