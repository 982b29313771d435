"""The ``egovplan`` command-line tool (also ``python -m egovplan``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from egovplan._version import __version__

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``egovplan`` command."""
    parser = argparse.ArgumentParser(
        prog="egovplan",
        description="Check, show and convert public-sector ICT and e-government plans.",
    )
    parser.add_argument("--version", action="version", version=f"egovplan {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    parser.parse_args(sys.argv[1:] if argv is None else argv)
    parser.print_help()
    return 0
