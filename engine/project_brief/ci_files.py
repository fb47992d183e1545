"""Shell commands and tool versions from CI configurations, read without a YAML library.

A small line-based reader is enough here: we only need the values of a few keys (`run:`,
`script:`, `command:`, `*-version:`), including `key: |` block scalars and `- item` lists.
"""

from __future__ import annotations

import re
from pathlib import Path

from .model import CiCommand
from .reading import read_text, rel

KEY_LINE = re.compile(r"^(?P<indent>\s*)(?:-\s+)?(?P<key>[\w.-]+):\s*(?P<value>.*)$")
BLOCK_MARK = re.compile(r"^[|>][+-]?\d*\s*(#.*)?$")
USEFUL = re.compile(
    r"\b(pip3?|python3?|pytest|tox|nox|uv|poetry|pdm|conda|make|cmake|ctest|meson|ninja|configure"
    r"|autoreconf|autogen|npm|npx|yarn|pnpm|bun|node|cargo|go|mvnw?|gradlew?|ant|bazel|apt-get|apt"
    r"|spin|setup\.py|rustup|corepack)\b"
)
ASSIGNMENT_ONLY = re.compile(r"^(export\s+)?[A-Za-z_]\w*=(\$\{\{[^}]*\}\}|\"[^\"]*\"|'[^']*'|\S*)$")
VERSION_KEYS = ("python-version", "node-version", "java-version", "go-version", "rust-version")
SCRIPT_KEYS = {"script", "before_script", "install", "before_install", "after_success"}


def ci_config_files(root: Path) -> list[Path]:
    """CI configuration files the project ships, in a stable order."""
    found: list[Path] = []
    workflows = root / ".github" / "workflows"
    if workflows.is_dir():
        found += sorted(p for p in workflows.iterdir() if p.suffix in (".yml", ".yaml"))
    for name in (
        ".gitlab-ci.yml",
        ".travis.yml",
        "azure-pipelines.yml",
        "appveyor.yml",
        ".cirrus.yml",
    ):
        if (root / name).is_file():
            found.append(root / name)
    circle = root / ".circleci" / "config.yml"
    if circle.is_file():
        found.append(circle)
    if (root / "Jenkinsfile").is_file():
        found.append(root / "Jenkinsfile")
    return found


def mine_ci(root: Path, max_commands: int = 60) -> tuple[list[str], list[CiCommand], dict[str, list[str]]]:
    """(CI files, useful install/build/test commands, tool versions named in CI)."""
    files = ci_config_files(root)
    commands: list[CiCommand] = []
    seen: set[str] = set()
    versions: dict[str, list[str]] = {}
    for path in files:
        if path.name == "Jenkinsfile":
            continue
        text = read_text(path)
        source = rel(root, path)
        for command in shell_lines(text):
            if command in seen or ASSIGNMENT_ONLY.match(command):
                continue
            if USEFUL.search(command):
                seen.add(command)
                commands.append(CiCommand(source=source, command=command))
        for key, values in version_values(text).items():
            bucket = versions.setdefault(key, [])
            bucket.extend(v for v in values if v not in bucket)
    return [rel(root, p) for p in files], commands[:max_commands], versions


def shell_lines(text: str) -> list[str]:
    """Every shell command under `run:`, `command:`, `script:`-like keys, one per logical line."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = KEY_LINE.match(lines[i])
        i += 1
        if not match:
            continue
        key, value = match.group("key"), match.group("value").strip()
        key_indent = len(match.group("indent"))
        if key not in ("run", "command") and key not in SCRIPT_KEYS:
            continue
        if BLOCK_MARK.match(value):
            block, i = _block(lines, i, key_indent)
            out += _logical_lines(block)
        elif value and not value.startswith(("#", "{")):
            out += _logical_lines([_unquote(value)])
        elif not value and key in SCRIPT_KEYS:
            items, i = _list_items(lines, i, key_indent)
            out += items
    return out


def version_values(text: str) -> dict[str, list[str]]:
    """Values of `python-version:`-style keys, single or `[a, b]` lists."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = KEY_LINE.match(line)
        if not match or match.group("key") not in VERSION_KEYS:
            continue
        raw = match.group("value").split("#", 1)[0].strip().strip("[]")
        values = [_unquote(v.strip()) for v in raw.split(",") if v.strip()]
        values = [v for v in values if v and "${{" not in v]
        bucket = found.setdefault(match.group("key"), [])
        bucket.extend(v for v in values if v not in bucket)
    return found


def _block(lines: list[str], i: int, key_indent: int) -> tuple[list[str], int]:
    block: list[str] = []
    while i < len(lines):
        line = lines[i]
        if line.strip() and len(line) - len(line.lstrip()) <= key_indent:
            break
        block.append(line.strip())
        i += 1
    return block, i


def _list_items(lines: list[str], i: int, key_indent: int) -> tuple[list[str], int]:
    items: list[str] = []
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if stripped and (indent < key_indent or (indent == key_indent and not stripped.startswith("-"))):
            break
        if stripped.startswith("- "):
            items += _logical_lines([_unquote(stripped[2:].strip())])
        i += 1
    return items, i


def _logical_lines(raw: list[str]) -> list[str]:
    """Join `\\` continuations, drop blanks and comments."""
    out: list[str] = []
    pending = ""
    for line in raw:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        out.append((pending + line).strip())
        pending = ""
    if pending:
        out.append(pending.strip())
    return out


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value
