"""Safe XML reading and IATI 2.03 schema validation, for :mod:`egovplan.iati`.

The parser is expat driven directly: a document type declaration (and so any entity) is
refused before anything is expanded, nothing is fetched from the network, and the size,
depth and number of elements are bounded by :class:`egovplan.files.Limits`. Validation
uses the ``xmlschema`` package (the optional extra ``iati``) with the schema files
shipped in ``egovplan/data/iati/``, loaded without network access; on top of the XML
Schema it refuses text inside an element whose content is elements only (the schema
says so; ``xmlschema`` lets some through, the standard's own tests do not).
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from importlib import resources
from pyexpat import ExpatError
from typing import TYPE_CHECKING, Any, Final
from xml.parsers import expat

from egovplan.errors import EgovplanError, LoadError, MissingDependencyError, Problem

if TYPE_CHECKING:
    from egovplan.files import Limits

__all__ = ["XML_NS", "Document", "element_path", "parse", "problems", "schema"]

#: The namespace of ``xml:lang``.
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
LANG: Final = f"{{{XML_NS}}}lang"


class _Refused(EgovplanError):
    """The document asks for something a safe reader does not do."""


class Document:
    """A parsed XML document: its root element, and the line each element starts on."""

    def __init__(self, root: ET.Element, lines: dict[int, int]) -> None:
        self.root = root
        self._lines = lines

    def line(self, element: ET.Element) -> int | None:
        """The line ``element`` starts on, if it was read from text."""
        return self._lines.get(id(element))


def parse(data: bytes, source: str, limits: Limits) -> Document:
    """Parse ``data`` safely into a :class:`Document`.

    Raises:
        LoadError: the text is not well-formed XML, has a document type declaration
            (entities), or passes one of ``limits``; the message says which and where.
    """
    if len(data) > limits.max_bytes:
        raise LoadError.from_problems(
            source, [("", f"is larger than the limit of {limits.max_bytes} bytes")]
        )
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator=" ")
    lines: dict[int, int] = {}
    depth = 0
    count = 0

    def name(raw: str) -> str:
        if " " in raw:
            uri, local = raw.split(" ", 1)
            return f"{{{uri}}}{local}"
        return raw

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal depth, count
        depth += 1
        count += 1
        if depth > limits.max_depth:
            raise _Refused(f"nests elements deeper than {limits.max_depth} (Limits.max_depth)")
        if count > limits.max_items:
            raise _Refused(f"has more than {limits.max_items} elements (Limits.max_items)")
        element = builder.start(name(tag), {name(k): v for k, v in attributes.items()})
        lines[id(element)] = parser.CurrentLineNumber

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1
        builder.end(name(tag))

    def doctype(*_: Any) -> None:
        raise _Refused(
            "has a document type declaration (<!DOCTYPE>); IATI files have none, and"
            " egovplan expands no entities"
        )

    def entity(*_: Any) -> None:
        raise _Refused("declares an entity; egovplan expands no entities")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = entity  # type: ignore[assignment]
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except _Refused as error:
        raise LoadError.from_problems(
            source, [Problem("", str(error), line=parser.CurrentLineNumber)]
        ) from None
    except ExpatError as error:
        message = expat.ErrorString(error.code) if error.code else str(error)
        raise LoadError.from_problems(
            source,
            [
                Problem(
                    "",
                    f"is not well-formed XML: {message}",
                    line=error.lineno,
                    column=error.offset + 1,
                )
            ],
        ) from None
    return Document(builder.close(), lines)


@functools.cache
def schema() -> Any:
    """The IATI 2.03 activity schema (``xmlschema``), loaded once, without network access.

    Raises:
        MissingDependencyError: ``xmlschema`` is not installed.
    """
    try:
        import xmlschema
    except ImportError:
        raise MissingDependencyError(
            "reading and writing IATI files needs the xmlschema package: pip install"
            " 'egovplan[iati]'"
        ) from None
    folder = resources.files("egovplan") / "data" / "iati"
    with resources.as_file(folder) as path:
        return xmlschema.XMLSchema(
            str(path / "iati-activities-schema.xsd"), allow="local", defuse="always"
        )


@functools.cache
def _text_allowed() -> dict[str, bool]:
    """Element name -> whether some declaration of it lets it hold text."""
    from xmlschema.validators import XsdElement

    allowed: dict[str, bool] = {}
    for component in schema().maps.iter_components(XsdElement):
        kind = component.type
        ok = bool(kind.has_simple_content() or (kind.is_complex() and kind.mixed))
        allowed[component.name] = allowed.get(component.name, False) or ok
    return allowed


def element_path(element: ET.Element, parents: dict[ET.Element, ET.Element]) -> str:
    """The XPath of ``element`` with positions among same-named siblings (``budget[2]``)."""
    steps: list[str] = []
    current: ET.Element | None = element
    while current is not None:
        parent = parents.get(current)
        tag = current.tag if isinstance(current.tag, str) else "?"
        if parent is None:
            steps.append(tag)
        else:
            same = [child for child in parent if child.tag == current.tag]
            steps.append(f"{tag}[{same.index(current) + 1}]" if len(same) > 1 else tag)
        current = parent
    return "/" + "/".join(reversed(steps))


def problems(document: Document) -> Iterator[Problem]:
    """What makes ``document`` an invalid IATI 2.03 activity file, element by element."""
    root = document.root
    for error in schema().iter_errors(root):
        element = getattr(error, "elem", None)
        line = document.line(element) if element is not None else None
        reason = error.reason or str(error.message)
        yield Problem(error.path or "/", reason, line=line)
    parents = {child: parent for parent in root.iter() for child in parent}
    allowed = _text_allowed()
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str) or tag.startswith("{") or allowed.get(tag, True):
            continue
        text = (element.text or "").strip() or next(
            ((child.tail or "").strip() for child in element if (child.tail or "").strip()), ""
        )
        if text:
            yield Problem(
                element_path(element, parents),
                f"<{tag}> holds elements and attributes only, not text ({text[:40]!r})",
                line=document.line(element),
            )
