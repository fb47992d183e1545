"""Facts from Python packaging and test-runner files: pyproject, setup.*, tox, nox, requirements."""

from __future__ import annotations

import ast
import configparser
import re
import tomllib
from pathlib import Path

from .model import BuildFile, TestCommand
from .reading import read_text, rel

TEST_NAME = re.compile(r"test|check|dev|ci", re.IGNORECASE)
CLASSIFIER_VERSION = re.compile(r"Programming Language :: Python :: (\d+\.\d+)$")


class PythonFacts:
    """What the Python files say: build files, versions, candidate test commands."""

    def __init__(self) -> None:
        self.build_files: list[BuildFile] = []
        self.python_versions: list[str] = []
        self.tests: list[TestCommand] = []
        self.package_manager: str | None = None

    def add_version(self, version: str) -> None:
        version = version.strip()
        if version and version not in self.python_versions:
            self.python_versions.append(version)


def mine_python(root: Path) -> PythonFacts:
    """Read every Python build/test file present at the project root."""
    facts = PythonFacts()
    _pyproject(root, facts)
    _setup_py(root, facts)
    _setup_cfg(root, facts)
    _tox_ini(root, facts)
    _noxfile(root, facts)
    _requirements(root, facts)
    for lock, manager in (("uv.lock", "uv"), ("poetry.lock", "poetry"), ("pdm.lock", "pdm")):
        if (root / lock).is_file():
            facts.package_manager = facts.package_manager or manager
    if (root / "Pipfile").is_file():
        facts.build_files.append(BuildFile(path="Pipfile", kind="pipenv"))
        facts.package_manager = facts.package_manager or "pipenv"
    version_file = root / ".python-version"
    if version_file.is_file():
        for line in read_text(version_file).splitlines():
            facts.add_version(line)
    return facts


def _pyproject(root: Path, facts: PythonFacts) -> None:
    path = root / "pyproject.toml"
    if not path.is_file():
        return
    try:
        data = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        facts.build_files.append(
            BuildFile(path="pyproject.toml", kind="python", facts=[f"unparseable: {exc}"])
        )
        return
    out: list[str] = []
    build = data.get("build-system", {})
    if build.get("build-backend"):
        out.append(f"build backend: {build['build-backend']}")
    if build.get("requires"):
        out.append(f"build requires: {', '.join(map(str, build['requires']))}")
    project = data.get("project", {})
    if project.get("requires-python"):
        out.append(f"requires-python: {project['requires-python']}")
        facts.add_version(str(project["requires-python"]))
    for classifier in project.get("classifiers", []):
        match = CLASSIFIER_VERSION.search(str(classifier))
        if match:
            facts.add_version(match.group(1))
    if project.get("dependencies"):
        out.append(f"{len(project['dependencies'])} runtime dependencies")
    extras = project.get("optional-dependencies", {})
    for name, deps in extras.items():
        shown = f": {', '.join(map(str, deps[:10]))}" if TEST_NAME.search(name) else ""
        out.append(f"extra [{name}]{shown}")
        if TEST_NAME.search(name) and name.lower().startswith("test"):
            facts.tests.append(
                TestCommand(command="python -m pytest", source=f"pyproject extra [{name}]", score=60)
            )
    for name, deps in data.get("dependency-groups", {}).items():
        items = [d if isinstance(d, str) else f"include {d.get('include-group')}" for d in deps]
        shown = f": {', '.join(items[:10])}" if TEST_NAME.search(name) else ""
        out.append(f"dependency group [{name}]{shown}")
    tool = data.get("tool", {})
    pytest_opts = tool.get("pytest", {}).get("ini_options")
    if pytest_opts is not None:
        paths = pytest_opts.get("testpaths")
        out.append(f"pytest configured (testpaths: {paths})" if paths else "pytest configured")
        facts.tests.append(TestCommand(command="python -m pytest", source="[tool.pytest]", score=65))
    if "poetry" in tool:
        facts.package_manager = facts.package_manager or "poetry"
        groups = tool["poetry"].get("group", {})
        if groups:
            out.append(f"poetry groups: {', '.join(groups)}")
    if "hatch" in tool:
        for env, spec in tool["hatch"].get("envs", {}).items():
            for script, cmd in (spec.get("scripts") or {}).items():
                if "test" in script:
                    text = cmd if isinstance(cmd, str) else " && ".join(cmd)
                    out.append(f"hatch env {env} script {script}: {text}")
    if "legacy_tox_ini" in tool.get("tox", {}):
        out.append("tox configured in pyproject (legacy_tox_ini)")
    facts.build_files.append(BuildFile(path="pyproject.toml", kind="python", facts=out))


