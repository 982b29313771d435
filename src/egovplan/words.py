"""Whole amounts written in words, the way formal documents write them, and read back.

Vietnamese decisions state every amount twice, in digits and in words:
``901.000.000.000 đồng (Bằng chữ: chín trăm lẻ một tỷ đồng)``. :func:`amount_to_words`
writes the words and :func:`words_to_amount` reads them, so a tool can check that the two
agree.

>>> amount_to_words(901_000_000_000)
'chín trăm lẻ một tỷ'
>>> amount_to_words(901_000_000_000, "en")
'nine hundred and one billion'
>>> words_to_amount("(Bằng chữ: Chín trăm linh một tỉ đồng)")
901000000000
>>> words_to_amount("Twenty-one thousand and five dong", "en")
21005

The words of each language live in ``data/number_words/<language>.toml`` (digits, tens,
group words, the variants real documents use); the rules that put them together are
here. Vietnamese follows the usual formal rules: "lẻ" for a zero tens digit (105: một trăm
lẻ năm), "mốt" for 1 after "mươi" (21: hai mươi mốt), "lăm" for 5 after a tens word (15:
mười lăm, 25: hai mươi lăm), "không trăm" inside a number (1 005: một nghìn không trăm lẻ
năm), groups nghìn / triệu / tỷ, and 10^12 and more nested under tỷ (một nghìn tỷ).
English is British style, with "and" after hundreds and before a last group below one
hundred (one thousand and five) and hyphens inside the tens (twenty-one).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, NamedTuple

import attrs

from egovplan._data import data_names, language_of, load_data, locale_tag
from egovplan._text import nfc, shown, strip_accents
from egovplan.errors import EgovplanError, FieldTypeError, FieldValueError, ParseError

__all__ = [
    "UnknownLocaleError",
    "amount_to_words",
    "named_currency",
    "number_word_languages",
    "words_to_amount",
]

# Longer text is not an amount in words; refusing it bounds the work done on bad input.
_MAX_TEXT: Final = 1000

# Characters allowed between words, before the first and after the last.
#: What separates words as a space does: every Unicode space (no-break, thin, en, em,
#: figure, ideographic, the line and paragraph separators, NEL...) and the soft hyphen,
#: which word processors leave in copied text.
_SPACES: Final = frozenset({chr(code) for code in range(0x3001) if chr(code).isspace()} | {"\xad"})
_BETWEEN: Final = _SPACES | frozenset(",-:;‐‑–")
_BEFORE: Final = _SPACES | frozenset("(\"“'")
_AFTER: Final = _SPACES | frozenset(").,;/:\"”'")

_WORD: Final = re.compile(r"[^\W_]+")


class UnknownLocaleError(EgovplanError, ValueError):
    """egovplan has no words (or no babel data) for the locale asked for."""


class _Token(NamedTuple):
    word: str  # lower case, aliases resolved
    text: str  # as written (NFC)
    position: int  # index in the NFC text


@attrs.frozen
class _Words:
    """The number words of one language, as loaded from its data file."""

    language: str
    zero: str
    hundred: str
    groups: tuple[tuple[int, str], ...]  # largest first
    kinds: Mapping[str, tuple[str, int]]  # word -> (kind, value), for reading
    aliases: Mapping[str, str]
    prefixes: tuple[tuple[str, ...], ...]
    suffixes: tuple[tuple[str, ...], ...]
    currencies: Mapping[tuple[str, ...], str]  # suffix -> the ISO code it names
    data: Mapping[str, Any]

    def spelled(self, kind: str, value: int) -> str:
        """The word of ``kind`` with ``value`` (the first one the data file lists)."""
        if kind == "digits" and value == 0:
            return self.zero
        for word, (word_kind, word_value) in self.kinds.items():
            if word_kind == kind and word_value == value:
                return word
        raise UnknownLocaleError(  # pragma: no cover - the data files have every word
            f"no {kind} word for {value} in the number words of {self.language!r}"
        )


def number_word_languages() -> tuple[str, ...]:
    """The languages :func:`amount_to_words` and :func:`words_to_amount` know.

    >>> number_word_languages()
    ('en', 'vi')
    """
    return data_names("number_words")


def _language_of(locale: str) -> str:
    language = language_of(locale_tag(locale))
    if language not in number_word_languages():
        known = ", ".join(number_word_languages())
        raise UnknownLocaleError(f"no number words for locale {locale!r}; known: {known}")
    return language


def _phrases(items: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    phrases = {tuple(item.lower().split()) for item in items}
    return tuple(sorted(phrases, key=lambda p: (-len(p), p)))


@functools.cache
def _words(language: str) -> _Words:
    data = load_data(f"number_words/{language}.toml")
    kinds: dict[str, tuple[str, int]] = {
        data["zero"]: ("zero", 0),
        data["hundred"]: ("hundred", 100),
    }
    for table in ("digits", "ones", "tens", "after_tens"):
        if isinstance(data.get(table), Mapping):
            for word, value in data[table].items():
                kinds.setdefault(word, (table, value))
    for key in ("ten", "tens", "zero_tens", "and"):
        if isinstance(data.get(key), str):
            kinds.setdefault(data[key], (key, 0))
    groups = sorted(((exp, word) for word, exp in data["groups"].items()), reverse=True)
    for exp, word in groups:
        kinds[word] = ("group", exp)
    reading = data.get("reading", {})
    return _Words(
        language=language,
        zero=data["zero"],
        hundred=data["hundred"],
        groups=tuple(groups),
        kinds=MappingProxyType(kinds),
        aliases=MappingProxyType(dict(data.get("aliases", {}))),
        prefixes=_phrases(reading.get("prefixes", [])),
        suffixes=_phrases(reading.get("suffixes", [])),
        currencies=MappingProxyType(
            {
                tuple(word.lower().split()): code
                for word, code in reading.get("currencies", {}).items()
            }
        ),
        data=MappingProxyType(data),
    )


# --- writing -------------------------------------------------------------------------


def _vi_group(words: _Words, n: int, leading: bool, final: bool) -> list[str]:
    """Vietnamese words of ``1 <= n <= 999``; ``leading`` when nothing is written before."""
    d = words.data
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    out: list[str] = []
    if hundreds or not leading:
        out += [words.spelled("digits", hundreds), d["hundred"]]
    if tens == 0:
        if units:
            out += [d["zero_tens"]] if out else []
            out.append(words.spelled("digits", units))
        return out
    out += [d["ten"]] if tens == 1 else [words.spelled("digits", tens), d["tens"]]
    if units == 5:
        out.append(d["five_after_tens"])
    elif units == 1 and tens > 1:
        out.append(d["one_after_tens"])
    elif units:
        out.append(words.spelled("digits", units))
    return out


def _en_group(words: _Words, n: int, leading: bool, final: bool) -> list[str]:
    """English words of ``1 <= n <= 999``; ``final`` for the group of units."""
    hundreds, rest = divmod(n, 100)
    out: list[str] = []
    if hundreds:
        out += [words.spelled("ones", hundreds), words.hundred]
    if rest:
        if hundreds or (final and not leading):
            out.append(words.data["and"])
        if rest < 20:
            out.append(words.spelled("ones", rest))
        else:
            tens, units = divmod(rest, 10)
            word = words.spelled("tens", 10 * tens)
            out.append(f"{word}-{words.spelled('ones', units)}" if units else word)
    return out


_WRITE_GROUP: Final[Mapping[str, Callable[[_Words, int, bool, bool], list[str]]]] = (
    MappingProxyType({"vi": _vi_group, "en": _en_group})
)


def _write(words: _Words, n: int, leading: bool, final: bool) -> list[str]:
    for exp, name in words.groups:
        scale = 10**exp
        if n >= scale:
            quotient, rest = divmod(n, scale)
            out = [*_write(words, quotient, leading, final=False), name]
            if rest:
                out += _write(words, rest, leading=False, final=final)
            return out
    return _WRITE_GROUP[words.language](words, n, leading, final)


def _limit(words: _Words) -> int:
    # Above this, a number nests the largest group word inside itself ("một tỷ tỷ") and
    # the words stop being unambiguous.
    limit: int = 10 ** (2 * words.groups[0][0])
    return limit


def amount_to_words(n: int, locale: str = "vi") -> str:
    """Write a whole number in words, as formal documents write amounts.

    The words are in lower case and name no currency: add "đồng" (or "dong"), and
    capitalise, as the document needs.

    Args:
        n: a whole number from 0 up to (not including) ``10**18`` in Vietnamese (written
            up to "nghìn tỷ", "triệu tỷ") or ``10**36`` in English.
        locale: ``"vi"`` or ``"en"`` (a region such as ``"vi_VN"`` or ``"en-GB"`` is
            ignored). English is British style, with "and".

    Raises:
        FieldTypeError: ``n`` is not an ``int`` (a ``bool``, a ``float``, a ``Decimal``).
        FieldValueError: ``n`` is negative or too large.
        UnknownLocaleError: no number words for ``locale``.

    >>> amount_to_words(81_000_000_000)
    'tám mươi mốt tỷ'
    >>> amount_to_words(1_015_025)
    'một triệu không trăm mười lăm nghìn không trăm hai mươi lăm'
    >>> amount_to_words(2_500_000_000_000)
    'hai nghìn năm trăm tỷ'
    >>> amount_to_words(1_000_021, "en")
    'one million and twenty-one'
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise FieldTypeError(f"n must be int, not {type(n).__name__}")
    words = _words(_language_of(locale))
    if n < 0:
        raise FieldValueError(f"cannot write a negative amount ({n}) in words")
    if n >= _limit(words):
        raise FieldValueError(f"{n} is too large to write in words in {words.language!r}")
    if n == 0:
        return words.zero
    return " ".join(_write(words, n, leading=True, final=True))


