"""Code derived from the models: the fast loaders and JSON record writers, generated once per class.

Nothing here names a model or a field. What a class's fields are comes from
``attrs.fields``, their types from its annotations, and what each check is from the
field's validator and its declaration (:func:`egovplan._fields.declare`): a declared
check is tested inline, any other validator is called, as the constructor calls it. So a
field added to a model, or a check tightened on it, holds on every load route without an
edit here.

The code is compiled as attrs compiles its methods: its source is kept in
:mod:`linecache` under a file name of its own (``<egovplan generated structure
BudgetLine>``), so that tracebacks and debuggers show the generated lines. The compiled
code is kept for later processes as Python keeps ``.pyc`` files (:mod:`egovplan._pycache`).
"""

from __future__ import annotations

import enum
import functools
import itertools
import linecache
import operator
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Final, Union, get_args, get_origin

import attrs

from egovplan import _fields
from egovplan._pycache import code_of

__all__ = [
    "Inline",
    "Loaders",
    "Names",
    "Rows",
    "compile_function",
    "field_checks",
    "forget_written",
    "is_plain_model",
    "slot_builder",
    "structure_functions",
    "typed_type",
    "unwrap_optional",
]

#: The plain types JSON, YAML and TOML give as they are: taken by an exact type test.
_PLAIN: Final = (str, int, bool)


def compile_function(name: str, lines: list[str], namespace: dict[str, Any], filename: str) -> Any:
    """Compile ``lines`` defining the function ``name``, kept in linecache as ``filename``."""
    source = "\n".join(lines) + "\n"
    code = code_of(source, filename)  # (compiled, or as an earlier process compiled it)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(code, namespace)
    return namespace[name]


class Names:
    """The namespace of generated code: each object put in it gets a name of its own."""

    __slots__ = ("_ids", "namespace")

    def __init__(self, namespace: dict[str, Any] | None = None) -> None:
        self.namespace: dict[str, Any] = {} if namespace is None else namespace
        self._ids: dict[int, str] = {}

    def __call__(self, value: object) -> str:
        name = self._ids.get(id(value))
        if name is None:
            name = self._ids[id(value)] = f"_n{len(self._ids)}"
            self.namespace[name] = value
        return name


@attrs.frozen
class Inline:
    """A type's conversion written into the generated loop instead of a call of its hook.

    Attributes:
        prologue: statements run once per loop (before the first record).
        body: given the expression of the raw value, the variable to set and the
            statement that sends the record the long way, the statements converting it
            (they may assume the raw value is not None, and with ``exact``, that it is
            exactly of that type).
        namespace: the names the prologue uses.
        exact: the type of the raw values the body converts, or None for any: a value
            of another type (None, or one left out, among them) is then tested apart,
            after that type's test, and any other than those converted by the type's
            hook.
    """

    prologue: tuple[str, ...]
    body: Callable[[str, str, str, Names], list[str]]
    namespace: Mapping[str, Any] = attrs.field(factory=dict)
    exact: type | None = None


def unwrap_optional(type_: Any) -> tuple[Any, bool]:
    """``(X, True)`` for ``X | None``, else ``(type_, False)``."""
    if get_origin(type_) in (Union, types.UnionType):
        args = get_args(type_)
        if len(args) == 2 and type(None) in args:
            return next(arg for arg in args if arg is not type(None)), True
    return type_, False


def field_checks(field: attrs.Attribute[Any]) -> tuple[Any, ...]:
    """The validators of ``field``, those given as a list (``and_``) one by one."""
    validator = field.validator
    if validator is None:
        return ()
    inner = getattr(validator, "_validators", None)  # attrs.validators.and_
    if isinstance(inner, tuple):
        return tuple(item for check in inner for item in _flat(check))
    return (validator,)


def shares_values(field: attrs.Attribute[Any]) -> bool:
    """Whether a field's checks are declared to share equal values.

    Ids and years that many records repeat: loaders keep one object per value, writers
    one text per value.
    """
    return any(
        fast is not None and fast.share
        for fast in (_fields.declared(check) for check in field_checks(field))
    )


def _flat(check: Any) -> tuple[Any, ...]:
    inner = getattr(check, "_validators", None)
    if isinstance(inner, tuple):
        return tuple(item for sub in inner for item in _flat(sub))
    return (check,)


def is_plain_model(cls: type) -> bool:
    """Whether ``cls`` is a slotted attrs class whose ``__init__`` attrs wrote, fields by name.

    Only such a class is built by the generated loop (a new object whose slots are set as
    its ``__init__`` sets them); any other is always built by its constructor.
    """
    if not attrs.has(cls) or "__dict__" in dir(cls):
        return False
    init = cls.__dict__.get("__init__")
    code = getattr(init, "__code__", None)
    if code is None or not code.co_filename.startswith("<attrs generated"):
        return False
    return all(
        field.init and field.alias == field.name and not getattr(field.default, "takes_self", False)
        for field in attrs.fields(cls)
    )


def _default(field: attrs.Attribute[Any]) -> tuple[bool, Any, bool]:
    """``(has_default, default, is_factory)`` of ``field``."""
    default: Any = field.default
    if default is attrs.NOTHING:
        return False, None, False
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return True, default.factory, True
    return True, default, False


