"""Builds a ProjectBrief from a project folder: read-only, offline, deterministic."""

from __future__ import annotations

import re
from pathlib import Path

from .ci_files import mine_ci
from .documents import mine_documents
from .javascript_files import mine_javascript
from .languages import count_languages
from .model import ProjectBrief, TestCommand
from .native_files import mine_native
from .python_files import mine_python
from .reading import looks_like_test_command, rel

AGREEMENT_BONUS = 10
CI_TEST_SCORE = 76
DOC_TEST_SCORE = 50


def mine_project(root: Path) -> ProjectBrief:
    """Read the build files, CI configuration and docs of `root` into a ProjectBrief."""
    root = Path(root)
    if not root.is_dir():
        raise NotADirectoryError(f"project folder not found: {root}")
    python = mine_python(root)
    javascript = mine_javascript(root)
    native = mine_native(root)
    ci_files, ci_commands, ci_versions = mine_ci(root)
    snippets = mine_documents(root)

    candidates: list[TestCommand] = [*python.tests, *javascript.tests, *native.tests]
    candidates += [
        TestCommand(command=c.command, source=c.source, score=CI_TEST_SCORE)
        for c in ci_commands
        if looks_like_test_command(c.command)
    ]
    for snippet in snippets:
        for line in snippet.code.splitlines():
            command = line.strip().lstrip("$> ").strip()
            if command and looks_like_test_command(command) and len(command) < 200:
                candidates.append(TestCommand(command=command, source=snippet.source, score=DOC_TEST_SCORE))
    if not any("pytest" in c.command for c in candidates) and _has_pytest_style_tests(root):
        candidates.append(TestCommand(command="python -m pytest", source="tests/test_*.py files", score=55))

    python_versions = list(python.python_versions)
    for version in ci_versions.get("python-version", []):
        if version not in python_versions:
            python_versions.append(version)

    return ProjectBrief(
        root_name=root.resolve().name,
        languages=count_languages(root),
        build_files=[*python.build_files, *javascript.build_files, *native.build_files],
        ci_commands=ci_commands,
        ci_files=ci_files,
        dockerfiles=_dockerfiles(root),
        readme_snippets=snippets,
        python_versions=python_versions,
        node_version=javascript.node_version or _first(ci_versions.get("node-version")),
        go_version=native.go_version or _first(ci_versions.get("go-version")),
        java_version=native.java_version or _first(ci_versions.get("java-version")),
        package_manager=javascript.package_manager or python.package_manager,
        test_commands=rank_test_commands(candidates),
    )


def rank_test_commands(candidates: list[TestCommand]) -> list[TestCommand]:
    """Merge duplicates (agreement between sources raises the score), best first, stable."""
    merged: dict[str, TestCommand] = {}
    for candidate in candidates:
        key = " ".join(candidate.command.split())
        known = merged.get(key)
        if known is None:
            merged[key] = candidate.model_copy(update={"command": key})
        elif candidate.source not in known.source:
            best = max(known.score, candidate.score) + AGREEMENT_BONUS
            merged[key] = known.model_copy(
                update={"score": best, "source": f"{known.source}; {candidate.source}"}
            )
    order = {key: i for i, key in enumerate(merged)}
    return sorted(merged.values(), key=lambda t: (-t.score, order[t.command]))


def _dockerfiles(root: Path) -> list[str]:
    found = [p for p in root.glob("Dockerfile*") if p.is_file()]
    for folder in ("docker", ".devcontainer", "ci", "tools", "contrib"):
        if (root / folder).is_dir():
            found += [p for p in (root / folder).rglob("Dockerfile*") if p.is_file()]
    found += [p for p in root.glob("*.dockerfile") if p.is_file()]
    return sorted({rel(root, p) for p in found})


def _has_pytest_style_tests(root: Path) -> bool:
    pattern = re.compile(r"^(test_.*|.*_test)\.py$")
    for folder in ("tests", "test", "testing"):
        if (root / folder).is_dir() and any(pattern.match(p.name) for p in (root / folder).rglob("*.py")):
            return True
    return False


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None