# --- reading -------------------------------------------------------------------------


@attrs.frozen
class _Reader:
    """Reads one text; knows it (for error messages) and the language's words."""

    text: str  # NFC
    locale: str
    words: _Words

    def error(self, position: int, problem: str, suggestions: Sequence[str] = ()) -> ParseError:
        message = (
            f"cannot read {shown(self.text)} as a number in words (locale {self.locale!r}):"
            f" {problem} at position {position}"
        )
        if suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in suggestions) + "?"
        return ParseError(
            message, text=self.text, position=position, suggestions=tuple(suggestions)
        )

    def unknown(self, token: _Token) -> ParseError:
        import difflib  # (imported for a suggestion only)

        vocabulary = [*self.words.kinds, *self.words.aliases]
        plain = {strip_accents(w): w for w in vocabulary}
        guesses = list(difflib.get_close_matches(token.word, vocabulary, n=3, cutoff=0.6))
        same = plain.get(strip_accents(token.word))
        if same is not None and same not in guesses:
            guesses.insert(0, same)
        return self.error(token.position, f"{token.text!r} is not a number word", guesses)

    def replaced(self, token: _Token, replacement: str) -> str:
        end = token.position + len(token.text)
        return self.text[: token.position] + replacement + self.text[end:]

    def tokens(self) -> list[_Token]:
        found = list(_WORD.finditer(self.text))
        edges = [0, *(i for m in found for i in (m.start(), m.end())), len(self.text)]
        for index in range(0, len(edges), 2):
            start, end = edges[index], edges[index + 1]
            allowed = _BEFORE if index == 0 else _AFTER if index == len(edges) - 2 else _BETWEEN
            for offset, char in enumerate(self.text[start:end]):
                if char not in allowed:
                    raise self.error(start + offset, f"unexpected {char!r}")
        tokens = [_Token(m.group().lower(), m.group(), m.start()) for m in found]
        tokens, _ = self.without_prefix_and_suffixes(tokens)
        if not tokens:
            raise self.error(0, "no number words found")
        resolved = []
        for token in tokens:
            word = self.words.aliases.get(token.word, token.word)
            if word not in self.words.kinds:
                raise self.unknown(token)
            resolved.append(token._replace(word=word))
        return resolved

    def without_prefix_and_suffixes(
        self, tokens: list[_Token]
    ) -> tuple[list[_Token], list[tuple[str, ...]]]:
        """``tokens`` without a leading prefix and trailing suffixes; the suffixes taken."""
        for prefix in self.words.prefixes:
            if tuple(t.word for t in tokens[: len(prefix)]) == prefix:
                tokens = tokens[len(prefix) :]
                break
        taken: list[tuple[str, ...]] = []
        stripped = True
        while stripped:
            stripped = False
            for suffix in self.words.suffixes:
                if (
                    len(tokens) > len(suffix)
                    and tuple(t.word for t in tokens[-len(suffix) :]) == suffix
                ):
                    tokens = tokens[: -len(suffix)]
                    taken.append(suffix)
                    stripped = True
                    break
        return tokens, taken

    def kind(self, token: _Token) -> tuple[str, int]:
        return self.words.kinds[token.word]

    def number(self, tokens: Sequence[_Token], level: int, preceded: bool, final: bool) -> int:
        """Read ``tokens`` using the group words from ``level`` down.

        ``preceded``: something was read before these tokens; ``final``: nothing follows.
        """
        groups = self.words.groups
        for index in range(level, len(groups)):
            exp, name = groups[index]
            at = next((i for i, t in enumerate(tokens) if t.word == name), None)
            if at is None:
                continue
            group = tokens[at]
            if at == 0:
                raise self.error(group.position, f"{group.text!r} needs a number before it")
            quotient = self.number(tokens[:at], index + 1, preceded, final=False)
            if quotient == 0:
                raise self.error(group.position, f"zero {group.text!r}")
            if index > 0 and quotient >= 10 ** (groups[index - 1][0] - exp):
                raise self.error(
                    group.position,
                    f"{quotient} {group.text!r} should be written with {groups[index - 1][1]!r}",
                )
            rest = tokens[at + 1 :]
            remainder = self.number(rest, index + 1, True, final) if rest else 0
            scale: int = 10**exp
            return quotient * scale + remainder
        return _READ_GROUP[self.words.language](self, tokens, preceded, final)

    def no_group_words(self, tokens: Sequence[_Token]) -> None:
        """Raise at the first group word in ``tokens``: one left over is out of place."""
        for token in tokens:
            if self.kind(token)[0] == "group":
                raise self.error(token.position, f"{token.text!r} is out of place")

    def unexpected(self, token: _Token, after: _Token | None = None) -> ParseError:
        if after is None:
            return self.error(token.position, f"{token.text!r} cannot start a number here")
        return self.error(token.position, f"{token.text!r} cannot follow {after.text!r}")


