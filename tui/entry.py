"""The `execagent-tui` console script: no arguments opens the terminal UI, anything else is headless."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

from engine import cli


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        if importlib.util.find_spec("tui.app") is None:
            print(
                f"{cli.PROG}: the terminal UI is not built yet; use a command (see --help)",
                file=sys.stderr,
            )
            cli.build_parser().print_help()
            return 2
        from tui.app import run_app  # Textual is imported only when the UI is wanted

        return run_app()
    return cli.main(args)


if __name__ == "__main__":
    sys.exit(main())
