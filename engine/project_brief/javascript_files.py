"""Facts from package.json, lockfiles and Node version files."""

from __future__ import annotations

import json
from pathlib import Path

from .model import BuildFile, TestCommand
from .reading import read_text

LOCKFILES = (
    ("pnpm-lock.yaml", "pnpm"),
    ("yarn.lock", "yarn"),
    ("bun.lockb", "bun"),
    ("bun.lock", "bun"),
    ("package-lock.json", "npm"),
    ("npm-shrinkwrap.json", "npm"),
)
TEST_RUNNERS = (
    "jest",
    "vitest",
    "mocha",
    "ava",
    "jasmine",
    "karma",
    "tap",
    "@playwright/test",
    "uvu",
)
NPM_PLACEHOLDER_TEST = "no test specified"


class JavaScriptFacts:
    """What package.json and friends say."""

    def __init__(self) -> None:
        self.build_files: list[BuildFile] = []
        self.tests: list[TestCommand] = []
        self.package_manager: str | None = None
        self.node_version: str | None = None


def mine_javascript(root: Path) -> JavaScriptFacts:
    """Read package.json, pick the package manager and Node version hints."""
    facts = JavaScriptFacts()
    path = root / "package.json"
    if not path.is_file():
        return facts
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        facts.build_files.append(BuildFile(path="package.json", kind="npm", facts=[f"unparseable: {exc}"]))
        return facts
    if not isinstance(data, dict):
        return facts
    out: list[str] = []
    manager, why = _package_manager(root, data)
    facts.package_manager = manager
    out.append(f"package manager: {manager} ({why})")
    engines = data.get("engines") or {}
    if isinstance(engines, dict) and engines.get("node"):
        facts.node_version = str(engines["node"])
        out.append(f"engines.node: {engines['node']}")
    for name in (".nvmrc", ".node-version"):
        version_file = root / name
        if version_file.is_file() and read_text(version_file).strip():
            hint = read_text(version_file).strip().splitlines()[0]
            facts.node_version = facts.node_version or hint
            out.append(f"{name}: {hint}")
    if data.get("workspaces"):
        out.append("workspaces (monorepo): install at the root")
    if data.get("type") == "module":
        out.append('"type": "module" (ESM)')
    deps = {**(data.get("dependencies") or {}), **(data.get("devDependencies") or {})}
    runners = [r for r in TEST_RUNNERS if r in deps]
    if runners:
        out.append(f"test runners in dependencies: {', '.join(runners)}")
    if "typescript" in deps:
        out.append("uses TypeScript (build before tests if they import compiled output)")
    scripts = data.get("scripts") or {}
    if isinstance(scripts, dict):
        for name, command in list(scripts.items())[:30]:
            out.append(f"script {name}: {command}")
        _script_tests(facts, manager, scripts)
    facts.build_files.append(BuildFile(path="package.json", kind="npm", facts=out))
    return facts


def _package_manager(root: Path, data: dict) -> tuple[str, str]:
    field = data.get("packageManager")
    if isinstance(field, str) and field:
        return field.split("@", 1)[0], f"packageManager field: {field}"
    for lockfile, manager in LOCKFILES:
        if (root / lockfile).is_file():
            if manager == "yarn" and "__metadata:" in read_text(root / lockfile)[:2000]:
                return "yarn", "yarn.lock (Yarn 2+ format)"
            return manager, lockfile
    return "npm", "no lockfile"


def _script_tests(facts: JavaScriptFacts, manager: str, scripts: dict) -> None:
    test = scripts.get("test")
    if isinstance(test, str) and NPM_PLACEHOLDER_TEST not in test:
        facts.tests.append(
            TestCommand(command=f"{manager} test", source="package.json scripts.test", score=80)
        )
    for name in scripts:
        if name != "test" and name.startswith(("test:", "test-", "unit")):
            facts.tests.append(
                TestCommand(command=f"{manager} run {name}", source=f"package.json scripts.{name}", score=58)
            )