def structure_functions(
    cls: type,
    *,
    hook: Callable[[Any], Callable[[Any, Any], Any]],
    slow: Callable[[Any], Any],
    sharer: Callable[[], dict[Any, Any] | None],
    retry: type[Exception],
    inline_types: Mapping[Any, Inline],
    typed: type | None = None,
) -> Loaders:
    """The generated functions reading a list of ``cls`` records, and one record.

    Args:
        cls: a plain model class (:func:`is_plain_model`).
        hook: the structure hook of a type (looked up on first use of the field's type).
        slow: builds one record the long way, through the constructor (its errors say
            what is wrong).
        sharer: the dict of the values and records kept once in this conversion (None
            outside a conversion).
        retry: raised when the value is not a list at all, or when a bulk check of
            typed records fails.
        inline_types: conversions written into the loop for some types (Money).
        typed: the class of records a typed reader decoded (``records()`` handing them
            out once, ``values(item)`` giving the fields in model order, ``absent`` for
            one left out), also taken. The reader decodes the fields :func:`typed_type`
            names as exactly that type (or None, or left out): the loop tests no type of
            them.

    Each function is written and compiled when it is first asked for (:class:`Loaders`).
    Each record whose fields have exactly the plain types their annotations name and pass
    their checks is built without running the declared checks again; undeclared
    validators and ``__attrs_post_init__`` run as the constructor runs them; any other
    record goes through ``slow``. A record is built as attrs' ``__init__`` builds it,
    its slots set one by one (through :func:`slot_builder` when Python allows it). A
    required field whose declared check refuses None and any foreign object is left to
    that check when missing. The values of fields whose checks are declared
    ``share`` are kept once per conversion, and checked once per value. A *value
    record*, one without an ``id`` field (an assignment, a schedule), is kept once per
    conversion for each spelling of its fields (the same values of the same types):
    records are immutable.
    """
    names = Names(
        {
            "_new": object.__new__,
            "_cls": cls,
            "_slow": slow,
            "_sharer": sharer,
            "_Retry": retry,
            "_typed": typed,
            "_missing": _MISSING,
        }
    )
    fields = attrs.fields(cls)
    hints = typing.get_type_hints(cls)
    interned = "id" not in attrs.fields_dict(cls)
    builder = slot_builder(cls)
    names.namespace["_builder"] = builder
    prologue: list[str] = [
        "shared = _sharer()",
        "if shared is None:",
        "    shared = {}",
        "share = shared.setdefault",
    ]
    used_inline: dict[int, Inline] = {}
    plans = []
    seen: dict[int, str] = {}  # per check: the set of values seen to pass it
    # The sets of values of a check some optional field (default None) shares: a typed
    # record's marker of a field left out is kept in them as None.
    absent_none_sets: set[str] = set()
    for field in fields:
        type_, optional = unwrap_optional(hints[field.name])
        declarations = [(check, _fields.declared(check)) for check in field_checks(field)]
        shared_field = shares_values(field)
        if type_ in inline_types and not shared_field:
            used_inline[id(inline_types[type_])] = inline_types[type_]
        if shared_field and _plain_or_tuple(type_):
            for check, fast in declarations:
                if fast is not None and fast.inline is not None and id(check) not in seen:
                    seen[id(check)] = name = f"ok_{len(seen)}"
                    prologue.append(f"{name} = shared.get({names(check)})")
                    prologue.append(f"if {name} is None:")
                    prologue.append(f"    {name} = shared[{names(check)}] = {{}}")
                if id(check) in seen and optional and field.default is None:
                    absent_none_sets.add(seen[id(check)])
        plans.append((field, type_, optional, declarations, shared_field))
    for inline in used_inline.values():
        prologue.extend(inline.prologue)
        names.namespace.update(inline.namespace)
    # The required fields whose declared check refuses a value left out or null: no
    # test of their own for it.
    judged = {
        field.name
        for field, type_, _optional, declarations, shared_field in plans
        if type_ in _PLAIN
        and field.converter is None
        and _default(field)[0] is False
        and any(
            fast is not None
            and fast.inline is not None
            and seen.get(id(check)) not in absent_none_sets
            and _refuses_missing(fast)
            for check, fast in declarations
        )
    }

    bulk: dict[str, Any] = {}  # per field checked in bulk: its check of many values
    for field, _type, _optional, declarations, shared_field in plans:
        for _check, fast in declarations:
            if fast is not None and fast.bulk is not None and not shared_field:
                bulk[field.name] = fast.bulk
    loop_prologue = [f"b_{name} = []" for name in bulk]
    loop_epilogue = [
        f"if b_{name} and not {names(check)}(b_{name}):" for name, check in bulk.items()
    ]

    def body(slow_stmt: str, typed_mode: bool, done: list[str], many: bool) -> list[str]:
        out: list[str] = []
        if interned:
            key = ", ".join(f"r_{field.name}, type(r_{field.name})" for field in fields)
            out += [
                f"key = (_cls, {key})",
                "try:",
                "    obj = shared.get(key)",
                "except TypeError:",
                "    key = obj = None",
                "if obj is not None:",
                *("    " + line for line in done),
            ]
        conditions: list[str] = []
        after: list[str] = []
        sets: list[str] = []
        for field, type_, optional, declarations, shared_field in plans:
            name = field.name
            raw, value = f"r_{name}", f"c_{name}"
            has_default, default, factory = _default(field)
            default_text = (
                f"{names(default)}()" if factory else "None" if default is None else names(default)
            )
            plain = type_ in _PLAIN
            # What a typed reader gives this field as (exactly that type, None or left
            # out), or None: any value.
            decoded = typed_type(field, hints[name]) if typed_mode else None
            # A shared plain field left out of a typed record: the kept value of the
            # marker is None (set once per loop), so sharing it makes it None.
            absent_shared = typed_mode and shared_field and plain and optional and default is None
            # Left out of a typed record, an optional field whose default is None reads as
            # None: the conversion below tests for both at once.
            absent_none = typed_mode and has_default and optional and default is None
            none_test = f"{raw} is _absent or {raw} is None" if absent_none else f"{raw} is None"
            inline = inline_types.get(type_) if not shared_field else None
            exact_inline = inline is not None and inline.exact is not None
            if not has_default and (name in judged or exact_inline):
                # A required field left out or null: its check refuses it (it refuses
                # None and any foreign object), so it goes the long way there.
                pass
            elif typed_mode and not absent_shared and not (absent_none and not plain):
                if has_default:
                    out.append(f"if {raw} is _absent:")
                    out.append(f"    {raw} = None")
                    if not optional:
                        out.append(f"elif {raw} is None:")
                        out.append(f"    {slow_stmt}")
                else:
                    out.append(f"if {raw} is _absent or {raw} is None:")
                    out.append(f"    {slow_stmt}")
            elif not has_default:
                out.append(f"if {raw} is None:")
                out.append(f"    {slow_stmt}")
            # Convert: an exact plain type, a tuple of them, an inline conversion or a hook
            # (which keeps one object per text for a shared field: Money of sources).
            absent_value = default_text if has_default else "None"
            item_type = None
            if get_origin(type_) is tuple and len(get_args(type_)) == 2:
                item_type = get_args(type_)[0] if get_args(type_)[1] is Ellipsis else None
            exact = any(fast is not None and fast.exact for _, fast in declarations)
            if plain:
                if has_default and default is not None:
                    out.append(f"{value} = {absent_value} if {raw} is None else {raw}")
                else:
                    value = raw  # taken as it is
                if not exact and decoded is None:
                    test = f"type({value}) is {type_.__name__}"
                    conditions.append(f"({value} is None or {test})" if optional else test)
            elif item_type in _PLAIN:
                out.append(f"if {none_test}:")
                out.append(f"    {value} = {absent_value}")
                out.append(f"elif type({raw}) is list:")
                out.append(f"    {value} = tuple({raw})")
                out.append("else:")
                out.append(f"    {slow_stmt}")
                if not exact:
                    test = f"{names(_exact_items)}({value}, {names(item_type)})"
                    conditions.append(f"({value} is None or {test})" if optional else test)
            elif inline is not None and inline.exact is not None:
                # The exact type first: the values it takes need no other test.
                structure = names(_Lazy(hook, type_, names.namespace))
                out.append(f"if type({raw}) is not {names(inline.exact)}:")
                if has_default:
                    out.append(f"    if {none_test}:")
                    out.append(f"        {value} = {absent_value}")
                    out.append("    else:")
                    out.append(f"        {value} = {structure}({raw}, {names(type_)})")
                else:  # a required field left out or null goes the long way
                    missing = f"{raw} is _absent or {raw} is None" if typed_mode else none_test
                    out.append(f"    if {missing}:")
                    out.append(f"        {slow_stmt}")
                    out.append(f"    {value} = {structure}({raw}, {names(type_)})")
                out.append("else:")
                out.extend("    " + line for line in inline.body(raw, value, slow_stmt, names))
            elif inline is not None:
                lines = inline.body(raw, value, slow_stmt, names)
                if has_default:  # a required field's None went the long way above
                    out.append(f"if {none_test}:")
                    out.append(f"    {value} = {absent_value}")
                    out.append("else:")
                    out.extend("    " + line for line in lines)
                else:
                    out.extend(lines)
            else:
                # The hook, bound to the name itself on first use.
                structure = names(_Lazy(hook, type_, names.namespace))
                call = f"{structure}({raw}, {names(type_)})"
                if decoded is not None and absent_none:
                    # A member, None, or left out (which reads as None).
                    out.append(f"{value} = None if {raw} is _absent else {raw}")
                elif decoded is not None and has_default:
                    out.append(f"{value} = {absent_value} if {raw} is None else {raw}")
                elif decoded is not None:
                    value = raw  # a member: a required field's None went the long way
                else:
                    # A required field's None went the long way above.
                    clauses = [(none_test, absent_value)] if has_default else []
                    if isinstance(type_, type) and issubclass(type_, enum.Enum):
                        # A member (as a typed reader gives it), or one by its value,
                        # looked up here; any other spelling by its hook.
                        members = names({m.value: m for m in type_ if type(m.value) is str})
                        clauses.append((f"type({raw}) is {names(type_)}", raw))
                        clauses.append(
                            (f"type({raw}) is str and {raw} in {members}", f"{members}[{raw}]")
                        )
                    for index, (condition, made) in enumerate(clauses):
                        out.append(f"{'elif' if index else 'if'} {condition}:")
                        out.append(f"    {value} = {made}")
                    if clauses:
                        out.append("else:")
                        out.append(f"    {value} = {call}")
                    else:
                        out.append(f"{value} = {call}")
            shared_plain = shared_field and _plain_or_tuple(type_)
            # A value a hook (or an inline conversion) made is of the field's type: a
            # check that says no more than that holds already.
            converted = (
                not plain
                and item_type not in _PLAIN
                and (isinstance(type_, type) or isinstance(item_type, type))
            )
            converter = field.converter
            if converter is not None and not (
                converted and _fields.is_member_converter(converter)
            ):  # an enum's hook made a member already, which the converter keeps
                out.append(f"{value} = {names(converter)}({value})")
            inlined = [fast for _, fast in declarations if fast is not None and fast.inline]
            # One shared check: a dict per check holds the values seen to pass it, each
            # with the object kept for it, so that a value seen before costs one lookup.
            by_dict = shared_plain and len(inlined) == 1
            if by_dict:
                pass
            elif absent_shared or (shared_plain and not optional):
                out.append(f"{value} = share({value}, {value})")
            elif shared_plain:
                out.append(f"if {value} is not None:")
                out.append(f"    {value} = share({value}, {value})")
            for check, fast in declarations:
                if fast is not None and fast.implied and converted:
                    continue
                if fast is not None and fast.inline is not None:
                    if by_dict:
                        # The kept object of a value seen to pass: a lookup. A value of
                        # another type equal to one (2024.0 and 2024) must not pass as
                        # it: a typed reader gives the exact type, else it is compared.
                        passed, kept = seen[id(check)], f"c_{name}"
                        out.append("try:")
                        out.append(f"    {kept} = {passed}[{value}]")
                        out.append("except KeyError:")
                        out.append(f"    if not {fast.inline(value, names)}:")
                        out.append(f"        {slow_stmt}")
                        out.append(f"    {kept} = {passed}[{value}] = share({value}, {value})")
                        if decoded is None and item_type is None and type_ is not str:
                            out.append(f"if type({kept}) is not type({value}):")
                            out.append(f"    {slow_stmt}")
                        elif decoded is None and item_type not in (None, str):
                            exact_items = f"{names(_exact_items)}({kept}, {names(item_type)})"
                            out.append(f"if not ({kept} is None or {exact_items}):")
                            out.append(f"    {slow_stmt}")
                        value = kept
                    elif shared_plain:
                        # Checked once per value: the values seen to pass, per check.
                        passed = seen[id(check)]
                        out.append(f"if {value} not in {passed}:")
                        out.append(f"    if not {fast.inline(value, names)}:")
                        out.append(f"        {slow_stmt}")
                        out.append(f"    {passed}[{value}] = {value}")
                    elif many and name in bulk and fast.bulk is bulk[name]:
                        sets.append(f"b_{name}.append({value})")  # checked after the loop
                    else:
                        conditions.append(fast.inline(value, names))
                else:
                    after.append(f"{names(check)}(obj, {names(field)}, {value})")
            if builder is not None:
                sets.append(f"obj.{name} = {value}")
            else:
                slot = next(k.__dict__[name] for k in cls.__mro__ if name in k.__dict__)
                sets.append(f"{names(slot.__set__)}(obj, {value})")
        if conditions:
            out.append("if not (")
            out.extend(f"    {condition} and" for condition in conditions[:-1])
            out.append(f"    {conditions[-1]}")
            out.append("):")
            out.append(f"    {slow_stmt}")
        if builder is not None:
            out.append("obj = _new(_builder)")
            out.extend(sets)
            out.append("obj.__class__ = _cls")
        else:
            out.append("obj = _new(_cls)")
            out.extend(sets)
        out.extend(after)
        if hasattr(cls, "__attrs_post_init__"):
            out.append("obj.__attrs_post_init__()")
        if interned:
            out += ["if key is not None:", "    shared[key] = obj"]
        return out

    required = sum(1 for field in fields if _default(field)[0] is False)
    counted = " + ".join(f"(r_{field.name} is not None)" for field in fields if _default(field)[0])
    length = f"len(data) != {required}{' + ' + counted if counted else ''}"
    reads = [f"r_{field.name} = get({field.name!r})" for field in fields]
    # A field's bulk check fails: the constructors judge the records (the first of them
    # that fails raises, and the detailed pass says where).
    epilogue = [line for check in loop_epilogue for line in (check, "    return _again(value)")]

    def loop_lines() -> list[str]:
        loop_body = body("append(_slow(data)); continue", False, ["append(obj)", "continue"], True)
        lines = [f"def structure_{cls.__name__}(value, _=None):"]
        if typed is not None:
            lines += ["    if type(value) is _typed:", "        return _typed_loop(value)"]
        return [
            *lines,
            "    if type(value) is not list and type(value) is not tuple:",
            "        raise _Retry",
            *("    " + line for line in prologue),
            *("    " + line for line in loop_prologue),
            "    out = []",
            "    append = out.append",
            "    for data in value:",
            "        if type(data) is not dict:",
            "            append(_slow(data))",
            "            continue",
            "        get = data.get",
            *("        " + line for line in reads),
            f"        if {length}:",
            "            append(_slow(data))",
            "            continue",
            *("        " + line for line in loop_body),
            "        append(obj)",
            *("    " + line for line in epilogue),
            "    return tuple(out)",
        ]

    def one_lines() -> list[str]:
        one_body = body("return _slow(data)", False, ["return obj"], False)
        return [
            f"def one_{cls.__name__}(data, _=None):",
            "    if type(data) is not dict:",
            "        return _slow(data)",
            *("    " + line for line in prologue),
            "    get = data.get",
            *("    " + line for line in reads),
            f"    if {length}:",
            "        return _slow(data)",
            *("    " + line for line in one_body),
            "    return obj",
        ]

    field_names = tuple(field.name for field in fields)

    def typed_lines() -> list[str]:
        unpack = ", ".join(f"r_{name}" for name in field_names) + ","
        slow_typed = f"append(_slow({names(_typed_data)}({names(field_names)}, fields, _absent)))"
        typed_body = body(slow_typed + "; continue", True, ["append(obj)", "continue"], True)
        typed_epilogue = [
            line for check in loop_epilogue for line in (check, "    return _again_typed(typed)")
        ]
        return [
            "def _typed_loop(typed):",
            *("    " + line for line in prologue),
            "    values = typed.values",
            "    _absent = typed.absent",
            "    shared.setdefault(_absent, None)",
            *(f"    {name}[_absent] = None" for name in seen.values() if name in absent_none_sets),
            *("    " + line for line in loop_prologue),
            "    out = []",
            "    append = out.append",
            "    for fields in map(values, typed.records()):",
            f"        {unpack} = fields",
            *("        " + line for line in typed_body),
            "        append(obj)",
            *("    " + line for line in typed_epilogue),
            "    return tuple(out)",
        ]

    if typed is not None:  # written and compiled when a typed reader first gives records
        names.namespace["_typed_loop"] = _FirstCall(
            "_typed_loop",
            typed_lines,
            names.namespace,
            f"<egovplan generated structure {cls.__qualname__}, typed>",
        )
    names.namespace["_again"] = lambda value: tuple(map(slow, value))
    names.namespace["_again_typed"] = _read_again(retry)
    filename = f"<egovplan generated structure {cls.__qualname__}"
    return Loaders(
        lambda: compile_function(
            f"structure_{cls.__name__}", loop_lines(), names.namespace, f"{filename}>"
        ),
        lambda: compile_function(
            f"one_{cls.__name__}", one_lines(), names.namespace, f"{filename}, one record>"
        ),
    )


