"""Bounded, forgiving file reading shared by the brief's miners (never executes anything)."""

from __future__ import annotations

import re
from pathlib import Path

MAX_FILE_BYTES = 256_000

TEST_COMMAND = re.compile(
    r"\b(pytest|py\.test|tox\b|nox\b|unittest|runtests|manage\.py test|ctest|make\b.*\b(test|check)"
    r"|meson test|ninja\b.*\btest|cargo (test|nextest)|go test|mvnw?\b.*\b(test|verify|install)"
    r"|gradlew?\b.*\b(test|check|build)|(npm|yarn|pnpm|bun)\b.*\btest|jest|vitest|mocha"
    r"|spin test|dev\.py test|bazel(isk)? test)"
)


def read_text(path: Path) -> str:
    """The file's text (first MAX_FILE_BYTES), or "" when it is missing or unreadable."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES)
    except OSError:
        return ""
    return data.decode("utf-8", errors="replace")


def rel(root: Path, path: Path) -> str:
    """A path relative to the project root, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


INSTALL_STEP = re.compile(
    r"\b(pip3?|uv pip|apt-get|apt|apk|brew|dnf|yum|npm|yarn|pnpm|bun|conda|go) (install|add|ci|get)\b"
)
TOX_ENVS = re.compile(r"\btox\b.*?\s-e\s*(.+)$")
TEST_ENV = re.compile(r"(^|[-,\s])(py\d|pypy)|test|unit")


def looks_like_test_command(command: str) -> bool:
    """Whether a shell line runs a test suite: some `&&`/`;` step names a runner, not an install."""
    for step in re.split(r"&&|;|\|\|", command):
        if not TEST_COMMAND.search(step) or INSTALL_STEP.search(step):
            continue
        envs = TOX_ENVS.search(step)
        if envs and not TEST_ENV.search(envs.group(1)):
            continue  # tox -e docs, -e lint: not the test suite
        return True
    return False
