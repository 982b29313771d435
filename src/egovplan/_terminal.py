r"""Text that is safe to show on a terminal: control characters made visible.

A plan's text is data. Written raw to a terminal, an ESC sequence in a title would
retitle the window, clear the screen or move the cursor over earlier output; a carriage
return would overwrite a line; bidi overrides would reorder what is shown. The CLI and
the plain-text renderings show such characters as escapes instead (``\x1b``,
``\u202e``), the way Python's ``repr`` does.

>>> terminal_text("Plan\x1b]0;pwned\x07 2021\r\n")
'Plan\\x1b]0;pwned\\x07 2021\\r\\n'
>>> terminal_text("a\nb", newlines=True), terminal_text("Kế hoạch ‏١٢٣")
('a\nb', 'Kế hoạch \u200f١٢٣')
"""

from __future__ import annotations

import re
from typing import Final

from egovplan._text import compiled

__all__ = ["json_text", "terminal_text"]

#: C0 controls, DEL, C1 controls, the line and paragraph separators, and the bidi
#: embeddings, overrides and isolates (the bidi *marks* U+200E, U+200F and U+061C stay:
#: babel writes them in Arabic and Hebrew numbers, and they reorder nothing around them).
_OTHERS: Final = "\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_ALL: Final = f"[\x00-\x1f{_OTHERS}]"  # (compiled on first use)
_ALL_BUT_NEWLINE: Final = re.compile(f"[\x00-\x09\x0b-\x1f{_OTHERS}]")


_NAMED: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def terminal_text(text: str, *, newlines: bool = False) -> str:
    r"""``text`` with every control character shown as an escape (``\x1b``).

    With ``newlines``, a line feed is kept as it is (for text of several lines).
    """
    return (_ALL_BUT_NEWLINE if newlines else compiled(_ALL)).sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(text: str) -> str:
    r"""JSON text (from :func:`json.dumps`) with the control characters it keeps escaped.

    ``json.dumps`` escapes C0 controls inside strings but keeps DEL, C1 controls and the
    others of :func:`terminal_text` as they are; escaped as ``\u009b``, they mean the
    same to a JSON reader and nothing to a terminal. Line feeds outside strings stay.

    >>> import json
    >>> json_text(json.dumps({"title": "a\x9b2J"}))
    '{"title": "a\\u009b2J"}'
    """
    return _ALL_BUT_NEWLINE.sub(_json_escape, text)