_MISSING: Final = object()  # no value seen yet


def _read_again(retry: type[Exception]) -> Callable[[Any], Any]:
    """What the typed loop does when a bulk check fails: ``retry`` the whole document.

    The loop has read its records once (:meth:`~egovplan._json_parts.TypedLines.records`
    frees them as it goes), so it cannot give them to the constructors; the caller reads
    the document again as plain data, whose loop does, and says what is wrong.
    """

    def again(_typed: Any) -> Any:
        raise retry

    return again


class Loaders:
    """The generated functions of one class, each written and compiled when first asked for.

    A load compiles only what its document needs: a class that comes in lists only never
    has its function of one record written, nor one that comes alone its loop.
    """

    __slots__ = ("_loop", "_make_loop", "_make_one", "_one")

    def __init__(
        self,
        loop: Callable[[], Callable[[Any, Any], tuple[Any, ...]]],
        one: Callable[[], Callable[[Any, Any], Any]],
    ) -> None:
        self._make_loop = loop
        self._make_one = one
        self._loop: Callable[[Any, Any], tuple[Any, ...]] | None = None
        self._one: Callable[[Any, Any], Any] | None = None

    @property
    def loop(self) -> Callable[[Any, Any], tuple[Any, ...]]:
        """The function reading a list of records (``(value, type)``), as a tuple."""
        if self._loop is None:
            self._loop = self._make_loop()
        return self._loop

    @property
    def one(self) -> Callable[[Any, Any], Any]:
        """The function reading one record (``(data, type)``)."""
        if self._one is None:
            self._one = self._make_one()
        return self._one


