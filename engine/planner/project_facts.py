"""What the planner needs to know about a project folder, read from its build files (never executed)."""

from __future__ import annotations

import configparser
import contextlib
import json
import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, Field

TEST_EXTRA_NAMES = ("test", "tests", "testing", "dev", "develop", "all")
TEST_REQUIREMENT_FILES = (
    "requirements-test.txt",
    "requirements_test.txt",
    "test-requirements.txt",
    "test_requirements.txt",
    "requirements-tests.txt",
    "requirements/test.txt",
    "requirements/tests.txt",
    "requirements/testing.txt",
    "requirements-dev.txt",
    "dev-requirements.txt",
    "requirements/dev.txt",
    "tests/requirements.txt",
)
SKIPPED_DIRS = {".git", "node_modules", ".venv", "venv", "build", "dist", "__pycache__", ".tox"}


class ProjectFacts(BaseModel):
    language: str  # python, javascript, c, cpp, rust, go, java, unknown
    build_system: str  # pip, npm, yarn, pnpm, cmake, meson, autotools, make, cargo, go, maven, gradle
    python_packages: list[str] = Field(default_factory=list)  # own top-level import names
    python_install_target: str | None = None  # ".", ".[test]" ...
    requirement_files: list[str] = Field(default_factory=list)
    dependency_groups: list[str] = Field(default_factory=list)
    tox_deps: list[str] = Field(default_factory=list)
    pytest_configured: bool = False
    test_dir: str | None = None
    # Distributions the project names anywhere (dependencies, every extra, dependency groups)
    declared_distributions: list[str] = Field(default_factory=list)
    # Python files named like tests (test*.py, *_test.py, tests.py), wherever they are
    python_test_files: list[str] = Field(default_factory=list)
    uses_pytest: bool = True
    node_major: int | None = None
    npm_test_script: str | None = None
    makefile_test_target: str | None = None
    has_configure: bool = False
    # Other native build systems the project also ships, to try when the chosen one fails
    other_build_systems: list[str] = Field(default_factory=list)
    debian_build_depends: list[str] = Field(default_factory=list)


def read_facts(root: Path, language_hint: str | None = None) -> ProjectFacts:
    files = {p.relative_to(root).as_posix() for p in _walk(root, depth=2)}
    has = files.__contains__
    language, build = _language_and_build(root, files, language_hint)
    facts = ProjectFacts(language=language, build_system=build)
    facts.debian_build_depends = _debian_build_depends(root / "debian" / "control")
    if language == "python":
        _python_facts(root, files, facts)
    elif language == "javascript":
        _node_facts(root, facts)
    facts.has_configure = has("configure")
    facts.other_build_systems = [b for b in _native_build_systems(files) if b != build]
    if has("Makefile") or has("GNUmakefile"):
        text = _read(root / ("Makefile" if has("Makefile") else "GNUmakefile"))
        for target in ("check", "test", "tests"):
            if re.search(rf"^{target}\s*:", text, re.MULTILINE):
                facts.makefile_test_target = target
                break
    return facts


def _native_build_systems(files: set[str]) -> list[str]:
    """Every C/C++ build system present, in the order the planner prefers them."""
    present = {
        "meson": "meson.build" in files,
        "cmake": "CMakeLists.txt" in files,
        "autotools": bool({"configure", "configure.ac", "configure.in"} & files),
        "make": bool({"Makefile", "GNUmakefile"} & files),
    }
    return [name for name, found in present.items() if found]


def _language_and_build(root: Path, files: set[str], hint: str | None) -> tuple[str, str]:
    has = files.__contains__
    if has("package.json") and not (has("setup.py") or has("pyproject.toml")):
        manager = "pnpm" if has("pnpm-lock.yaml") else "yarn" if has("yarn.lock") else "npm"
        return "javascript", manager
    if (
        has("pyproject.toml")
        or has("setup.py")
        or has("setup.cfg")
        or any(f.startswith("requirements") and f.endswith(".txt") for f in files)
    ):
        return "python", "pip"
    if has("Cargo.toml"):
        return "rust", "cargo"
    if has("go.mod"):
        return "go", "go"
    if has("pom.xml"):
        return "java", "maven"
    if has("build.gradle") or has("build.gradle.kts"):
        return "java", "gradle"
    native = "cpp" if any(f.endswith((".cpp", ".cc", ".cxx", ".hpp")) for f in files) else "c"
    if hint in ("c", "cpp", "c++"):
        native = "cpp" if hint != "c" else "c"
    if has("meson.build"):
        return native, "meson"
    if has("CMakeLists.txt"):
        return native, "cmake"
    if has("configure") or has("configure.ac") or has("configure.in"):
        return native, "autotools"
    if has("Makefile") or has("GNUmakefile"):
        return native, "make"
    return (hint or "unknown"), "unknown"


