"""Citation grammars of other jurisdictions, as data (``data/citations/<code>.toml``).

Vietnamese citations ("Quyết định số 698/QĐ-TTg ngày 01/06/2009") are read by
:mod:`egovplan.document` itself; a grammar here reads and writes the citations of another
jurisdiction ("D.Lgs. 7 marzo 2005, n. 82", "Regulation (EU) 2021/241") from the forms its
file lists. :meth:`egovplan.document.DocumentRef.parse` picks a grammar by the
``jurisdiction`` it is given, or tries the grammars of the document's ``language``.

Month names come from babel's locale data (:func:`_month_names`, kept apart so that it can
follow egovplan's own date parsing when that reads month names of every locale).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any, Final, NamedTuple

import attrs

from egovplan._data import data_names, load_data
from egovplan._text import alternatives
from egovplan.errors import FieldTypeError

__all__ = ["Grammar", "grammar", "grammars", "grammars_for", "jurisdictions"]

_FIELD: Final = re.compile(r"\{(act|issuer|number|year|date)\}")
_SEPARATORS: Final = " ,;:-\u2010\u2011\u2012\u2013\u2014\u2015"


@functools.cache
def _month_names(locale: str) -> Mapping[str, int]:
    """Month names of ``locale`` (wide and abbreviated, case-folded) from babel."""
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale=locale).items():
            names.setdefault(name.casefold().rstrip("."), number)
    return names


def _format_date(date: dt.date, locale: str) -> str:
    from babel.dates import format_date

    return format_date(date, "d MMMM y", locale=locale)


class _Kind(NamedTuple):
    code: str
    issuer: str | None
    written: Mapping[str, str]
    names: tuple[str, ...]


@attrs.frozen
class Grammar:
    """How one jurisdiction cites its documents (see ``data/citations/it.toml``).

    Attributes:
        jurisdiction: the code references of this grammar carry (``"it"``, ``"eu"``).
        languages: the languages of documents whose citations it reads.
        forms: the citation forms, in order.
    """

    jurisdiction: str
    languages: tuple[str, ...]
    forms: tuple[str, ...]
    kinds: Mapping[str, _Kind]
    issuers: Mapping[str, Mapping[str, str]]
    months: Mapping[str, int]
    month_locales: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    acts: Mapping[str, str]
    issuer_names: Mapping[str, str]
    lead: re.Pattern[str]
    about: re.Pattern[str]

    @classmethod
    def from_table(cls, data: Mapping[str, Any]) -> Grammar:
        """A grammar from the tables of its file."""
        kinds: dict[str, _Kind] = {}
        acts: dict[str, str] = {}
        for code, table in data.get("kinds", {}).items():
            written = table.get("written", code)
            kind = _Kind(
                code=code,
                issuer=table.get("issuer"),
                written=written if isinstance(written, Mapping) else {"": written},
                names=tuple(table.get("names", ())),
            )
            kinds[code] = kind
            for name in (*kind.names, *kind.written.values()):
                acts.setdefault(name.casefold(), code)
        issuers: dict[str, Mapping[str, str]] = {}
        issuer_names: dict[str, str] = {}
        for code, table in data.get("issuers", {}).items():
            written = table.get("written", code)
            issuers[code] = written if isinstance(written, Mapping) else {"": written}
            for name in (code, *issuers[code].values()):
                issuer_names.setdefault(name.casefold(), code)
        month_locales = tuple(data.get("months", ()))
        months: dict[str, int] = {}
        for locale in month_locales:
            for name, number in _month_names(locale).items():
                months.setdefault(name, number)
        forms = tuple(data["forms"])
        parts = {
            "act": rf"(?P<act>{alternatives(list(acts))})(?!(?<=\w)\w)",
            "issuer": rf"(?P<issuer>{alternatives(list(issuer_names)) or '(?!)'})",
            "number": r"(?P<number>\d+)",
            "year": r"(?P<year>\d{4})",
            "date": (
                r"(?P<day>\d{1,2})\s*[°º]?\s+"
                rf"(?P<month>{alternatives(list(months)) or '(?!)'})\.?\s+(?P<dyear>\d{{4}})"
            ),
        }
        patterns = tuple(re.compile(_form_pattern(form, parts), re.IGNORECASE) for form in forms)

        def words(key: str) -> re.Pattern[str]:
            found = alternatives(list(data.get(key, ())))
            return re.compile(rf"(?:{found})(?!\w)\s*" if found else r"(?!)", re.IGNORECASE)

        return cls(
            jurisdiction=data["jurisdiction"],
            languages=tuple(data.get("languages", ())),
            forms=forms,
            kinds=kinds,
            issuers=issuers,
            months=months,
            month_locales=month_locales,
            patterns=patterns,
            acts=acts,
            issuer_names=issuer_names,
            lead=words("leads"),
            about=words("about"),
        )

    def read(self, text: str) -> dict[str, Any] | None:
        """The fields of a reference the citation ``text`` gives, or None if it is none.

        ``text`` is normalized already (NFC, spaces collapsed).
        """
        lead = self.lead.match(text)
        start = lead.end() if lead else 0
        best: re.Match[str] | None = None
        for pattern in self.patterns:
            match = pattern.match(text, start)
            if match and (best is None or match.end() > best.end()):
                best = match
        if best is None:
            return None
        groups = best.groupdict()
        kind = self.kinds[self.acts[groups["act"].casefold()]]
        fields: dict[str, Any] = {
            "kind": kind.code,
            "number": groups["number"],
            "jurisdiction": self.jurisdiction,
        }
        if groups.get("issuer"):
            fields["issuer"] = self.issuer_names[groups["issuer"].casefold()]
        else:
            fields["issuer"] = kind.issuer or self.jurisdiction.upper()
        if groups.get("day"):
            month = self.months[groups["month"].casefold()]
            fields["date"] = dt.date(int(groups["dyear"]), month, int(groups["day"]))
            fields["year"] = int(groups["dyear"])
        if groups.get("year"):
            fields["year"] = int(groups["year"])
        rest = text[best.end() :].strip(_SEPARATORS)
        about = self.about.match(rest)
        if about:
            rest = rest[about.end() :]
        if rest:
            fields["title"] = rest
        return fields

    def written(self, table: Mapping[str, str], language: str) -> str:
        """The text of ``table`` (language -> text) for ``language``."""
        if language in table:
            return table[language]
        if "" in table:
            return table[""]
        return table.get(self.languages[0], next(iter(table.values())))

    def write(self, ref: Any, language: str | None = None) -> str:
        """The identifier of ``ref`` (a :class:`~egovplan.document.DocumentRef`)."""
        language = language or self.languages[0]
        kind = self.kinds.get(ref.kind) if ref.kind else None
        values: dict[str, str | None] = {
            "act": self.written(kind.written, language) if kind else None,
            "issuer": (
                self.written(self.issuers[ref.issuer], language)
                if ref.issuer in self.issuers
                else None
            ),
            "number": ref.number or None,
            "year": str(ref.year) if ref.year is not None else None,
            "date": (
                _format_date(ref.date, self._month_locale(language))
                if ref.date is not None and (ref.year is None or ref.year == ref.date.year)
                else None
            ),
        }
        for form in self.forms:
            used = _FIELD.findall(form)
            if all(values[name] is not None for name in used) and (
                "date" in used or values["date"] is None
            ):
                return _FIELD.sub(lambda m: str(values[m.group(1)]), form)
        for form in self.forms:
            used = _FIELD.findall(form)
            if all(values[name] is not None for name in used):
                return _FIELD.sub(lambda m: str(values[m.group(1)]), form)
        number = f"{ref.number}/{ref.year}" if ref.year is not None else ref.number
        return " ".join(str(v) for v in (values["act"] or ref.issuer, number) if v)

    def example(self) -> str:
        """A citation of this grammar, for messages: its first form filled in."""
        kind = next(iter(self.kinds.values()), None)
        values = {
            "act": self.written(kind.written, self.languages[0]) if kind else "",
            "issuer": next(iter(self.issuers), ""),
            "number": "82",
            "year": "2005",
            "date": _format_date(dt.date(2005, 3, 7), self._month_locale(self.languages[0])),
        }
        return _FIELD.sub(lambda m: values[m.group(1)], self.forms[0]) if self.forms else ""

    def _month_locale(self, language: str) -> str:
        return language if language in self.month_locales else self.month_locales[0]


def _form_pattern(form: str, parts: Mapping[str, str]) -> str:
    out: list[str] = []
    position = 0
    for match in _FIELD.finditer(form):
        out.append(_literal(form[position : match.start()]))
        out.append(parts[match.group(1)])
        position = match.end()
    out.append(_literal(form[position:]))
    return "".join(out)


def _literal(text: str) -> str:
    return r"\s*".join(re.escape(piece) for piece in text.split(" "))


@functools.cache
def grammars() -> Mapping[str, Grammar]:
    """The grammars shipped in ``data/citations/``, by jurisdiction."""
    found: dict[str, Grammar] = {}
    for name in data_names("citations"):
        grammar = Grammar.from_table(load_data(f"citations/{name}.toml"))
        found[grammar.jurisdiction] = grammar
    return found


@functools.cache
def jurisdictions() -> frozenset[str]:
    """The jurisdictions that have a grammar, read from their files.

    No grammar is built: that needs babel's month names and compiles the patterns.
    """
    return frozenset(
        load_data(f"citations/{name}.toml")["jurisdiction"] for name in data_names("citations")
    )


def grammar(jurisdiction: str) -> Grammar:
    """The grammar of ``jurisdiction``; a ``FieldTypeError`` names the known ones."""
    found = grammars().get(jurisdiction)
    if found is None:
        known = ", ".join(sorted(grammars()))
        raise FieldTypeError(
            f"no citation grammar for jurisdiction {jurisdiction!r}; egovplan has: {known}"
        )
    return found


def grammars_for(language: str) -> tuple[Grammar, ...]:
    """The grammars that read the citations of documents in ``language``, in order."""
    base = language.replace("-", "_").split("_", 1)[0].casefold()
    return tuple(g for g in grammars().values() if base in g.languages)