class _FirstCall:
    """A generated function written and compiled on its first call, then called directly.

    It stands in the generated code's namespace under the function's name, and puts the
    compiled function there in its place: later calls go straight to it. A loop that a
    load may never need (the typed reader's, for a YAML document) costs nothing until then.
    """

    __slots__ = ("_filename", "_lines", "_name", "_namespace")

    def __init__(
        self,
        name: str,
        lines: Callable[[], list[str]],
        namespace: dict[str, Any],
        filename: str,
    ) -> None:
        self._name = name
        self._lines = lines
        self._namespace = namespace
        self._filename = filename

    def __call__(self, *args: Any) -> Any:
        function = compile_function(self._name, self._lines(), self._namespace, self._filename)
        return function(*args)


def slot_builder(cls: type) -> type | None:
    """A class of ``cls``'s layout whose slots attribute assignments set, or None.

    A frozen class refuses ``obj.name = value``; setting each slot through its
    descriptor's ``__set__`` is a call (with a tuple of its arguments) per field. The
    generated loop rather builds a *builder* object, of a subclass that adds no slot
    (the same layout) and takes plain assignments, sets the slots so (``STORE_ATTR``,
    which Python specialises for slots) and then makes it a ``cls`` object
    (``obj.__class__ = cls``, which Python allows between classes of one layout): the
    very object the slots' setters would have made, at a third of the cost. The builder
    class is one of ``cls.__subclasses__()``; none of its objects leaves the loop. None,
    and the setters, if Python refuses any of that for ``cls``.
    """
    if "__slots__" not in cls.__dict__:
        return None
    try:
        builder: type = type(cls)(
            f"_{cls.__name__}Builder",
            (cls,),
            {
                "__slots__": (),
                # Both, or Python calls the __setattr__ found for every assignment.
                "__setattr__": object.__setattr__,
                "__delattr__": object.__delattr__,
                "__module__": cls.__module__,
                "__qualname__": f"_{cls.__qualname__}Builder",
            },
        )
        probe: Any = object.__new__(builder)
        for field in attrs.fields(cls):
            setattr(probe, field.name, _MISSING)
        probe.__class__ = cls
    except (TypeError, AttributeError):
        return None
    if type(probe) is not cls or any(
        getattr(probe, field.name) is not _MISSING for field in attrs.fields(cls)
    ):
        return None
    return builder


