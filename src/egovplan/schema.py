"""The JSON Schema (draft 2020-12) of egovplan's plan file format.

The schema is generated from the models, so it always says what
:func:`egovplan.load` reads. It describes the JSON form; a YAML or TOML plan has the
same structure. A few checks only the loader makes: the forms of periods and dates
(``"Quý II/2018"``), and that ``1.0`` is a float (JSON Schema calls it an integer). What
is well formed but wrong (a percent above 100) is for validation, not for the schema.

Each format version has its schema (:mod:`egovplan.versions`): the current one is
derived from the models, older ones are shipped as they were frozen. A new version's
schema is frozen by ``python -m egovplan.schema --freeze`` (a maintainer's command).

>>> schema = json_schema()
>>> schema["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> schema["properties"]["format_version"]
{'const': 3, 'description': 'The version of the file format: 3.'}
>>> sorted(schema["$defs"]["BudgetLine"]["required"])
['amount', 'id', 'source']
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import functools
import inspect
import re
import types
import typing
from decimal import Decimal
from typing import Any, Final, Union, get_args, get_origin

import attrs

from egovplan import _derive, _fields
from egovplan.errors import FieldTypeError
from egovplan.labels import Labels
from egovplan.money import Money
from egovplan.objective import Comparator
from egovplan.period import MAX_YEAR, MIN_YEAR, Period, Quarter
from egovplan.plan import Plan
from egovplan.versions import (
    FORMAT_HISTORY,
    FORMAT_VERSION,
    UnknownFormatVersionError,
    frozen_schema,
    frozen_schema_file,
)
from egovplan.when import When

__all__ = ["SCHEMA_ID", "json_schema"]

#: The ``$id`` of the schema of this format version.
SCHEMA_ID: Final = f"urn:egovplan:plan-format:{FORMAT_VERSION}"

_DECIMAL_PATTERN: Final = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_MONEY_PATTERN: Final = (
    r"^\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t]+[^\s]+\s*$"
)
_ATTRIBUTE: Final = re.compile(r"^(\s+)(\w+): (.*)$")


def _attribute_docs(cls: type) -> dict[str, str]:
    """The ``Attributes:`` section of a class docstring, as field name -> text."""
    doc = inspect.getdoc(cls) or ""
    lines = doc.splitlines()
    found: dict[str, str] = {}
    inside = False
    current: str | None = None
    indent = 0
    for line in lines:
        if line.strip() == "Attributes:":
            inside = True
            continue
        if not inside:
            continue
        if not line.strip():
            current = None
            continue
        match = _ATTRIBUTE.match(line)
        if match and (current is None or len(match[1]) <= indent):
            indent = len(match[1])
            current = match[2]
            found[current] = match[3].strip()
        elif current is not None and line.startswith(" " * (indent + 1)):
            found[current] += " " + line.strip()
        else:
            inside = line.startswith(" ")
            current = None
    return {name: _plain_text(text) for name, text in found.items()}


def _plain_text(text: str) -> str:
    """Docstring markup made plain: ``code`` and :role:`target` become the text."""
    text = re.sub(r":\w+:`~?(?:[^`<]*<)?([^`>]*)>?`", r"\1", text)
    text = re.sub(r"``None``|\bNone\b", "absent", text)
    return text.replace("``", "")


def _summary(cls: type) -> str:
    doc = inspect.getdoc(cls) or cls.__name__
    return _plain_text(doc.split("\n\n", 1)[0].replace("\n", " "))


_DECIMAL: Final[dict[str, Any]] = {
    "anyOf": [
        {"type": "integer"},
        {"type": "string", "pattern": _DECIMAL_PATTERN},
    ],
    "description": 'A number: an integer, or a decimal written as text ("84.1").',
}


def _type_schema(type_: Any, name: str) -> dict[str, Any]:
    origin = get_origin(type_)
    if type_ == (str | Labels):
        return {"$ref": "#/$defs/Text"}
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(type_) if arg is not type(None)]
        if len(options) != 1:
            raise FieldTypeError(f"no schema for {type_!r}")
        return {"anyOf": [_type_schema(options[0], name), {"type": "null"}]}
    if origin is tuple:
        args = get_args(type_)
        if args == (tuple[str, Decimal], Ellipsis):
            return {
                "type": "object",
                "additionalProperties": copy.deepcopy(_DECIMAL),
                "description": "A mapping of id to number: {province: 100, district: 80}.",
            }
        return {"type": "array", "items": _type_schema(args[0], name)}
    if type_ is str:
        return {"type": "string"}
    if type_ is bool:
        return {"type": "boolean"}
    if type_ is int:
        return {"type": "integer"}
    if type_ is Decimal:
        return copy.deepcopy(_DECIMAL)
    if type_ is Money:
        return {"$ref": "#/$defs/Money"}
    if type_ is Labels:
        return {"$ref": "#/$defs/Labels"}
    if type_ is Period:
        return {"$ref": "#/$defs/Period"}
    if type_ is Quarter:
        return {"type": "string", "description": 'A quarter: "Q2 2018", "Quý II/2018".'}
    if type_ is When:
        return {"$ref": "#/$defs/When"}
    if type_ is dt.date:
        return {"$ref": "#/$defs/Date"}
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        values: list[Any] = [member.value for member in type_]
        if type_ is Comparator:
            values += [member.code for member in Comparator if member.code not in values]
        return {"enum": values}
    if isinstance(type_, type) and attrs.has(type_):
        return {"$ref": f"#/$defs/{type_.__name__}"}
    raise FieldTypeError(f"no schema for {type_!r}")


def _class_schema(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    docs = _attribute_docs(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        field_schema = _type_schema(hints[field.name], field.name)
        for check in _derive.field_checks(field):
            fast = _fields.declared(check)
            if fast is not None and fast.schema:
                field_schema = _with_keywords(field_schema, fast.schema)
        description = docs.get(field.name)
        if field_schema.get("type") == "object":  # per-level values: say the file's form
            description = field_schema["description"]
        if description and "$ref" not in field_schema:
            field_schema["description"] = description
        elif description:
            field_schema = {"allOf": [field_schema], "description": description}
        properties[field.name] = field_schema
        if field.default is attrs.NOTHING:
            required.append(field.name)
    schema: dict[str, Any] = {
        "type": "object",
        "description": _summary(cls),
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


def _with_keywords(schema: dict[str, Any], keywords: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with a declared check's ``keywords`` added (to a value's branch, not null's).

    A keyword whose value is a mapping (``items``) is added into the schema's own.
    """
    if "anyOf" in schema:
        return {
            **schema,
            "anyOf": [
                branch if branch.get("type") == "null" else _with_keywords(branch, keywords)
                for branch in schema["anyOf"]
            ],
        }
    if "$ref" in schema:
        return schema
    merged = dict(schema)
    for key, value in keywords.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _with_keywords(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _common_defs() -> dict[str, Any]:
    return {
        "Money": {
            "description": (
                'An amount and its ISO 4217 currency: "901000000000 VND" (canonical), or'
                ' {amount: "1.5", currency: USD}. Never a float.'
            ),
            "anyOf": [
                {"type": "string", "pattern": _MONEY_PATTERN},
                {
                    "type": "object",
                    "properties": {
                        "amount": copy.deepcopy(_DECIMAL),
                        "currency": {"type": "string"},
                    },
                    "required": ["amount", "currency"],
                    "additionalProperties": False,
                },
            ],
        },
        "Labels": {
            "description": "Text per language: {vi: ..., en: ...}.",
            "type": "object",
            "additionalProperties": {"type": "string", "minLength": 1},
        },
        "Text": {
            "description": (
                "Text in the document's language, or per language: {vi: ..., en: ...}."
            ),
            "anyOf": [{"type": "string"}, {"$ref": "#/$defs/Labels"}],
        },
        "Period": {
            "description": (
                'A period: "2021-2025", "2018" (or the integer 2018), "Q2 2018",'
                ' "Q1-Q2 2018", "Q3 2018-Q2 2019", from a month or a day to another'
                ' ("2024-03..2026-06", "2024-03-15..2026-12-31"), or a Vietnamese form such'
                ' as "giai đoạn 2021–2025", "Quý I-II/2018" or "tháng 3/2024 - tháng 6/2026".'
            ),
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
            ],
        },
        "When": {
            "description": (
                'A time: a year (the integer 2025, or "2025"), a quarter ("2024-Q3"), a month'
                ' ("2024-06") or a day ("2024-06-30"), "by" in front for a deadline'
                ' ("by 2015"); or as documents write it: "Quý III/2024", "tháng 6/2024",'
                ' "June 2024", "trước năm 2015".'
            ),
            "anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
            ],
        },
        "Date": {
            "description": (
                'A date: "2021-07-21" (canonical), or as documents write it: "21/7/2021",'
                ' "ngày 21 tháng 7 năm 2021", "21 July 2021".'
            ),
            "type": "string",
            "minLength": 1,
        },
    }


