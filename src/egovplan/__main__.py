"""``python -m egovplan``: the command-line tool."""

from egovplan.cli import main

raise SystemExit(main())
