"""Repair rules: from the error a command printed to the commands that fix it.

Each rule reads only the observed output (and the failed command), never a project's name. The
first rule that matches wins; a rule that already fired for the same cause is not tried again, so
the planner cannot loop on a fix that did not help.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engine.planner.optional_imports import modules_of_optional_import
from engine.planner.package_tables import (
    CMAKE_PACKAGES,
    HEADER_PACKAGES,
    IMPORT_DISTRIBUTIONS,
    PYTEST_MARKER_PLUGINS,
    PYTEST_OPTION_PLUGINS,
    TOOL_PACKAGES,
)

PYTHON_TOOLS = {"pytest", "py.test", "tox", "nox", "hatch", "poetry", "pdm", "flit", "coverage"}


@dataclass(frozen=True)
class Repair:
    rule: str
    cause: str  # the key that must not be repaired twice, e.g. "module:yaml"
    explanation: str
    commands: tuple[str, ...] = ()
    replace_with: str | None = None  # run this instead of the failed command
    apt_packages: tuple[str, ...] = ()  # remembered for the next Dockerfile
    pip_packages: tuple[str, ...] = ()  # remembered for the next attempt's setup


@dataclass
class RepairContext:
    own_modules: set[str] = field(default_factory=set)  # the project's own top-level packages
    test_files: list[str] = field(default_factory=list)  # Python files named like tests
    project_dir: Path | None = None  # the host copy of the project, to read a failing test module
    declared_distributions: list[str] = field(default_factory=list)  # what the project's metadata names
    applied: set[str] = field(default_factory=set)  # causes already repaired


def apt_install(packages: str | tuple[str, ...]) -> str:
    names = " ".join(packages) if isinstance(packages, tuple) else packages
    return f"apt-get update -qq && apt-get install -y -qq --no-install-recommends {names}"


def apt_file_install(path_regex: str) -> str:
    """Find the package owning a file with apt-file (installed on demand) and install it."""
    return (
        "(command -v apt-file >/dev/null || (apt-get update -qq && apt-get install -y -qq apt-file"
        " >/dev/null && apt-file update >/dev/null)) && "
        f"pkg=$(apt-file search --package-only --regexp {shlex.quote(path_regex)} | head -n1) && "
        'test -n "$pkg" && echo "installing $pkg" && '
        'apt-get install -y -qq --no-install-recommends "$pkg"'
    )


def _pip_repair(rule: str, cause: str, explanation: str, requirements: tuple[str, ...]) -> Repair:
    """Install Python distributions into the run's environment, and remember them for the next attempt."""
    command = "python -m pip install " + " ".join(shlex.quote(r) for r in requirements)
    return Repair(rule, cause, explanation, (command,), pip_packages=requirements)


def _apt_repair(rule: str, cause: str, what: str, package: str | None, fallback_regex: str) -> Repair:
    if package:
        names = tuple(package.split())
        return Repair(rule, cause, f"{what} is provided by {package}", (apt_install(names),), None, names)
    return Repair(
        rule, cause, f"{what}: asking apt-file which package has it", (apt_file_install(fallback_regex),)
    )


def _externally_managed(output: str, command: str, ctx: RepairContext) -> Repair | None:
    if "externally-managed-environment" not in output:
        return None
    return Repair(
        "externally_managed",
        "venv",
        "the system Python refuses pip installs: use a virtual environment",
        ("python3 -m venv /opt/venv", ". /opt/venv/bin/activate"),
    )


def _pip_too_old(output: str, command: str, ctx: RepairContext) -> Repair | None:
    if "no such option: --group" not in output:
        return None
    return Repair(
        "pip_too_old",
        "pip-upgrade",
        "this pip predates dependency groups",
        ("python -m pip install --upgrade pip",),
    )


def _pytest_option(output: str, command: str, ctx: RepairContext) -> Repair | None:
    match = re.search(r"error: unrecognized arguments: (.+)", output)
    if not match or "pytest" not in output + command:
        return None
    options = [word.split("=")[0] for word in match.group(1).split() if word.startswith("-")]
    plugins = sorted({PYTEST_OPTION_PLUGINS[o] for o in options if PYTEST_OPTION_PLUGINS.get(o)})
    cause = "pytest-options:" + ",".join(options)
    if plugins:
        explanation = f"options {' '.join(options)} come from {', '.join(plugins)}"
        return _pip_repair("pytest_plugin", cause, explanation, tuple(plugins))
    if "addopts" in command:
        return None
    return Repair(
        "pytest_addopts",
        cause,
        "the project's pytest options need plugins not installed: drop them",
        replace_with=f'{command} -o addopts=""',
    )