def _python_facts(root: Path, files: set[str], facts: ProjectFacts) -> None:
    pyproject = _toml(root / "pyproject.toml")
    project = pyproject.get("project", {})
    extras = dict(project.get("optional-dependencies", {}))
    setup_cfg = configparser.ConfigParser(interpolation=None)
    if (root / "setup.cfg").is_file():
        with contextlib.suppress(configparser.Error):
            setup_cfg.read(root / "setup.cfg")
        if setup_cfg.has_section("options.extras_require"):
            extras.update(setup_cfg["options.extras_require"])
    setup_py = _read(root / "setup.py")
    for name in re.findall(r"['\"](\w+)['\"]\s*:\s*\[", setup_py.split("extras_require", 1)[-1][:2000]):
        extras.setdefault(name, [])
    if "pyproject.toml" in files or "setup.py" in files or "setup.cfg" in files:
        chosen = next((name for name in TEST_EXTRA_NAMES if name in extras), None)
        facts.python_install_target = f".[{chosen}]" if chosen else "."
    facts.dependency_groups = [g for g in TEST_EXTRA_NAMES if g in pyproject.get("dependency-groups", {})]
    facts.declared_distributions = _declared_distributions(project, extras, pyproject)
    facts.requirement_files = [f for f in TEST_REQUIREMENT_FILES if f in files]
    if facts.python_install_target is None and "requirements.txt" in files:
        facts.requirement_files.insert(0, "requirements.txt")
    facts.tox_deps = _tox_deps(root / "tox.ini")
    facts.pytest_configured = (
        "pytest" in pyproject.get("tool", {})
        or "pytest.ini" in files
        or "[pytest]" in _read(root / "tox.ini")
        or "[tool:pytest]" in _read(root / "setup.cfg")
    )
    facts.test_dir = next((d for d in ("tests", "test", "testing") if (root / d).is_dir()), None)
    facts.python_packages = _own_python_packages(root)
    facts.python_test_files = _python_test_files(root)


TEST_FILE_NAME = re.compile(r"^(test.*|.*_test|tests)\.py$")
MAX_TEST_FILES = 200


def _python_test_files(root: Path) -> list[str]:
    found = sorted(
        path.relative_to(root).as_posix()
        for path in _walk(root, depth=4)
        if path.is_file() and TEST_FILE_NAME.match(path.name)
    )
    return found[:MAX_TEST_FILES]


REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _declared_distributions(project: dict, extras: dict, pyproject: dict) -> list[str]:
    requirements: list[str] = list(project.get("dependencies", []))
    for values in extras.values():
        requirements += values.splitlines() if isinstance(values, str) else list(values)
    for group in pyproject.get("dependency-groups", {}).values():
        requirements += [item for item in group if isinstance(item, str)]
    names = (REQUIREMENT_NAME.match(str(r)) for r in requirements)
    return list(dict.fromkeys(m.group(1) for m in names if m))


def _own_python_packages(root: Path) -> list[str]:
    found = []
    for base in (root / "src", root):
        if not base.is_dir():
            continue
        for child in sorted(base.iterdir()):
            if child.name in SKIPPED_DIRS or child.name in ("tests", "test", "docs"):
                continue
            if (child / "__init__.py").is_file():
                found.append(child.name)
            elif child.suffix == ".py" and child.parent == root and child.stem not in ("setup", "conftest"):
                found.append(child.stem)
    return found


def _tox_deps(path: Path) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(_read(path))
    except configparser.Error:
        return []
    if not parser.has_option("testenv", "deps"):
        return []
    deps = []
    for line in parser.get("testenv", "deps").splitlines():
        line = line.split("#")[0].strip()
        if ":" in line.split(" ")[0] and not line.startswith(("-", "git+", "http")):
            line = line.split(":", 1)[1].strip()  # tox factor condition "py38: foo"
        if not line or "{" in line or "://" in line or line.startswith(("-", ".", "git+")):
            continue  # files, substitutions and VCS/URL pins (CI-only, often unreachable)
        deps.append(line)
    return deps


def _node_facts(root: Path, facts: ProjectFacts) -> None:
    try:
        package = json.loads(_read(root / "package.json") or "{}")
    except json.JSONDecodeError:
        package = {}
    facts.npm_test_script = (package.get("scripts") or {}).get("test")
    engines = (package.get("engines") or {}).get("node", "")
    numbers = [int(n) for n in re.findall(r"(\d+)", engines.split("||")[0])[:1]]
    facts.node_major = numbers[0] if numbers else None


def _debian_build_depends(path: Path) -> list[str]:
    text = _read(path)
    match = re.search(r"^Build-Depends(?:-Indep|-Arch)?:(.*?)(?=^\S|\Z)", text, re.MULTILINE | re.DOTALL)
    if not match:
        return []
    packages = []
    for entry in match.group(1).replace("\n", " ").split(","):
        first = entry.split("|")[0].strip()
        name = re.split(r"[\s(<\[:]", first, maxsplit=1)[0]
        # packaging helpers are not needed to build and test upstream's way
        if name and not name.startswith(("debhelper", "dh-", "dpkg-dev")) and "<!nocheck>" not in entry:
            packages.append(name)
    return packages


def _walk(root: Path, depth: int):
    if depth < 0 or not root.is_dir():
        return
    for child in root.iterdir():
        if child.name in SKIPPED_DIRS:
            continue
        yield child
        if child.is_dir():
            yield from _walk(child, depth - 1)


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def _toml(path: Path) -> dict:
    try:
        return tomllib.loads(_read(path))
    except tomllib.TOMLDecodeError:
        return {}
