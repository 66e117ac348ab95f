"""``python -m approvals``: the command line (see approvals.cli and docs/cli.md)."""

from __future__ import annotations

import sys

from approvals.cli import main

if __name__ == "__main__":
    sys.exit(main())