def typed_type(field: attrs.Attribute[Any], type_: Any) -> Any:
    """The type a typed reader gives ``field``'s values as (also None or left out), or None.

    A field of a plain type (``str``, ``int``, ``bool``) without a converter is decoded
    as exactly that type, an enum field as a member: a record of another type makes the
    typed reader fail (the document is then read as plain data). The generated loop of
    typed records tests no type of such a field. Any other field may hold any value.
    """
    inner, _optional = unwrap_optional(type_)
    if field.converter is None and inner in _PLAIN:
        return inner
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return inner
    return None


def _refuses_missing(fast: _fields.Fast) -> bool:
    """Whether a declared check's inline form refuses None and a foreign object."""
    return fast.inline is not None and _inline_refuses_missing(fast.inline)


@functools.cache
def _inline_refuses_missing(inline: _fields.Inline) -> bool:
    """Whether an inline check refuses None and a foreign object.

    Probed once per check (many fields of many classes share one), in a namespace of its
    own.
    """
    names = Names()
    probe = compile_function(
        "_probe",
        ["def _probe(value):", f"    return {inline('value', names)}"],
        names.namespace,
        "<egovplan generated probe>",
    )
    try:
        return not probe(None) and not probe(_MISSING)
    except Exception:  # a helper that wants its type: the field keeps its own test
        return False


class _Lazy:
    """A type's structure hook, looked up on first use (types may be recursive).

    On its first call it puts the hook itself in the generated code's namespace, under
    its own name, so that later calls go straight to the hook.
    """

    __slots__ = ("_hook", "_namespace", "_type")

    def __init__(
        self,
        hook: Callable[[Any], Callable[[Any, Any], Any]],
        type_: Any,
        namespace: dict[str, Any],
    ) -> None:
        self._hook = hook
        self._type = type_
        self._namespace = namespace

    def __call__(self, value: Any, type_: Any) -> Any:
        found = self._hook(self._type)
        for name, bound in list(self._namespace.items()):
            if bound is self:
                self._namespace[name] = found
        return found(value, type_)


def _plain_or_tuple(type_: Any) -> bool:
    """Whether values of ``type_`` are plain (``str``, ``int``, ``bool``) or tuples of them."""
    if type_ in _PLAIN:
        return True
    args = get_args(type_)
    return (
        get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] in _PLAIN
    )