def _vi_read_group(reader: _Reader, tokens: Sequence[_Token], preceded: bool, final: bool) -> int:
    kinds = [reader.kind(t) for t in tokens]
    reader.no_group_words(tokens)
    count = len(tokens)
    if count == 1 and kinds[0][0] == "zero" and not preceded:
        return 0
    value, i = 0, 0
    if count >= 2 and kinds[1][0] == "hundred":
        if kinds[0][0] not in ("digits", "zero"):
            raise reader.unexpected(tokens[0])
        value, i = 100 * kinds[0][1], 2
    elif kinds[0][0] == "hundred":
        raise reader.error(tokens[0].position, f"{tokens[0].text!r} needs a digit before it")
    if i == count:
        return value
    kind, digit = kinds[i]
    previous = tokens[i - 1] if i else None
    if kind == "zero_tens":
        if i + 1 == count or kinds[i + 1][0] != "digits" or kinds[i + 1][1] == 0:
            following = tokens[i + 1] if i + 1 < count else tokens[i]
            raise reader.error(
                following.position, f"{tokens[i].text!r} must be followed by a digit 1-9"
            )
        value, i = value + kinds[i + 1][1], i + 2
    elif kind == "ten" or (
        kind == "digits" and digit > 0 and i + 1 < count and kinds[i + 1][0] == "tens"
    ):
        value, i = (value + 10, i + 1) if kind == "ten" else (value + 10 * digit, i + 2)
        if i < count and kinds[i][0] in ("digits", "after_tens") and kinds[i][1] > 0:
            value, i = value + kinds[i][1], i + 1
    elif kind == "digits" and digit > 0:
        token = tokens[i]
        if previous is not None:  # "một trăm năm": 105 or 150?
            raise reader.error(
                token.position,
                f"'{previous.text} {token.text}' is ambiguous",
                [
                    reader.replaced(token, f"{reader.words.data['zero_tens']} {token.text}"),
                    reader.replaced(token, f"{token.text} {reader.words.data['tens']}"),
                ],
            )
        if preceded and final:  # "một nghìn năm": 1 005 or 1 500?
            raise reader.error(
                token.position,
                f"a lone {token.text!r} after a group word is ambiguous",
                [
                    reader.replaced(
                        token,
                        f"{reader.words.zero} {reader.words.hundred}"
                        f" {reader.words.data['zero_tens']} {token.text}",
                    ),
                    reader.replaced(token, f"{token.text} {reader.words.hundred}"),
                ],
            )
        value, i = value + digit, i + 1
    else:
        raise reader.unexpected(tokens[i], previous)
    if i < count:
        raise reader.unexpected(tokens[i], tokens[i - 1])
    return value


