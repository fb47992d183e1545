"""The project's own test commands (CI, tox, Makefile, README), made runnable in the planner's container.

When the planner's own test command finds nothing or cannot collect, these are what a person would try
next. Commands that build their own environments (tox, nox) or need tox's substitutions are left out.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from engine.planner.recipes import PYTEST_RUN
from engine.project_brief import mine_project

SKIPPED_RUNNERS = ("tox", "nox", "pre-commit", "hatch", "pdm", "poetry", "uv ", "docker", "sudo ")
COVERAGE_RUN = re.compile(
    r"^(?:python3? -m )?coverage run"
    r"(?:\s+--(?:source|rcfile|include|omit|data-file|context)\s+\S+|\s+(?!-m\b)--?[\w-]+(?:=\S+)?)*\s+"
)
POSARGS_DEFAULT = re.compile(r"\{posargs:([^}]*)\}")
PYTEST = re.compile(r"^(?:python3? -m )?(?:py\.test|pytest)\b")


def documented_test_commands(project_dir: Path) -> list[tuple[str, str]]:
    """(command, where it came from), best first, each runnable from the project's root."""
    try:
        candidates = mine_project(project_dir).test_commands
    except (OSError, ValueError):
        return []
    found: dict[str, str] = {}
    for candidate in candidates:
        command = runnable(candidate.command)
        if command is not None and command not in found:
            found[command] = candidate.source
    return list(found.items())


def runnable(command: str) -> str | None:
    """The command as the planner's shell can run it, or None when it cannot be run as it is."""
    text = " ".join(command.strip().removeprefix("$ ").split())
    text = text.replace("{toxinidir}/", "").replace("{toxinidir}", ".").replace("{posargs}", "")
    text = POSARGS_DEFAULT.sub(lambda m: m.group(1), text).strip()
    if not text or "{" in text or text.startswith(SKIPPED_RUNNERS):
        return None
    coverage = COVERAGE_RUN.match(text)
    if coverage:  # coverage only measures: run what it wraps
        text = "python " + text[coverage.end() :]
    if PYTEST.match(text):  # pytest with the flags whose output the engine reads best
        text = PYTEST.sub(PYTEST_RUN, text, count=1)
    try:
        shlex.split(text)
    except ValueError:
        return None
    return text