def _models(cls: type, found: dict[str, type]) -> dict[str, type]:
    """The model classes ``cls``'s fields name, at any depth (``cls`` included), by name."""
    if cls.__name__ in found:
        return found
    found[cls.__name__] = cls
    hints = typing.get_type_hints(cls)
    for type_ in (hints[field.name] for field in attrs.fields(cls) if field.init):
        for arg in (type_, *_nested_args(type_)):
            if isinstance(arg, type) and attrs.has(arg) and arg not in _SPECIAL:
                _models(arg, found)
    return found


def _nested_args(type_: Any) -> list[Any]:
    args = list(get_args(type_))
    return args + [inner for arg in args for inner in _nested_args(arg)]


_SPECIAL: Final = (Money, Period, Quarter, When, Labels)


@functools.cache
def _schema(cls: type) -> dict[str, Any]:
    defs = _common_defs()
    for name, model in _models(cls, {}).items():
        if model is not cls:
            defs[name] = _class_schema(model)
    root = _class_schema(cls)
    if cls is not Plan:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"egovplan {cls.__name__}",
            **root,
            "$defs": defs,
        }
    root["properties"] = {
        "format_version": {
            "const": FORMAT_VERSION,
            "description": f"The version of the file format: {FORMAT_VERSION}.",
        },
        **root["properties"],
    }
    root["required"] = ["format_version", *root.get("required", [])]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "egovplan plan",
        **root,
        "$defs": defs,
    }