def _en_read_group(reader: _Reader, tokens: Sequence[_Token], preceded: bool, final: bool) -> int:
    kinds = [reader.kind(t) for t in tokens]
    reader.no_group_words(tokens)
    count = len(tokens)
    if count == 1 and kinds[0][0] == "zero" and not preceded:
        return 0
    value, i = 0, 0
    if count >= 2 and kinds[1][0] == "hundred":
        if kinds[0][0] != "ones" or kinds[0][1] > 9:
            raise reader.unexpected(tokens[0])
        value, i = 100 * kinds[0][1], 2
    elif kinds[0][0] == "hundred":
        raise reader.error(tokens[0].position, f"{tokens[0].text!r} needs a digit before it")
    if i < count and kinds[i][0] == "and":
        if not (i == 2 or preceded) or i + 1 == count:
            raise reader.unexpected(tokens[i], tokens[i - 1] if i else None)
        i += 1
    if i < count:
        kind, number = kinds[i]
        if kind == "ones":
            value, i = value + number, i + 1
        elif kind == "tens":
            value, i = value + number, i + 1
            if i < count and kinds[i][0] == "ones" and kinds[i][1] <= 9:
                value, i = value + kinds[i][1], i + 1
        else:
            raise reader.unexpected(tokens[i], tokens[i - 1] if i else None)
    if i < count:
        raise reader.unexpected(tokens[i], tokens[i - 1])
    return value


