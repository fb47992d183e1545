"""`python -m engine.main ...`: the headless command line without the TUI package."""

import sys

from engine.cli import main

if __name__ == "__main__":
    sys.exit(main())