def json_schema(cls: type = Plan, *, version: int | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a plan file, or of one model's data, as a new ``dict``.

    Args:
        cls: the model class (a :class:`~egovplan.plan.Plan` by default: a whole plan
            document, ``format_version`` first). Any attrs model class works, your own
            included: what :func:`egovplan.from_dict` reads for it.
        version: the format version (:mod:`egovplan.versions`); the current one by
            default. The current version's schema is derived from the models; an older
            version's is the one frozen when the version after it came.

    Returns:
        The schema; ``json.dumps`` it to write it out (``egovplan schema`` does).

    Raises:
        FieldTypeError: ``cls`` is not an attrs class, or has a field of a type the
            format has no form for.
        UnknownFormatVersionError: ``version`` is not one this egovplan reads.

    >>> from egovplan.funding import BudgetLine
    >>> line = json_schema(BudgetLine)
    >>> line["title"], line["required"], line["properties"]["year"]["anyOf"][0]["minimum"]
    ('egovplan BudgetLine', ['id', 'source', 'amount'], 1900)
    >>> json_schema(version=1)["$id"]
    'urn:egovplan:plan-format:1'
    """
    if not (isinstance(cls, type) and attrs.has(cls)) or cls in _SPECIAL:
        raise FieldTypeError(f"json_schema() takes a model class, not {cls!r}")
    if version is None or FORMAT_HISTORY.check(version) == FORMAT_VERSION:
        return copy.deepcopy(_schema(cls))
    if cls is not Plan:
        raise UnknownFormatVersionError(
            f"only a plan's schema is kept for format version {version}, not {cls.__name__}'s"
        )
    frozen = frozen_schema(version)
    if frozen is None:  # pragma: no cover - a test keeps a schema for every version
        raise UnknownFormatVersionError(f"no schema is shipped for format version {version}")
    return frozen


def _freeze() -> str:
    """Write the current version's schema as its frozen file; return the file's path."""
    import json
    from pathlib import Path

    target = Path(__file__).parent / "data" / frozen_schema_file(FORMAT_HISTORY.current)
    target.parent.mkdir(exist_ok=True)
    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    target.write_text(text, encoding="utf-8")
    return str(target)


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    import sys

    if sys.argv[1:] != ["--freeze"]:
        sys.exit("usage: python -m egovplan.schema --freeze")
    print(_freeze())