def _exact_items(value: tuple[Any, ...], cls: type) -> bool:
    """Whether every item of ``value`` is exactly a ``cls`` (as plain data gives it)."""
    return set(map(type, value)) <= {cls}


def _typed_data(names: tuple[str, ...], values: tuple[Any, ...], absent: object) -> dict[str, Any]:
    """A typed record's fields as plain data (for the long way), those left out left out."""
    return {name: value for name, value in zip(names, values, strict=True) if value is not absent}


#: Renders a field's value as JSON text: given the value's expression, the text's.
Render = Callable[[str], str]

#: How a field is written in a JSON record: a plain value; a mapping or list of plain
#: values (one line, but not plain: the record then takes several lines); a list of
#: one-line records (several lines).
_LEAF: Final = 0
_ONE_LINE: Final = 1
_RECORDS: Final = 2
#: A value plain or not by its own type (text, or text per language): tested per record.
_EITHER: Final = 3

#: Given the type of a field and the namer, the render of a value that is plain or not by
#: its runtime type, and the render of the test that a value is plain (None: no such type).
Either = Callable[[Any, Names], tuple[Render, Render] | None]


#: Given the type of a field and the namer, the render of a whole column of values (the
#: expression of an iterable of them) as the expression of an iterable of their texts,
#: without a Python call per value (None: each value is written by its render).
Column = Callable[[Any, Names], Render | None]


def _no_either(type_: Any, names: Names) -> tuple[Render, Render] | None:
    return None


def _no_column(type_: Any, names: Names) -> Render | None:
    return None


class Rows:
    """Writes lists of records of one class as their JSON texts, one text a record.

    Made by :func:`json_writer` for a class whose fields are all plain (:func:`_json_rows`).
    A field whose values repeat is written through a table of texts, one per value. A
    table that passes :data:`_TEXTS_KEPT` values while a list is written (a million
    budget lines name a hundred thousand tasks) is dropped for the rest of the list if
    its field can be written as a column (ids): a table that large misses the
    processor's cache more than writing each id does. Otherwise it grows up to
    :data:`_ROW_TEXTS_KEPT`. :meth:`done` empties the tables once a list is written,
    so that nothing accumulates between dumps.
    """

    __slots__ = ("_direct", "_switchable", "_tables", "_write")

    def __init__(
        self,
        write: Callable[[Any, set[int]], list[str]],
        tables: list[_Texts],
        switchable: dict[int, _Texts],
    ) -> None:
        self._write = write
        self._tables = tables
        self._switchable = switchable
        self._direct: set[int] = set()

    def __call__(self, items: tuple[Any, ...] | list[Any]) -> list[str]:
        """The JSON text of each of ``items``, as the record writer gives it."""
        texts = self._write(items, self._direct)
        for index, table in self._switchable.items():
            if len(table) > _TEXTS_KEPT and index not in self._direct:
                self._direct.add(index)
                table.reset()
        return texts

    def done(self) -> None:
        """Empty the tables of texts (a list has been written)."""
        self._direct.clear()
        for table in self._tables:
            table.reset()


def json_writer(
    cls: type,
    *,
    leaf: Callable[[Any, Names], Render | None],
    one_line: Callable[[Any, Names], Render | None],
    shared: Callable[[attrs.Attribute[Any], Any], bool],
    general: Callable[[Any, Names], Render | None] | None = None,
    either: Either = _no_either,
    column: Column = _no_column,
) -> tuple[Callable[[Any], str], bool, Rows | None] | None:
    """The generated function writing one ``cls`` record as JSON text, or None.

    The text is what the JSON writer gives for the record's plain data (fields in model
    order, a field equal to its default left out) at the left margin: one line when
    every value written is plain, else a line per field. ``leaf(type_, names)`` renders a
    plain value of a type (None: not plain), ``one_line(type_, names)`` a value written
    on one line that is not plain (a mapping of plain values); a nested model whose
    fields are all plain is written on one line, a tuple of them as a list of such
    lines; a nested model with a nested model of its own as its own writer writes it,
    moved in to its field. ``shared(field, type_)`` says whether a field's values repeat
    enough to keep each one's text (ids, years, enum members). ``either(type_, names)``
    renders a value that is plain or not by its own type (text, or a mapping of text per
    language) and the test that it is plain: a record with such a field takes one line
    when the values it holds are plain. A field of any other kind is written by
    ``general(type_, names)`` (the writer's text of its plain data, at the field's depth)
    when it gives a render; otherwise it makes this None: the class's records are then
    written from their plain data. The second value says whether every
    field is plain (then every record takes one line); the third, for such a class, is
    the generated function writing a list of records at once, column by column
    (:func:`_json_rows`; ``column(type_, names)`` renders a column of a type's values).
    """
    names = Names()
    hints = typing.get_type_hints(cls)
    plan: list[tuple[attrs.Attribute[Any], Render, int, bool]] = []
    tests: dict[str, Render] = {}
    for field in attrs.fields(cls):
        type_, _optional = unwrap_optional(hints[field.name])
        render = leaf(type_, names)
        kind = _LEAF
        if render is None and (found := either(type_, names)) is not None:
            render, tests[field.name] = found
            kind = _EITHER
        if render is None:
            render = one_line(type_, names)
            kind = _ONE_LINE
        if render is None:
            render, kind = _nested(type_, names, leaf, one_line, shared, either)
        if render is None and general is not None:
            render, kind = general(type_, names), _RECORDS
        if render is None:
            return None
        plan.append((field, render, kind, kind == _LEAF and shared(field, type_)))
    flat = all(kind == _LEAF for _, _, kind, _ in plan)
    function = f"json_{cls.__name__}"
    lines = [f"def {function}(obj):"]
    if flat:
        pieces: list[str] = []
        for field, render, _kind, keep in plan:
            value = f"obj.{field.name}"
            has_default, default, factory = _default(field)
            prefix = f', "{field.name}": '
            if keep:
                table = names(_Texts(prefix, _compiled(render, names)))
                if has_default and default is not None:
                    text = f"{table}[{value}]"
                    omit = _omit(value, default, factory, names)
                    pieces.append(f"('' if {omit} else {text})")
                else:  # the table writes None as nothing
                    pieces.append(f"{table}[{value}]")
                continue
            text = f"{names(prefix)} + {render(value)}"
            if has_default:
                pieces.append(f"('' if {_omit(value, default, factory, names)} else {text})")
            else:
                pieces.append(f"({text})")
        joined = " + ".join(pieces) if pieces else "''"
        lines += [f"    text = {joined}", "    return '{' + text[2:] + '}'"]
    else:
        lines += ["    parts = []", "    plain = True"]
        for field, render, kind, keep in plan:
            value = f"obj.{field.name}"
            has_default, default, factory = _default(field)
            if keep and has_default and default is None:  # a table, for values not None
                table = names(_Texts(f'"{field.name}": ', _compiled(render, names)))
                lines.append(f"    if {value} is not None:")
                lines.append(f"        parts.append({table}[{value}])")
                continue
            indent = "    "
            if has_default:
                lines.append(f"    if not ({_omit(value, default, factory, names)}):")
                indent = "        "
            lines.append(
                f"{indent}parts.append({names(chr(34) + field.name + chr(34) + ': ')}"
                f" + {render(value)})"
            )
            if kind == _EITHER:
                lines.append(f"{indent}if not {tests[field.name](value)}:")
                lines.append(f"{indent}    plain = False")
            elif kind != _LEAF:
                lines.append(f"{indent}plain = False")
        lines += [
            "    if plain:",
            "        return '{' + ', '.join(parts) + '}'",
            "    return '{\\n  ' + ',\\n  '.join(parts) + '\\n}'",
        ]
    writer = compile_function(
        function, lines, names.namespace, f"<egovplan generated json {cls.__qualname__}>"
    )
    rows = _json_rows(cls, plan, column, names) if flat else None
    return writer, flat, rows