_READ_GROUP: Final[Mapping[str, Callable[[_Reader, Sequence[_Token], bool, bool], int]]] = (
    MappingProxyType({"vi": _vi_read_group, "en": _en_read_group})
)


def words_to_amount(text: str, locale: str = "vi") -> int:
    """Read a whole number written in words, as documents write amounts.

    Accepts what real documents use around and inside the words: a "Bằng chữ:" prefix,
    surrounding parentheses, a trailing "đồng" / "đồng chẵn" (or "dong", "only"), any
    capitalisation, decomposed (NFD) Unicode, a leading byte order mark, no-break and
    thin spaces between words, and the variants lẻ / linh, tỷ / tỉ,
    nghìn / ngàn, mươi / chục, and mốt, tư, lăm, nhăm after a tens word; in English,
    "and" or not, hyphens or spaces ("twenty-one"). Text that a reader could take two
    ways ("một trăm năm": 105 or 150?) is an error, never a guess.

    Args:
        text: the words.
        locale: ``"vi"`` or ``"en"``.

    Returns:
        The number, exactly.

    Raises:
        ParseError: a word is not a number word or is out of place; the error's
            ``position`` points at it in ``error.text`` (``text`` in NFC, without a
            leading byte order mark) and ``suggestions`` lists close words or readings.
        FieldTypeError: ``text`` or ``locale`` is not a str.
        UnknownLocaleError: no number words for ``locale``.

    >>> words_to_amount("Tám mươi mốt tỷ đồng")
    81000000000
    >>> words_to_amount("hai mươi tư nghìn không trăm linh năm")
    24005
    >>> words_to_amount("nine hundred and one billion", "en")
    901000000000
    >>> words_to_amount("chín trăm lẻ một tỷ tram")
    Traceback (most recent call last):
    ...
    egovplan.errors.ParseError: cannot read 'chín trăm lẻ một tỷ tram' as a number in words
    (locale 'vi'): 'tram' is not a number word at position 20; did you mean 'trăm'?
    """
    if not isinstance(text, str):
        raise FieldTypeError(f"text must be str, not {type(text).__name__}")
    words = _words(_language_of(locale))
    normalized = nfc(text)
    reader = _Reader(text=normalized, locale=locale, words=words)
    if len(normalized) > _MAX_TEXT:
        raise reader.error(_MAX_TEXT, f"text is longer than {_MAX_TEXT} characters")
    return reader.number(reader.tokens(), 0, preceded=False, final=True)


def named_currency(text: str, locale: str = "vi") -> str | None:
    """The currency that the trailing words of an amount in words name ("đồng": VND).

    None when they name none ("chẵn", "only", no trailing word) or the text is not
    words; the ISO code of the last one otherwise.

    >>> named_currency("Một trăm tỷ đồng chẵn"), named_currency("one hundred only", "en")
    ('VND', None)
    """
    if not isinstance(text, str):
        raise FieldTypeError(f"text must be str, not {type(text).__name__}")
    words = _words(_language_of(locale))
    reader = _Reader(text=nfc(text), locale=locale, words=words)
    found = [_Token(m.group().lower(), m.group(), m.start()) for m in _WORD.finditer(reader.text)]
    _, suffixes = reader.without_prefix_and_suffixes(found)
    named = [words.currencies[s] for s in suffixes if s in words.currencies]
    return named[0] if named else None
