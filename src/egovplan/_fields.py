"""Field validators and converters shared by the model classes.

Each validator raises one error that names the class and the field (``FundingSource.amount``):
:class:`~egovplan.errors.FieldTypeError` (a ``TypeError``) for a value of the wrong type,
:class:`~egovplan.errors.FieldValueError` (a ``ValueError``) for an impossible value. The
validators are small closures doing one ``isinstance`` each, because plans with a
million budget lines are built through them.

**One declaration per check.** A validator here may be *declared* (:func:`declare`) with
what the derived code needs besides the check itself (:class:`Fast`): an inline form of
it, a Python expression the generated loaders (:mod:`egovplan._derive`) test instead of
calling it, whether loaders keep one shared object for equal values, and the JSON Schema
keywords it adds. The inline form may be stricter than the validator (what it refuses
goes through the constructor, which decides), never looser: tests hold the two equal on
random mutations of valid documents. A validator that is not declared (a model's own,
a tightened one) is simply called by the generated code, as the constructor calls it.
Moving a check out of the constructor (into a validation rule) is an edit of the field's
``validator=`` alone: everything else follows.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Final, TypeVar, cast

import attrs

from egovplan.errors import FieldTypeError, FieldValueError
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.period import MAX_YEAR, MIN_YEAR

__all__ = [
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "Fast",
    "Validator",
    "check_id",
    "check_year",
    "decimal",
    "declare",
    "declared",
    "field_type_error",
    "field_value_error",
    "instance",
    "is_member_converter",
    "items_of",
    "member",
    "member_converters",
    "money",
    "number_problem",
    "optional_decimal",
    "optional_id",
    "optional_text",
    "optional_year",
    "pairs_of_decimal",
    "percent",
    "text",
    "text_or_labels",
    "to_member",
    "to_tuple",
    "tuple_of",
    "tuple_of_ids",
    "tuple_of_text",
    "unique_id",
    "unknown_member",
    "where",
]

T = TypeVar("T")
Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

HUNDRED: Final = Decimal(100)
_STR_TYPE: Final = frozenset({str})

#: An inline form: given the text of the value's expression and a function that names an
#: object in the generated code's namespace, a Python expression true when the check passes.
Inline = Callable[[str, Callable[[object], str]], str]


@attrs.frozen
class Fast:
    """What the derived code knows of a declared validator (see :func:`declare`).

    Attributes:
        inline: the check as an expression (:data:`Inline`), or None to call the validator.
        share: whether loaders keep one object for equal values of the field (ids, years
            that many records repeat).
        schema: JSON Schema keywords the check adds to its type's (``minimum`` for years).
        exact: whether the inline form passes only values of the field's exact plain type
            (``type(v) is str``), so that the loader need not test the type apart.
        bulk: the check of a list of values at once (True when every one passes, and
            never looser than the inline form): a loop checks a field's values so, once,
            after its last record, and hands the whole list over to the constructors
            when it fails.
        implied: whether the check says no more than the value's type (``isinstance``):
            it then holds for any value a structure hook of the field's type made.
    """

    inline: Inline | None = None
    share: bool = False
    schema: dict[str, Any] = attrs.field(factory=dict)
    exact: bool = False
    bulk: Callable[[list[Any]], bool] | None = None
    implied: bool = False


_DECLARED: Final[dict[object, Fast]] = {}

V = TypeVar("V")


def declare(
    validator: V,
    *,
    inline: Inline | None = None,
    share: bool = False,
    schema: dict[str, Any] | None = None,
    exact: bool = False,
    bulk: Callable[[list[Any]], bool] | None = None,
    implied: bool = False,
) -> V:
    """Declare what derived code knows of ``validator`` (its :class:`Fast`); returns it."""
    _DECLARED[validator] = Fast(
        inline=inline, share=share, schema=schema or {}, exact=exact, bulk=bulk, implied=implied
    )
    return validator


def declared(validator: object) -> Fast | None:
    """The declaration of ``validator``, or None when it has none (it is then called)."""
    try:
        return _DECLARED.get(validator)
    except TypeError:  # an unhashable validator object
        return None


def _id_inline(v: str, name: Callable[[object], str]) -> str:
    return f"(type({v}) is str and {v} != '' and {v} == {v}.strip())"


#: The most significant digits a decimal field may hold (``Limits.max_digits`` of files
#: defaults to the same).
MAX_DIGITS: Final = 100
#: A decimal field's magnitude lies between ``1E-MAX_EXPONENT`` and ``1E+MAX_EXPONENT``
#: (or is zero): far beyond any plan, and arithmetic on it can neither overflow nor hang.
MAX_EXPONENT: Final = 1000


class _TooLong:
    """A number given as ``int`` or ``str`` with too many digits, left unconverted."""

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"<a number of about {self.digits} digits>"


def unknown_member(cls: type[enum.Enum], value: object) -> FieldValueError:
    """The error for a value that is not a member of ``cls`` (for an enum's ``_missing_``).

    The message keeps the enum module's wording and lists the members.
    """
    known = ", ".join(repr(member.value) for member in cls)
    return FieldValueError(f"{value!r} is not a valid {cls.__name__}; expected one of {known}")


E = TypeVar("E", bound=enum.Enum)

# The converters to_member made: each gives back a member as it is.
_MEMBER_CONVERTERS: Final[set[Callable[[Any], Any]]] = set()


def to_member(cls: type[E], value: Any) -> E | Any:
    """``value`` as a member of enum ``cls`` when it is a member's value, else unchanged.

    egovplan's one policy for enum fields: a member or its value is accepted everywhere
    (``Rule(severity="error")``, ``BudgetLine(category="investment")``,
    ``Target(comparator=">=")``), and whatever the enum's own lookup accepts besides
    (a comparator's code, ``"ge"``). Anything else is left as it is, for the field's
    validator (:func:`member`) to refuse with the field's name. A field's converter
    calls this and is marked with :func:`member_converters`.
    """
    if type(value) is str:
        try:
            return cls(value)
        except ValueError:
            return value
    return value


def member_converters(*converters: Callable[[Any], Any]) -> None:
    """Mark ``converters`` (each calls :func:`to_member`): they give a member back unchanged.

    The loaders that set a model's slots directly (:mod:`egovplan.serialization`) may then
    skip them for a value that is a member already.
    """
    _MEMBER_CONVERTERS.update(converters)


def is_member_converter(converter: object) -> bool:
    """Whether ``converter`` is marked by :func:`member_converters` (members pass unchanged)."""
    return converter in _MEMBER_CONVERTERS


def member(cls: type[enum.Enum], *, optional: bool = False) -> Validator:
    """Check a member of enum ``cls`` (or ``None`` when ``optional``), after :func:`to_member`.

    A text that is no member's value is a :class:`FieldValueError` listing the values;
    any other type a :class:`FieldTypeError`.
    """
    known = ", ".join(repr(item.value) for item in cls)
    expected = f"{cls.__name__} or None" if optional else cls.__name__

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is cls or (optional and value is None):
            return
        if isinstance(value, str):
            raise field_value_error(inst, attribute, f"must be one of {known}, not {value!r}")
        raise field_type_error(inst, attribute, value, expected)

    def inline(v: str, n: Callable[[object], str]) -> str:
        test = f"type({v}) is {n(cls)}"
        return f"({v} is None or {test})" if optional else test

    return declare(check, inline=inline, implied=True)


def where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    """``"FundingSource.amount"``: the class and field an error is about."""
    return f"{type(instance).__name__}.{attribute.name}"


def _kind(value: object) -> str:
    return "None" if value is None else type(value).__name__


def field_type_error(
    instance: object,
    attribute: attrs.Attribute[Any],
    value: object,
    expected: str,
    *,
    index: int | None = None,
) -> FieldTypeError:
    """The error for a field (or item ``index`` of it) given a value of the wrong type."""
    hint = ""
    if isinstance(value, float):
        hint = "; floats are never accepted, pass Decimal, int or str"
    at = where(instance, attribute) + ("" if index is None else f"[{index}]")
    return FieldTypeError(f"{at} must be {expected}, not {_kind(value)} ({_short(value)}){hint}")


def field_value_error(
    instance: object, attribute: attrs.Attribute[Any], message: str, *, index: int | None = None
) -> FieldValueError:
    """The error for a field (or item ``index`` of it) given an impossible value."""
    at = where(instance, attribute) + ("" if index is None else f"[{index}]")
    return FieldValueError(f"{at} {message}")


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _name(cls: type | tuple[type, ...]) -> str:
    if isinstance(cls, tuple):
        return " or ".join(c.__name__ for c in cls)
    return cls.__name__


def instance(cls: type | tuple[type, ...], *, optional: bool = False) -> Validator:
    """Check ``isinstance(value, cls)`` (``None`` passes too when ``optional``)."""
    expected = _name(cls) + (" or None" if optional else "")

    if optional:

        def check_optional(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
            if value is not None and not isinstance(value, cls):
                raise field_type_error(inst, attribute, value, expected)

        return declare(
            check_optional,
            inline=lambda v, n: f"({v} is None or {_instance_inline(v, n, cls)})",
            implied=True,
        )

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            raise field_type_error(inst, attribute, value, expected)

    return declare(check, inline=lambda v, n: _instance_inline(v, n, cls), implied=True)


def _instance_inline(v: str, n: Callable[[object], str], cls: type | tuple[type, ...]) -> str:
    # The exact class first: a type() test is cheaper than isinstance().
    if isinstance(cls, tuple):
        return f"isinstance({v}, {n(cls)})"
    return f"(type({v}) is {n(cls)} or isinstance({v}, {n(cls)}))"


def text(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a ``str`` (empty allowed)."""
    if not isinstance(value, str):
        raise field_type_error(inst, attribute, value, "str")


declare(text, inline=lambda v, n: f"type({v}) is str", exact=True)


def optional_text(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a ``str`` or ``None``."""
    if value is not None and not isinstance(value, str):
        raise field_type_error(inst, attribute, value, "str or None")


declare(optional_text, inline=lambda v, n: f"({v} is None or type({v}) is str)", exact=True)


def text_or_labels(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a ``str`` (in the document's language) or :class:`~egovplan.labels.Labels`."""
    if not isinstance(value, str | Labels):
        raise field_type_error(inst, attribute, value, "str or Labels")


def _text_or_labels_inline(v: str, n: Callable[[object], str]) -> str:
    return f"(type({v}) is str or type({v}) is {n(Labels)})"


declare(text_or_labels, inline=_text_or_labels_inline)


def check_id(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check an id or a code: a non-empty ``str`` without surrounding whitespace."""
    if not isinstance(value, str):
        raise field_type_error(inst, attribute, value, "str")
    if not value or value != value.strip():
        raise _bad_id(inst, attribute, value)


declare(check_id, inline=_id_inline, share=True, exact=True)


def unique_id(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check an id (as :func:`check_id`) unique among its kind: loaders share no copy of it.

    For the ids of records that come by the thousand (budget lines): keeping one object
    per value would keep every one.
    """
    check_id(inst, attribute, value)


def _ids_ok(values: list[Any]) -> bool:
    """Whether every value of ``values`` is an id, by loops in C (a bulk check)."""
    return (
        set(map(type, values)) <= _STR_TYPE
        and "" not in values
        and list(map(str.strip, values)) == values
    )


declare(unique_id, inline=_id_inline, exact=True, bulk=_ids_ok)


def _bad_id(
    inst: Any, attribute: attrs.Attribute[Any], value: str, index: int | None = None
) -> ValueError:
    return field_value_error(
        inst,
        attribute,
        f"must be a non-empty id without surrounding spaces, not {value!r}",
        index=index,
    )


def optional_id(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check an id, or ``None``."""
    if value is not None:
        if not isinstance(value, str):
            raise field_type_error(inst, attribute, value, "str or None")
        if not value or value != value.strip():
            raise _bad_id(inst, attribute, value)


declare(
    optional_id,
    inline=lambda v, n: f"({v} is None or {_id_inline(v, n)})",
    share=True,
    exact=True,
)


def check_year(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a calendar year (an ``int`` in the range periods allow)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise field_type_error(inst, attribute, value, "int (a year)")
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise field_value_error(inst, attribute, f"{value} is outside {MIN_YEAR}..{MAX_YEAR}")


def optional_year(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a year or ``None``."""
    if value is not None and (
        type(value) is not int or not MIN_YEAR <= value <= MAX_YEAR  # fast path: a plain int
    ):
        check_year(inst, attribute, value)


_YEAR_SCHEMA: Final = {"minimum": MIN_YEAR, "maximum": MAX_YEAR}
declare(
    check_year,
    inline=lambda v, n: f"(type({v}) is int and {MIN_YEAR} <= {v} <= {MAX_YEAR})",
    share=True,
    schema=_YEAR_SCHEMA,
    exact=True,
)
declare(
    optional_year,
    inline=lambda v, n: f"({v} is None or (type({v}) is int and {MIN_YEAR} <= {v} <= {MAX_YEAR}))",
    share=True,
    schema=_YEAR_SCHEMA,
    exact=True,
)


def _all_of(value: Any, cls: type | tuple[type, ...]) -> bool:
    """Whether ``value`` is a tuple of instances of ``cls`` (an inline form's helper)."""
    return type(value) is tuple and all(map(isinstance, value, itertools.repeat(cls)))


def _all_ids(value: Any) -> bool:
    """Whether ``value`` is a tuple of ids (an inline form's helper), by loops in C.

    ``str.strip`` gives back the very object when there is nothing to strip, so one
    comparison of lists checks every item.
    """
    return (
        type(value) is tuple
        and set(map(type, value)) <= _STR_TYPE
        and "" not in value
        and list(map(str.strip, value)) == list(value)
    )


def tuple_of(cls: type | tuple[type, ...]) -> Validator:
    """Check a ``tuple`` whose items are all instances of ``cls``."""
    expected = f"a tuple of {_name(cls)}"

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not tuple:
            raise field_type_error(inst, attribute, value, expected)
        for item in value:
            if not isinstance(item, cls):
                break
        else:
            return
        for index, item in enumerate(value):
            if not isinstance(item, cls):
                raise field_type_error(inst, attribute, item, _name(cls), index=index)

    return declare(check, inline=lambda v, n: f"{n(_all_of)}({v}, {n(cls)})", implied=True)


tuple_of_text: Final = tuple_of(str)


def tuple_of_ids(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a ``tuple`` of ids (each as :func:`check_id` wants it), naming a bad item."""
    tuple_of_text(inst, attribute, value)
    for index, item in enumerate(value):
        if not item or item != item.strip():
            raise _bad_id(inst, attribute, item, index)


declare(
    tuple_of_ids,
    inline=lambda v, n: f"{n(_all_ids)}({v})",
    share=True,
    exact=True,
)


def items_of(value: Any, cls: type[T] | tuple[type, ...], where: str) -> tuple[T, ...]:
    """An argument that must be an iterable of ``cls``, as a tuple.

    Raises:
        FieldTypeError: naming ``where`` (``"rank_changes() observations"``), when
            ``value`` is not iterable (or is a str) or an item is not a ``cls``.
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise FieldTypeError(f"{where} must be an iterable of {_name(cls)}, not {_kind(value)}")
    items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, cls):
            raise FieldTypeError(
                f"{where}[{index}] must be {_name(cls)}, not {_kind(item)} ({_short(item)})"
            )
    return items


def to_tuple(value: Any) -> Any:
    """Converter: an iterable (not a str) becomes a tuple; anything else passes through.

    What passes through is left for the validator (:func:`tuple_of`) to reject by name.
    """
    if isinstance(value, tuple | str | bytes):
        return value
    if isinstance(value, Iterable):
        return tuple(value)
    return value


def _to_decimal(value: Any) -> Any:
    # int -> Decimal; anything else is left for the validator to reject by name. A number
    # far longer than MAX_DIGITS is not converted (converting a huge int takes quadratic
    # time): the validator rejects it.
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > 4 * MAX_DIGITS:
            return _TooLong(value.bit_length() * 30103 // 100000 + 1)  # log10(2) = 0.30103
        return Decimal(value)
    if isinstance(value, str):
        if len(value) > 2 * MAX_DIGITS + 20:
            return _TooLong(sum(char.isdigit() for char in value))
        try:
            return Decimal(value.strip().replace("_", ""))
        except ArithmeticError:
            return value
    return value


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Converter: ``int`` and decimal ``str`` become ``Decimal``; other values pass through."""
    return cast(Decimal, _to_decimal(value))


def to_optional_decimal(value: Decimal | int | str | None) -> Decimal | None:
    """Converter: like :func:`to_decimal`, keeping ``None``."""
    return cast("Decimal | None", _to_decimal(value))


def number_problem(value: Decimal | _TooLong) -> str | None:
    """What is wrong with a number (after :func:`to_decimal`) for a decimal field, if anything.

    Not finite, more than :data:`MAX_DIGITS` digits, or a magnitude outside
    ``1E-MAX_EXPONENT..1E+MAX_EXPONENT``; ``None`` for a good number.
    """
    if isinstance(value, _TooLong):
        return f"has too many digits (about {value.digits}; at most {MAX_DIGITS})"
    if not value.is_finite():
        return f"must be a finite number, not {value}"
    if len(value.as_tuple().digits) > MAX_DIGITS:
        return f"has too many digits ({len(value.as_tuple().digits)}; at most {MAX_DIGITS})"
    if value and abs(value.adjusted()) > MAX_EXPONENT:
        return (
            f"{value} is out of range (a number's magnitude lies between"
            f" 1E-{MAX_EXPONENT} and 1E+{MAX_EXPONENT})"
        )
    return None


def _check_decimal(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal | _TooLong):
        raise field_type_error(inst, attribute, value, "Decimal (or int or decimal str)")
    problem = number_problem(value)
    if problem is not None:
        raise field_value_error(inst, attribute, problem)


def decimal(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a finite ``Decimal`` (after :func:`to_decimal`)."""
    _check_decimal(inst, attribute, value)


def optional_decimal(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a finite ``Decimal`` or ``None``."""
    if value is not None:
        _check_decimal(inst, attribute, value)


def _decimal_ok(value: Any) -> bool:
    """Whether ``value`` passes :func:`decimal` (an inline form's helper)."""
    return type(value) is Decimal and number_problem(value) is None


declare(decimal, inline=lambda v, n: f"{n(_decimal_ok)}({v})")
declare(optional_decimal, inline=lambda v, n: f"({v} is None or {n(_decimal_ok)}({v}))")


def percent(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a ``Decimal`` percentage in 0..100."""
    _check_decimal(inst, attribute, value)
    if not 0 <= value <= HUNDRED:
        raise field_value_error(inst, attribute, f"is a percent and must be in 0..100, not {value}")


declare(percent, inline=lambda v, n: f"({n(_decimal_ok)}({v}) and 0 <= {v} <= 100)")


def money(*, optional: bool = False, nonnegative: bool = True, share: bool = True) -> Validator:
    """Check a :class:`~egovplan.money.Money` (not negative unless allowed).

    With ``share``, loaders keep one Money for each amount a document writes alike
    (sources, totals: few); without, each record gets a Money of its own, made next to it
    (budget lines: many, and passes over them run faster when each line's amount lies
    next to the line).
    """
    expected = "Money" + (" or None" if optional else "")

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if type(value) is not Money and not isinstance(value, Money):
            raise field_type_error(inst, attribute, value, expected)
        if nonnegative and value.amount < 0:
            raise field_value_error(inst, attribute, f"must not be negative, got {value}")

    def inline(v: str, n: Callable[[object], str]) -> str:
        # is_signed(): stricter than the check (it refuses -0, which then goes the long
        # way) and cheaper than a comparison.
        sign = f" and not {v}.amount.is_signed()" if nonnegative else ""
        test = f"type({v}) is {n(Money)}{sign}"
        return f"({v} is None or ({test}))" if optional else f"({test})"

    # Without the sign, the check says no more than the type: a Money a hook made holds it.
    return declare(check, inline=inline, share=share, implied=not nonnegative)


def pairs_of_decimal(*, percent_values: bool = False) -> Validator:
    """Check a tuple of ``(str id, Decimal)`` pairs with distinct ids."""

    def check(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not tuple:
            raise field_type_error(inst, attribute, value, "a tuple of (id, Decimal) pairs")
        seen: set[str] = set()
        for index, pair in enumerate(value):
            if (
                type(pair) is not tuple
                or len(pair) != 2
                or not isinstance(pair[0], str)
                or not isinstance(pair[1], Decimal | _TooLong)
            ):
                raise field_type_error(inst, attribute, pair, "an (id, Decimal) pair", index=index)
            key, number = pair
            problem = number_problem(number)
            if problem is not None:
                raise field_value_error(inst, attribute, problem, index=index)
            if percent_values and not 0 <= number <= HUNDRED:
                raise field_value_error(
                    inst,
                    attribute,
                    f"is a percent and must be in 0..100, not {number}",
                    index=index,
                )
            if key in seen:
                raise field_value_error(
                    inst, attribute, f"repeats {key!r}; each id may appear once", index=index
                )
            seen.add(key)

    return check


def to_decimal_pairs(
    value: tuple[tuple[str, Decimal | int | str], ...],
) -> tuple[tuple[str, Decimal], ...]:
    """Converter: the numbers of ``(id, number)`` pairs become ``Decimal``.

    Anything that is not a tuple of pairs passes through for the validator to reject.
    """
    if type(value) is not tuple:
        return cast("tuple[tuple[str, Decimal], ...]", value)
    out: list[Any] = []
    for pair in value:
        if type(pair) is tuple and len(pair) == 2 and not isinstance(pair[1], Decimal):
            out.append((pair[0], _to_decimal(pair[1])))
        else:
            out.append(pair)
    return tuple(out)


def check_date(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Check a ``datetime.date`` (not a ``datetime``) or ``None``."""
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise field_type_error(inst, attribute, value, "datetime.date or None")


declare(
    check_date,
    inline=lambda v, n: f"({v} is None or type({v}) is {n(dt.date)})",
)