def _json_rows(
    cls: type,
    plan: list[tuple[attrs.Attribute[Any], Render, int, bool]],
    column: Column,
    names: Names,
) -> Rows:
    """The generated function writing a list of ``cls`` records, all of whose fields are plain.

    The same texts as the record writer's, made column by column: each field's values
    are taken from all the records at once (``attrgetter``), and written by a table of
    texts (a field whose values repeat), by ``column`` or by the field's render, or left
    out for all the records at once when none of them gives a value other than the
    default. Each record's text is then the join of its pieces. The loops are ``map``
    and ``zip`` over C functions: a record costs no Python call of its own unless one
    of its fields has neither a table nor a column.
    """
    body: list[str] = ["    count = len(items)"]
    tables: list[_Texts] = []
    switchable: dict[int, _Texts] = {}
    # The pieces of each record's text, in order: constant texts (keys) and columns.
    pieces: list[str] = []
    # Whether a record's first field may be left out (then its text may start "{, ").
    loose = True
    for index, (field, render, _kind, keep) in enumerate(plan):
        has_default, default, factory = _default(field)
        values = f"_map({names(operator.attrgetter(field.name))}, items)"
        prefix = f', "{field.name}": '
        name = f"c{index}"
        if keep:  # a table of prefixed texts: None and the default are written as nothing
            table = _Texts(prefix, _compiled(render, names), _ROW_TEXTS_KEPT)
            if has_default and default is not None:
                table.omit(default() if factory else default)
            tables.append(table)
            whole = column(_field_type(cls, field), names)
            if whole is None:
                body.append(f"    {name} = _map({names(table.__getitem__)}, {values})")
            else:  # each value written as it comes, once the table has grown too large
                switchable[index] = table
                lookup = names(table.__getitem__)
                nothing = " or ".join(f"v{index}.count({names(o)})" for o in table.omitted)
                body += [
                    f"    if {index} in direct:",
                    f"        v{index} = list({values})",
                    f"        if {nothing}:",
                    f"            {name} = _map({lookup}, v{index})",
                    "        else:",
                    f"            {name} = _map({names(prefix.__add__)}, {whole(f'v{index}')})",
                    "    else:",
                    f"        {name} = _map({lookup}, {values})",
                ]
        elif not has_default:
            whole = column(_field_type(cls, field), names)
            compiled = f"_map({names(_compiled(render, names))}, {values})"
            body.append(f"    {name} = {compiled if whole is None else whole(values)}")
            if not pieces:
                loose = False
                prefix = "{" + prefix[2:]
            pieces.append(f"_repeat({names(prefix)})")
        else:
            # Left out when equal to the default, as ``_omit`` tests it (``count``
            # compares by identity, then ``==``): at once when every record leaves it out.
            omitted = default() if factory else default
            one = compile_function(
                "optional",
                [
                    "def optional(value):",
                    f"    return '' if {_omit('value', default, factory, names)} else "
                    f"{names(prefix)} + {render('value')}",
                ],
                names.namespace,
                "<egovplan generated json value>",
            )
            body.append(f"    v{index} = list({values})")
            body.append(
                f"    {name} = _repeat('', count) if v{index}.count({names(omitted)}) == count"
                f" else _map({names(one)}, v{index})"
            )
        pieces.append(name)
    if loose:
        pieces.insert(0, "_repeat('{')")
    pieces.append("_repeat('}')")
    texts = f"_map(_join, _zip({', '.join(pieces)}))"
    if loose:  # "{, " starts the text of a record whose first field is written: drop ", "
        texts = f"_map({names(str.replace)}, {texts}, _repeat('{{, '), _repeat('{{'), _repeat(1))"
    function = f"rows_{cls.__name__}"
    lines = [f"def {function}(items, direct):", *body, f"    return list({texts})"]
    names.namespace.update(
        {"_map": map, "_repeat": itertools.repeat, "_zip": zip, "_join": "".join}
    )
    write = compile_function(
        function, lines, names.namespace, f"<egovplan generated json rows {cls.__qualname__}>"
    )
    return Rows(write, tables, switchable)