def _pytest_too_new(output: str, command: str, ctx: RepairContext) -> Repair | None:
    match = re.search(r"PytestRemovedIn(\d+)Warning", output)
    if not match or "error" not in output.lower():
        return None
    # The suite turns pytest's deprecations into errors: the major before the warning's still runs it.
    ceiling = int(match.group(1)) - 1
    return _pip_repair(
        "pytest_too_new",
        "pytest-version",
        f"this suite fails on pytest {ceiling}'s deprecation warnings: use an older pytest",
        (f"pytest<{ceiling}",),
    )


def _pytest_marker(output: str, command: str, ctx: RepairContext) -> Repair | None:
    match = re.search(r"'(\w+)' not found in `markers` configuration option", output)
    if not match or match.group(1) not in PYTEST_MARKER_PLUGINS:
        return None
    marker = match.group(1)
    plugin = PYTEST_MARKER_PLUGINS[marker]
    explanation = f"the marker {marker} is registered by {plugin}"
    return _pip_repair("pytest_marker", f"marker:{marker}", explanation, (plugin,))


def _missing_module(output: str, command: str, ctx: RepairContext) -> Repair | None:
    match = re.search(r"(?:ModuleNotFoundError|ImportError): No module named '?([\w.]+)'?", output)
    if not match:
        return None
    module = match.group(1)
    top = module.split(".")[0]
    if top in ctx.own_modules:
        return Repair(
            "own_package",
            f"module:{top}",
            f"the project's own package {top} is not installed",
            ("python -m pip install -e .",),
        )
    dist = (
        IMPORT_DISTRIBUTIONS.get(module)
        or IMPORT_DISTRIBUTIONS.get(top)
        or _declared_distribution(top, ctx.declared_distributions)
        or top.replace("_", "-")
    )
    return _pip_repair("missing_module", f"module:{top}", f"module {module} comes from {dist}", (dist,))


def _optional_import(output: str, command: str, ctx: RepairContext) -> Repair | None:
    """A test module imports a plugin inside try/except ImportError, then uses it anyway."""
    match = re.search(
        r"^(\S+\.py):\d+: in <module>\n(?:.*\n){0,6}?E\s+NameError: name '(\w+)' is not defined",
        output,
        re.MULTILINE,
    )
    if match is None or ctx.project_dir is None:
        return None
    module_path, name = match.groups()
    modules = [
        m for m in modules_of_optional_import(ctx.project_dir / module_path, name) if m not in ctx.own_modules
    ]
    if not modules:
        return None
    dists = tuple(IMPORT_DISTRIBUTIONS.get(m, m.replace("_", "-")) for m in modules)
    return _pip_repair(
        "optional_import",
        f"optional:{name}",
        f"{module_path} uses {name} from an optional import that failed: install {', '.join(dists)}",
        dists,
    )


def _declared_distribution(module: str, declared: list[str]) -> str | None:
    """The distribution the project itself names for an import (`railroad` -> `railroad-diagrams`)."""
    wanted = module.lower().replace("_", "-")
    exact = (wanted, f"python-{wanted}", f"py{wanted}")
    named = [name for name in declared if name.lower().replace("_", "-") in exact]
    partly = [name for name in declared if wanted in re.split(r"[-_.]", name.lower())]
    return next(iter(named + partly), None)


# A program started by a test rather than by the shell: Python's subprocess and Node's spawn name it
# without a path when it is looked up on PATH.
_PROGRAM_NOT_ON_PATH = re.compile(
    r"FileNotFoundError: \[Errno 2\] No such file or directory: '([\w.+-]+)'|spawn ([\w.+-]+) ENOENT"
)

_DATA_FILE = re.compile(r"\.(?:py|txt|json|cfg|toml|ini|yaml|yml|xml|csv|so|c|h)$")


def _command_not_found(output: str, command: str, ctx: RepairContext) -> Repair | None:
    match = re.search(
        r"(?:^|\n)(?:\S*sh: )?(?:line \d+: )?([\w.+-]+): (?:command )?not found", output
    ) or _PROGRAM_NOT_ON_PATH.search(output)
    if not match:
        return None
    tool = next(group for group in match.groups() if group)
    if _DATA_FILE.search(tool):
        return None  # a file the test reads, not a program
    if tool in PYTHON_TOOLS:
        dist = "pytest" if tool == "py.test" else tool
        return _pip_repair("python_tool", f"tool:{tool}", f"{tool} is installed with pip", (dist,))
    return _apt_repair(
        "missing_tool",
        f"tool:{tool}",
        f"the program {tool}",
        TOOL_PACKAGES.get(tool),
        f"/s?bin/{re.escape(tool)}$",
    )


