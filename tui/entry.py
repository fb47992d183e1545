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
    on_terminal = sys.stdin.isatty() and sys.stdout.isatty()
    return cli.main(args, open_ui=_open_ui if on_terminal else None)


def _open_ui(targets: list, settings: object) -> int:
    """`execagent-tui run SELECTION` on a terminal: the UI opens with those projects running."""
    from tui.app import run_app
    from tui.engine_runs import entry_for

    return run_app(autostart=[entry_for(t) for t in targets], launch_settings=settings)


if __name__ == "__main__":
    sys.exit(main())