def _setup_py(root: Path, facts: PythonFacts) -> None:
    path = root / "setup.py"
    if not path.is_file():
        return
    text = read_text(path)
    out: list[str] = []
    match = re.search(r"python_requires\s*=\s*['\"]([^'\"]+)['\"]", text)
    if match:
        out.append(f"python_requires: {match.group(1)}")
        facts.add_version(match.group(1))
    block = re.search(r"extras_require\s*=\s*\{(.*?)\}", text, re.DOTALL)
    if block:
        keys = re.findall(r"['\"]([\w.-]+)['\"]\s*:", block.group(1))
        if keys:
            out.append(f"extras: {', '.join(keys)}")
    if "tests_require" in text:
        out.append("declares tests_require")
    if "ext_modules" in text or "Extension(" in text:
        out.append("builds C extensions (needs a compiler)")
    facts.build_files.append(BuildFile(path="setup.py", kind="python", facts=out))


def _setup_cfg(root: Path, facts: PythonFacts) -> None:
    path = root / "setup.cfg"
    if not path.is_file():
        return
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(read_text(path))
    except configparser.Error:
        return
    out: list[str] = []
    if parser.has_option("options", "python_requires"):
        value = parser.get("options", "python_requires")
        out.append(f"python_requires: {value}")
        facts.add_version(value)
    if parser.has_section("options.extras_require"):
        out.append(f"extras: {', '.join(parser.options('options.extras_require'))}")
    if parser.has_section("tool:pytest"):
        out.append("pytest configured ([tool:pytest])")
        facts.tests.append(TestCommand(command="python -m pytest", source="setup.cfg", score=65))
    if out:
        facts.build_files.append(BuildFile(path="setup.cfg", kind="python", facts=out))


def _tox_ini(root: Path, facts: PythonFacts) -> None:
    path = root / "tox.ini"
    if not path.is_file():
        return
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(read_text(path))
    except configparser.Error:
        return
    out: list[str] = []
    if parser.has_option("tox", "envlist"):
        envs = " ".join(parser.get("tox", "envlist").split())
        out.append(f"envlist: {envs}")
    for section in parser.sections():
        if not (section == "testenv" or section.startswith("testenv:")):
            continue
        for key in ("extras", "deps", "commands"):
            if not parser.has_option(section, key):
                continue
            lines = [ln.strip() for ln in parser.get(section, key).splitlines() if ln.strip()]
            if key == "deps":
                out.append(f"[{section}] deps: {', '.join(lines[:8])}")
                continue
            out.append(f"[{section}] {key}: {' ; '.join(lines)}")
            if key == "commands":
                for line in lines:
                    command = _strip_tox_substitutions(line)
                    if re.search(r"pytest|unittest|runtests|trial|nose", command):
                        facts.tests.append(
                            TestCommand(command=command, source=f"tox.ini [{section}]", score=72)
                        )
    facts.build_files.append(BuildFile(path="tox.ini", kind="tox", facts=out))


def _strip_tox_substitutions(line: str) -> str:
    """`tests: pytest {posargs:-n auto} --basetemp={envtmpdir}` → `pytest -n auto`.

    Factor prefixes are dropped, `{posargs:default}` keeps its default, and any other word that
    still holds a `{substitution}` is dropped whole (a half-substituted flag is worse than none).
    """
    line = re.sub(r"^[\w{},.-]+:\s+", "", line.strip())
    line = re.sub(r"\{posargs:?([^}]*)\}", r"\1", line)
    return " ".join(word for word in line.split() if not re.search(r"\{[^}]*\}", word))


def _noxfile(root: Path, facts: PythonFacts) -> None:
    path = root / "noxfile.py"
    if not path.is_file():
        return
    try:
        tree = ast.parse(read_text(path))
    except SyntaxError:
        return
    out: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef) or not any(_is_nox_session(d) for d in node.decorator_list):
            continue
        runs = []
        for call in ast.walk(node):
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr in ("run", "install")
            ):
                words = [
                    a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ]
                prefix = ["pip", "install"] if call.func.attr == "install" else []
                if words:
                    runs.append(" ".join(prefix + words))
        out.append(f"session {node.name}: {' ; '.join(runs) or '(no literal commands)'}")
        if "test" in node.name:
            facts.tests.append(TestCommand(command=f"nox -s {node.name}", source="noxfile.py", score=62))
            for run in runs:
                if re.search(r"pytest|unittest", run):
                    facts.tests.append(
                        TestCommand(command=run, source=f"noxfile.py session {node.name}", score=70)
                    )
    facts.build_files.append(BuildFile(path="noxfile.py", kind="nox", facts=out))


def _is_nox_session(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr == "session"


def _requirements(root: Path, facts: PythonFacts) -> None:
    candidates = sorted(root.glob("requirements*.txt")) + sorted(root.glob("requirements/*.txt"))
    candidates += sorted(root.glob("*requirements*.txt"))
    seen: set[Path] = set()
    for path in candidates:
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        lines = [
            ln.strip() for ln in read_text(path).splitlines() if ln.strip() and not ln.strip().startswith("#")
        ]
        shown = f": {', '.join(lines[:10])}" if TEST_NAME.search(path.name) else ""
        facts.build_files.append(
            BuildFile(path=rel(root, path), kind="requirements", facts=[f"{len(lines)} entries{shown}"])
        )