# setuptools announces each C extension before compiling it
_EXTENSION_BUILD = re.compile(r"^\s*building '[\w.]+' extension\s*$", re.MULTILINE)
# what a compiler that ran prints about a source file it could not compile
_COMPILER_DIAGNOSTIC = re.compile(r"\.(?:c|cc|cpp|cxx|h|hpp|pyx):\d+(?::\d+)?: (?:fatal )?error:")


def _compiler_missing(output: str, command: str, ctx: RepairContext) -> Repair | None:
    match = re.search(
        r"No such file or directory: '([\w./-]*?(?:gcc|g\+\+|cc|c\+\+|clang))'", output
    ) or re.search(r"command '([\w./-]*?(?:gcc|g\+\+|cc|c\+\+))' failed", output)
    if match:
        what = f"no C compiler ({match.group(1)})"
    elif _EXTENSION_BUILD.search(output) and not _COMPILER_DIAGNOSTIC.search(output):
        # Some setup.py files catch the compiler's failure and retry without their extension, hiding
        # the "command 'gcc' failed" line; a compiler that ran would have named a source line.
        what = "a C extension build failed without a compiler diagnostic (the compiler is probably missing)"
    else:
        return None
    # A Python C extension needs the compiler and Python's headers together.
    python = any(marker in output for marker in ("build_ext", "bdist_wheel", "Python.h", "pip", "extension"))
    packages = ("build-essential", "python3-dev") if python else ("build-essential",)
    return Repair(
        "compiler_missing",
        "compiler",
        f"{what}: install {' and '.join(packages)}",
        (apt_install(packages),),
        apt_packages=packages,
    )


def _missing_header(output: str, command: str, ctx: RepairContext) -> Repair | None:
    match = re.search(r"fatal error: ([\w./+-]+\.h(?:pp)?): No such file or directory", output)
    if not match:
        return None
    header = match.group(1)
    return _apt_repair(
        "missing_header",
        f"header:{header}",
        f"the header {header}",
        HEADER_PACKAGES.get(header),
        f"/include/(.*/)?{re.escape(header)}$",
    )


def _cmake_package(output: str, command: str, ctx: RepairContext) -> Repair | None:
    match = re.search(r"Could NOT find (\w+)", output) or re.search(
        r'Could not find a package configuration file provided by "([\w-]+)"', output
    )
    if not match:
        return None
    name = match.group(1)
    return _apt_repair(
        "cmake_package",
        f"cmake:{name}",
        f"CMake package {name}",
        CMAKE_PACKAGES.get(name),
        f"/({re.escape(name)}Config|{re.escape(name.lower())}-config)\\.cmake$",
    )


def _pkg_config(output: str, command: str, ctx: RepairContext) -> Repair | None:
    match = (
        re.search(r"No package '([\w.+-]+)' found", output)
        or re.search(r"Package '([\w.+-]+)', required by '[^']*', not found", output)
        or re.search(r"Package ([\w.+-]+) was not found in the pkg-config search path", output)
        or re.search(r"Dependency \"?([\w.+-]+)\"? not found", output)  # meson
    )
    if not match:
        return None
    name = match.group(1)
    return _apt_repair(
        "pkg_config", f"pc:{name}", f"pkg-config module {name}", None, f"/pkgconfig/{re.escape(name)}\\.pc$"
    )


def _apt_lists(output: str, command: str, ctx: RepairContext) -> Repair | None:
    if "E: Unable to locate package" not in output or "apt-get update" in command:
        return None
    return Repair(
        "apt_update",
        "apt-update",
        "the package lists are empty: update them first",
        replace_with=f"apt-get update -qq && {command}",
    )


def _python_too_old(output: str, command: str, ctx: RepairContext) -> Repair | None:
    if "requires a different Python" not in output or "pip" not in command:
        return None
    return Repair(
        "python_version",
        "python-version",
        "no matching interpreter here: install ignoring Requires-Python (most code still runs)",
        replace_with=f"{command} --ignore-requires-python",
    )


