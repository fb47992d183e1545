"""From project facts to a first plan: a Dockerfile and the commands that install, build and test."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.planner.project_facts import ProjectFacts
from engine.sandbox.base_images import DEFAULT_BASE_IMAGE

StepKind = Literal["setup", "build", "test"]

SYSTEM_PACKAGES = {
    # Lean on purpose: a compiler, headers or git come from repair rules when an error asks for them.
    "python": ["python3", "python3-venv"],
    "javascript": ["nodejs", "npm", "git", "python3", "build-essential"],
    "c": ["build-essential", "cmake", "pkg-config", "autoconf", "automake", "libtool", "git"],
    "cpp": ["build-essential", "cmake", "pkg-config", "autoconf", "automake", "libtool", "git"],
    "rust": ["cargo", "rustc", "git", "pkg-config", "build-essential"],
    "go": ["golang-go", "git", "build-essential"],
    "java": ["default-jdk-headless", "maven", "git"],
    "unknown": ["build-essential", "git", "python3"],
}
BUILD_SYSTEM_PACKAGES = {"meson": ["meson", "ninja-build"], "gradle": ["gradle"]}

# pytest as the planner runs it: no cache files in the project, no per-test summary to wade through
PYTEST_RUN = "python -m pytest -p no:cacheprovider -rN"


@dataclass(frozen=True)
class PlanStep:
    kind: StepKind
    command: str
    purpose: str


@dataclass
class Learned:
    """What repairs taught, carried into later attempts and the final recipe."""

    apt_packages: list[str] = field(default_factory=list)
    pip_packages: list[str] = field(default_factory=list)
    setup_commands: list[str] = field(default_factory=list)

    def add(self, apt: tuple[str, ...] = (), pip: tuple[str, ...] = ()) -> None:
        self.apt_packages += [p for p in apt if p not in self.apt_packages]
        self.pip_packages += [p for p in pip if p not in self.pip_packages]


def dockerfile(
    facts: ProjectFacts, project_dir: str, learned: Learned, base: str = DEFAULT_BASE_IMAGE
) -> str:
    packages = list(SYSTEM_PACKAGES.get(facts.language, SYSTEM_PACKAGES["unknown"]))
    packages += BUILD_SYSTEM_PACKAGES.get(facts.build_system, [])
    packages += [p for p in facts.debian_build_depends + learned.apt_packages if p not in packages]
    # Few steps on purpose: the classic builder commits a layer per step, about a second each.
    env = "ENV DEBIAN_FRONTEND=noninteractive CI=true"
    venv = ""
    if facts.language == "python":
        env += " VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH PIP_DISABLE_PIP_VERSION_CHECK=1"
        venv = " \\\n && python3 -m venv /opt/venv"
    lines = [
        f"FROM {base}",
        env,
        "RUN apt-get update && apt-get install -y --no-install-recommends \\\n    "
        + " \\\n    ".join(packages)
        + " \\\n && rm -rf /var/lib/apt/lists/*"
        + venv,
    ]
    lines += [f"COPY . {project_dir}", f"WORKDIR {project_dir}"]
    return "\n".join(lines) + "\n"


def steps(facts: ProjectFacts, learned: Learned) -> list[PlanStep]:
    recipe = {
        "python": _python_steps,
        "javascript": _node_steps,
    }.get(facts.language)
    if recipe is None:
        recipe = _NATIVE.get(facts.build_system, _unknown_steps)
    return [PlanStep("setup", c, "a command that worked before") for c in learned.setup_commands] + recipe(
        facts, learned
    )


def _python_steps(facts: ProjectFacts, learned: Learned) -> list[PlanStep]:
    plan = [
        PlanStep(
            "setup",
            "python -m pip install --upgrade pip setuptools wheel",
            "a pip that knows today's formats",
        )
    ]
    if facts.python_install_target:
        target = facts.python_install_target
        plan.append(
            PlanStep(
                "setup", f"python -m pip install -e '{target}'", "install the project and its test extra"
            )
        )
    for requirements in facts.requirement_files:
        plan.append(
            PlanStep("setup", f"python -m pip install -r {requirements}", f"dependencies from {requirements}")
        )
    for group in facts.dependency_groups:
        plan.append(
            PlanStep("setup", f"python -m pip install --group {group}", f"the '{group}' dependency group")
        )
    if facts.tox_deps:
        plan.append(
            PlanStep("setup", f"python -m pip install {_quoted(facts.tox_deps)}", "dependencies from tox.ini")
        )
    runner = ["pytest", *learned.pip_packages]
    plan.append(
        PlanStep(
            "setup", f"python -m pip install {_quoted(runner)}", "the test runner and what repairs added"
        )
    )
    target = "" if facts.pytest_configured or not facts.test_dir else f" {facts.test_dir}"
    plan.append(PlanStep("test", f"{PYTEST_RUN}{target}", "run the test suite"))
    return plan


def _quoted(requirements: list[str]) -> str:
    return " ".join(f"'{r}'" if any(c in r for c in "<>=!~[; ") else r for r in dict.fromkeys(requirements))


def _node_steps(facts: ProjectFacts, learned: Learned) -> list[PlanStep]:
    plan = []
    if facts.node_major and facts.node_major > 18:  # Debian bookworm ships Node.js 18
        plan.append(
            PlanStep(
                "setup",
                f"npm install -g node@{facts.node_major} && hash -r && node --version",
                f"package.json asks for Node.js {facts.node_major}",
            )
        )
    install = {
        "pnpm": ("npm install -g pnpm && pnpm install", "pnpm test"),
        "yarn": ("npm install -g yarn && yarn install", "yarn test"),
        "npm": ("npm install --no-audit --no-fund", "npm test"),
    }[facts.build_system]
    plan.append(PlanStep("setup", install[0], "install dependencies"))
    plan.append(PlanStep("test", install[1], "run the test script of package.json"))
    return plan


def _cmake_steps(facts: ProjectFacts, learned: Learned) -> list[PlanStep]:
    return [
        PlanStep("build", "cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON", "configure"),
        PlanStep("build", "cmake --build build -j2", "compile"),
        PlanStep("test", "ctest --test-dir build --output-on-failure", "run the tests"),
    ]


def _meson_steps(facts: ProjectFacts, learned: Learned) -> list[PlanStep]:
    return [
        PlanStep("build", "meson setup build", "configure"),
        PlanStep("build", "meson compile -C build", "compile"),
        PlanStep("test", "meson test -C build --print-errorlogs", "run the tests"),
    ]


def _autotools_steps(facts: ProjectFacts, learned: Learned) -> list[PlanStep]:
    plan = [] if facts.has_configure else [PlanStep("build", "autoreconf -fi", "generate configure")]
    return plan + [
        PlanStep("build", "./configure", "configure"),
        PlanStep("build", "make -j2", "compile"),
        PlanStep("test", "make check", "run the tests"),
    ]


def _make_steps(facts: ProjectFacts, learned: Learned) -> list[PlanStep]:
    return [
        PlanStep("build", "make -j2", "compile"),
        PlanStep("test", f"make {facts.makefile_test_target or 'check'}", "run the tests"),
    ]


def _unknown_steps(facts: ProjectFacts, learned: Learned) -> list[PlanStep]:
    return [PlanStep("test", "ls -la && make check", "no build system recognised: try make check")]


_NATIVE = {
    "cmake": _cmake_steps,
    "meson": _meson_steps,
    "autotools": _autotools_steps,
    "make": _make_steps,
    "cargo": lambda f, _: [PlanStep("test", "cargo test", "build and test")],
    "go": lambda f, _: [PlanStep("test", "go test -v ./...", "build and test")],
    "maven": lambda f, _: [PlanStep("test", "mvn -B test", "build and test")],
    "gradle": lambda f, _: [PlanStep("test", "gradle test --console=plain", "build and test")],
}