def _field_type(cls: type, field: attrs.Attribute[Any]) -> Any:
    """The type of ``field`` of ``cls``, ``X`` for ``X | None``."""
    return unwrap_optional(typing.get_type_hints(cls)[field.name])[0]


def _omit(value: str, default: Any, factory: bool, names: Names) -> str:
    """The condition under which a field equal to its default is left out."""
    if factory:
        default = default()
    if default is None:
        return f"{value} is None"
    name = names(default)
    return f"({value} is {name} or {value} == {name})"


def _compiled(render: Render, names: Names) -> Callable[[Any], str]:
    """``render`` as a function of the value (for a table of texts)."""
    return compile_function(  # type: ignore[no-any-return]
        "render",
        ["def render(value):", f"    return {render('value')}"],
        names.namespace,
        "<egovplan generated json value>",
    )


class _Texts(dict[Any, str]):
    """``prefix + text`` of each value looked up, ``""`` for None (a bounded cache).

    A field of many records that takes few distinct values (a source, an agency, a year)
    has each value's text made once. The cache lives as long as its writer, so it is
    emptied when it reaches ``kept`` values (:data:`_TEXTS_KEPT` unless given): what one
    process writes over its life never accumulates in it. Threads may share it: a
    value's text is always the same.
    """

    __slots__ = ("kept", "omitted", "prefix", "render")

    def __init__(self, prefix: str, render: Callable[[Any], str], kept: int = 0) -> None:
        super().__init__()
        self.prefix = prefix
        self.render = render
        self.kept = kept or _TEXTS_KEPT
        self.omitted: tuple[Any, ...] = (None,)
        self[None] = ""

    def omit(self, default: Any) -> None:
        """Write ``default`` (a field's default, left out of the record) as nothing too."""
        self.omitted += (default,)
        self[default] = ""

    def reset(self) -> None:
        """Forget every text made."""
        self.clear()
        self.update(dict.fromkeys(self.omitted, ""))

    def __missing__(self, key: Any) -> str:
        if len(self) >= self.kept:
            self.reset()
        text = self[key] = self.prefix + self.render(key)
        return text


#: The most values a writer's cache of texts keeps (see :class:`_Texts`).
_TEXTS_KEPT: Final = 4096
#: The most values kept by a table of :class:`Rows`, emptied after each list written.
_ROW_TEXTS_KEPT: Final = 1 << 17


def _nested(
    type_: Any,
    names: Names,
    leaf: Callable[[Any, Names], Render | None],
    one_line: Callable[[Any, Names], Render | None],
    shared: Callable[[attrs.Attribute[Any], Any], bool],
    either: Either = _no_either,
) -> tuple[Render | None, int]:
    """How a nested model, or a tuple of them, is written (if its fields are all plain)."""
    item = type_
    many = get_origin(type_) is tuple and len(get_args(type_)) == 2
    if many:
        if get_args(type_)[1] is not Ellipsis:
            return None, _LEAF
        item = get_args(type_)[0]
    if not (isinstance(item, type) and attrs.has(item)):
        return None, _LEAF
    made = json_writer(item, leaf=leaf, one_line=one_line, shared=shared, either=either)
    if made is None or (many and not made[1]):
        return None, _LEAF
    write = made[0]
    if not many and not made[1]:
        # a nested model with a nested mapping of its own (a schedule's recurrence): its
        # text is one line, or a block at the left margin, indented here to its field's
        write = _indented_writer(write)
    if "id" not in attrs.fields_dict(item):
        # A value record (an assignment, a schedule): loaded once per spelling and shared
        # by the records that repeat it, so its text is kept per object.
        write = _Made(write)
    writer = names(write)
    if not many:
        return (lambda value: f"{writer}({value})"), _ONE_LINE
    records = names(_records_text)
    return (lambda value: f"{records}({writer}, {value})"), _RECORDS


def _indented_writer(write: Callable[[Any], str]) -> Callable[[Any], str]:
    """``write``, its text moved in to a field's place (:func:`_indented`)."""
    return lambda value: _indented(write(value))


class _Made(dict[int, tuple[Any, str]]):
    """The text of each value record written, kept per object (a bounded cache).

    Keyed by the object's identity, with the object kept beside its text (so its id
    cannot be reused while the entry lives): a value record's text is decided by its
    fields, which never change. Emptied after each document written
    (:func:`forget_written`), and when it reaches :data:`_ROW_TEXTS_KEPT` records: a
    million-line plan's tasks share some 20,000 assignments, and a bound of
    :data:`_TEXTS_KEPT` emptied it every 2000 tasks or so, before most assignments came
    round again, so most were written again.
    """

    __slots__ = ("write",)

    def __init__(self, write: Callable[[Any], str]) -> None:
        super().__init__()
        self.write = write
        _MADE.append(self)

    def __call__(self, value: Any) -> str:
        found = self.get(id(value))
        if found is not None and found[0] is value:
            return found[1]
        if len(self) >= _ROW_TEXTS_KEPT:
            self.clear()
        text = self.write(value)
        self[id(value)] = (value, text)
        return text


#: Every cache of value records' texts, emptied after each document written.
_MADE: Final[list[_Made]] = []


def forget_written() -> None:
    """Empty the caches of value records' texts: they hold the objects of the plan written.

    Called once a document is written, so that no plan's objects outlive its dump.
    """
    for made in _MADE:
        made.clear()


def _indented(text: str) -> str:
    """A record's text written at the left margin, moved in to a field's place."""
    return text.replace("\n", "\n  ")


def _records_text(writer: Callable[[Any], str], items: tuple[Any, ...]) -> str:
    """A list of one-line records as the JSON writer lays it out in a record's field."""
    if not items:
        return "[]"
    return "[\n    " + ",\n    ".join(map(writer, items)) + "\n  ]"