def _node_version(output: str, command: str, ctx: RepairContext) -> Repair | None:
    markers = (
        "EBADENGINE",
        "Unsupported engine",
        'The engine "node" is incompatible',
        "SyntaxError: Unexpected token",
        "is not supported by this version of Node",
    )
    if not any(marker in output for marker in markers):
        return None
    wanted = re.search(r'"?node"?:\s*"[^\d]*(\d+)', output) or re.search(
        r"Expected version \"[^\d]*(\d+)", output
    )
    major = max(int(wanted.group(1)), 20) if wanted else 20
    version = str(major) if major <= 24 else "latest"  # no release that new: take the newest there is
    return Repair(
        "node_version",
        "node-version",
        f"this Node.js is too old: install node {version} from npm",
        (f"npm install -g node@{version} && hash -r && node --version",),
    )


def _npm_ci_mismatch(output: str, command: str, ctx: RepairContext) -> Repair | None:
    if "npm ci" not in command or not re.search(
        r"npm ci` can only install|package-lock\.json.*in sync|EUSAGE", output
    ):
        return None
    return Repair(
        "npm_ci_lock",
        "npm-ci",
        "the lockfile does not match package.json: use npm install",
        replace_with=command.replace("npm ci", "npm install"),
    )


def _make_target(output: str, command: str, ctx: RepairContext) -> Repair | None:
    match = re.search(r"No rule to make target '(check|test)'", output)
    if not match:
        return None
    other = "test" if match.group(1) == "check" else "check"
    return Repair(
        "make_target",
        f"make-{match.group(1)}",
        f"there is no '{match.group(1)}' target: try '{other}'",
        replace_with=command.replace(f"make {match.group(1)}", f"make {other}"),
    )


def _pytest_collected_nothing(output: str, command: str, ctx: RepairContext) -> Repair | None:
    """pytest collects only files matching its name patterns (test_*.py, *_test.py); named, it takes any."""
    if "pytest" not in command or not re.search(r"^=+ no tests ran in ", output, re.MULTILINE):
        return None
    named = [f for f in ctx.test_files if f not in command]
    if not named:
        return None
    return Repair(
        "pytest_collected_nothing",
        "no_tests_collected",
        f"pytest collected no tests; naming the test files it skipped ({', '.join(named[:3])}"
        + (", ..." if len(named) > 3 else "")
        + ")",
        replace_with=f"{command} {' '.join(shlex.quote(f) for f in named)}",
    )


def _no_editable(output: str, command: str, ctx: RepairContext) -> Repair | None:
    markers = (
        "does not support editable",
        "missing the 'build_editable' hook",
        "invalid command 'develop'",
        "cannot be installed in editable mode",
    )
    if " -e " not in command or not any(marker in output for marker in markers):
        return None
    return Repair(
        "no_editable",
        "editable",
        "this build backend cannot install in editable mode",
        replace_with=command.replace(" -e ", " "),
    )


def _configure_missing(output: str, command: str, ctx: RepairContext) -> Repair | None:
    if "./configure: No such file or directory" not in output:
        return None
    return Repair(
        "autoreconf",
        "autoreconf",
        "no configure script: generate it with autoreconf",
        (apt_install(("autoconf", "automake", "libtool")), "autoreconf -fi"),
        apt_packages=("autoconf", "automake", "libtool"),
    )


def _scm_version(output: str, command: str, ctx: RepairContext) -> Repair | None:
    if (
        "setuptools-scm was unable to detect version" not in output
        and "unable to detect version" not in output
    ):
        return None
    return Repair(
        "scm_version",
        "scm-version",
        "no git metadata for the version: pretend one",
        ("export SETUPTOOLS_SCM_PRETEND_VERSION=0.0.0",),
    )


def _dubious_ownership(output: str, command: str, ctx: RepairContext) -> Repair | None:
    if "detected dubious ownership" not in output:
        return None
    return Repair(
        "git_safe_directory",
        "git-safe",
        "git refuses the copied repository: mark it safe",
        ("git config --global --add safe.directory '*'",),
    )


RULES: tuple[Callable[[str, str, RepairContext], Repair | None], ...] = (
    _externally_managed,
    _pip_too_old,
    _python_too_old,
    _scm_version,
    _no_editable,
    _dubious_ownership,
    _pytest_option,
    _pytest_too_new,
    _pytest_marker,
    _pytest_collected_nothing,
    _missing_module,
    _optional_import,
    _compiler_missing,
    _missing_header,
    _cmake_package,
    _pkg_config,
    _apt_lists,
    _configure_missing,
    _make_target,
    _npm_ci_mismatch,
    _node_version,
    _command_not_found,
)


def find_repair(output: str, command: str, context: RepairContext | None = None) -> Repair | None:
    """The first rule that matches the output and has not fixed the same cause before."""
    context = context or RepairContext()
    for rule in RULES:
        repair = rule(output, command, context)
        if repair is not None and repair.cause not in context.applied:
            return repair
    return None
