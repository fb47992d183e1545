"""The project brief mined from small, realistic project trees."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.project_brief import ProjectBrief, mine_project

BUNDLED_PYCALC = Path(__file__).resolve().parents[1] / "engine" / "bundled_projects" / "pycalc"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def facts_of(brief: ProjectBrief, path: str) -> list[str]:
    return next(bf.facts for bf in brief.build_files if bf.path == path)


def commands(brief: ProjectBrief) -> list[str]:
    return [t.command for t in brief.test_commands]


@pytest.fixture
def python_project(tmp_path: Path) -> Path:
    return write(
        tmp_path / "acme",
        {
            "pyproject.toml": """
                [build-system]
                requires = ["hatchling"]
                build-backend = "hatchling.build"

                [project]
                name = "acme"
                requires-python = ">=3.10"
                dependencies = ["requests>=2"]
                classifiers = [
                    "Programming Language :: Python :: 3.11",
                    "Programming Language :: Python :: 3.12",
                ]

                [project.optional-dependencies]
                test = ["pytest>=8", "pytest-cov"]
                docs = ["sphinx"]

                [dependency-groups]
                dev = ["ruff", {include-group = "lint"}]
                lint = ["mypy"]

                [tool.pytest.ini_options]
                testpaths = ["tests"]
            """,
            "tox.ini": """
                [tox]
                envlist = py311, py312, lint

                [testenv]
                extras = test
                commands =
                    pytest -rA {posargs:tests}

                [testenv:lint]
                deps = ruff
                commands = ruff check .
            """,
            "noxfile.py": """
                import nox

                @nox.session(python=["3.11", "3.12"])
                def tests(session):
                    session.install(".[test]")
                    session.run("pytest", "-q", "tests")

                @nox.session
                def lint(session):
                    session.run("ruff", "check", ".")
            """,
            "requirements-test.txt": "pytest==8.1\n# comment\nhypothesis\n",
            ".python-version": "3.12\n",
            ".github/workflows/ci.yml": """
                name: CI
                on: [push]
                jobs:
                  test:
                    runs-on: ubuntu-latest
                    strategy:
                      matrix:
                        python-version: ["3.11", "3.12"]
                    steps:
                      - uses: actions/checkout@v4
                      - uses: actions/setup-python@v5
                        with:
                          python-version: ${{ matrix.python-version }}
                      - name: Install
                        run: |
                          python -m pip install -U pip
                          pip install -e ".[test]" \\
                            --no-cache-dir
                      - run: echo done
                      - name: Test
                        run: python -m pytest -rA tests
            """,
            "README.md": """
                # acme

                Does things.

                ## Installation

                ```bash
                pip install acme
                ```

                ## Usage

                Not a code block.

                ## Running the tests

                ```console
                $ python -m pytest -rA tests
                ```
            """,
            "src/acme/__init__.py": "",
            "src/acme/core.py": "",
            "tests/test_core.py": "",
            "Dockerfile": "FROM python:3.12\n",
        },
    )


def test_python_project_versions_extras_and_groups(python_project):
    brief = mine_project(python_project)
    assert brief.root_name == "acme"
    assert brief.languages == {"python": 4}
    assert {">=3.10", "3.11", "3.12"} <= set(brief.python_versions)
    facts = facts_of(brief, "pyproject.toml")
    assert "requires-python: >=3.10" in facts
    assert "extra [test]: pytest>=8, pytest-cov" in facts
    assert "extra [docs]" in facts
    assert "dependency group [dev]: ruff, include lint" in facts
    assert "build backend: hatchling.build" in facts


def test_tox_nox_and_requirements_are_read(python_project):
    brief = mine_project(python_project)
    tox = facts_of(brief, "tox.ini")
    assert "envlist: py311, py312, lint" in tox
    assert "[testenv] extras: test" in tox
    assert "[testenv:lint] commands: ruff check ." in tox
    nox = facts_of(brief, "noxfile.py")
    assert "session tests: pip install .[test] ; pytest -q tests" in nox
    assert "session lint: ruff check ." in nox
    assert facts_of(brief, "requirements-test.txt") == ["2 entries: pytest==8.1, hypothesis"]


def test_ci_run_steps_including_blocks_and_continuations(python_project):
    brief = mine_project(python_project)
    ci = [c.command for c in brief.ci_commands]
    assert ci == [
        "python -m pip install -U pip",
        'pip install -e ".[test]" --no-cache-dir',
        "python -m pytest -rA tests",
    ]
    assert brief.ci_files == [".github/workflows/ci.yml"]
    assert brief.dockerfiles == ["Dockerfile"]


def test_test_commands_agreeing_sources_rank_first(python_project):
    brief = mine_project(python_project)
    best = brief.test_commands[0]
    # CI and the README both run it: agreement beats a single source.
    assert best.command == "python -m pytest -rA tests"
    assert ".github/workflows/ci.yml" in best.source and "README.md" in best.source
    assert "pytest -rA tests" in commands(brief)  # from tox, {posargs:tests} resolved
    assert "nox -s tests" in commands(brief)
    assert "ruff check ." not in commands(brief)


def test_readme_code_blocks_under_matching_headings_only(python_project):
    brief = mine_project(python_project)
    headings = [(s.source, s.heading) for s in brief.readme_snippets]
    assert headings == [("README.md", "Installation"), ("README.md", "Running the tests")]
    assert brief.readme_snippets[1].code == "$ python -m pytest -rA tests"


def test_javascript_project(tmp_path):
    root = write(
        tmp_path / "webapp",
        {
            "package.json": json.dumps(
                {
                    "name": "webapp",
                    "packageManager": "pnpm@9.1.0",
                    "engines": {"node": ">=20"},
                    "scripts": {
                        "build": "tsc -p .",
                        "test": "vitest run",
                        "test:e2e": "playwright test",
                    },
                    "devDependencies": {"vitest": "^1", "typescript": "^5"},
                }
            ),
            "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
            ".nvmrc": "20.11.1\n",
            "src/index.ts": "",
            "src/util.ts": "",
            "src/types.d.ts": "",
            "scripts/gen.js": "",
            "node_modules/dep/index.js": "",
        },
    )
    brief = mine_project(root)
    assert brief.languages == {"typescript": 2, "javascript": 1}
    assert brief.package_manager == "pnpm"
    assert brief.node_version == ">=20"
    facts = facts_of(brief, "package.json")
    assert "package manager: pnpm (packageManager field: pnpm@9.1.0)" in facts
    assert "script test: vitest run" in facts
    assert ".nvmrc: 20.11.1" in facts
    assert "test runners in dependencies: vitest" in facts
    assert commands(brief)[0] == "pnpm test"
    assert "pnpm run test:e2e" in commands(brief)


@pytest.mark.parametrize(
    ("lockfile", "content", "manager"),
    [
        ("yarn.lock", "# yarn lockfile v1\n", "yarn"),
        ("package-lock.json", "{}", "npm"),
        ("bun.lockb", "", "bun"),
    ],
)
def test_package_manager_from_lockfile(tmp_path, lockfile, content, manager):
    root = write(tmp_path, {"package.json": '{"scripts": {"test": "jest"}}', lockfile: content})
    brief = mine_project(root)
    assert brief.package_manager == manager
    assert f"{manager} test" in commands(brief)


def test_npm_placeholder_test_script_is_not_a_candidate(tmp_path):
    default = 'echo "Error: no test specified" && exit 1'
    root = write(tmp_path, {"package.json": json.dumps({"scripts": {"test": default}})})
    assert "npm test" not in commands(mine_project(root))


def test_c_project_with_cmake_make_and_autotools(tmp_path):
    root = write(
        tmp_path / "libfoo",
        {
            "CMakeLists.txt": """
                cmake_minimum_required(VERSION 3.16)
                project(foo C)
                option(FOO_BUILD_TESTS "Build tests" ON)
                find_package(OpenSSL REQUIRED)
                find_package(ZLIB)
                enable_testing()
                add_test(NAME basic COMMAND foo_test)
            """,
            "Makefile": (
                "all: foo\n\nfoo: foo.o\n\tcc -o foo foo.o\n\ncheck: foo\n\t./run-tests.sh\n\nX := 1\n"
            ),
            "configure.ac": "AC_INIT([foo], [1.0])\n",
            "Makefile.am": "TESTS = t1\n",
            "src/foo.c": "",
            "src/foo.h": "",
            ".gitlab-ci.yml": """
                build:
                  image: gcc:13
                  before_script:
                    - apt-get update && apt-get install -y cmake libssl-dev
                  script:
                    - cmake -S . -B build -DFOO_BUILD_TESTS=ON
                    - cmake --build build
                    - ctest --test-dir build
            """,
        },
    )
    brief = mine_project(root)
    assert brief.languages == {"c": 1}
    cmake = facts_of(brief, "CMakeLists.txt")
    assert "cmake minimum: 3.16" in cmake
    assert "test options: FOO_BUILD_TESTS" in cmake
    assert "find_package: OpenSSL, ZLIB" in cmake
    assert facts_of(brief, "Makefile") == ["targets: all, foo, check", "test targets: check"]
    assert any("autoreconf" in f for f in facts_of(brief, "configure.ac"))
    assert [c.command for c in brief.ci_commands] == [
        "apt-get update && apt-get install -y cmake libssl-dev",
        "cmake -S . -B build -DFOO_BUILD_TESTS=ON",
        "cmake --build build",
        "ctest --test-dir build",
    ]
    cmds = commands(brief)
    assert cmds[0] == "ctest --test-dir build"
    assert "make check" in cmds
    assert any(c.startswith("cmake -S . -B build -DFOO_BUILD_TESTS=ON") for c in cmds)


def test_meson_project(tmp_path):
    root = write(
        tmp_path,
        {"meson.build": "project('m', 'c')\nglib = dependency('glib-2.0')\ntest('t', exe)\n"},
    )
    brief = mine_project(root)
    assert "dependencies: glib-2.0" in facts_of(brief, "meson.build")
    assert "meson setup build && meson test -C build --print-errorlogs" in commands(brief)


def test_rust_workspace(tmp_path):
    root = write(
        tmp_path,
        {
            "Cargo.toml": """
                [workspace]
                members = ["core", "cli"]

                [package]
                name = "tool"
                edition = "2021"
                rust-version = "1.74"
            """,
            "rust-toolchain.toml": '[toolchain]\nchannel = "1.78.0"\n',
            "core/src/lib.rs": "",
        },
    )
    brief = mine_project(root)
    facts = facts_of(brief, "Cargo.toml")
    assert "rust-version: 1.74" in facts
    assert "workspace members: core, cli" in facts
    assert "rust-toolchain.toml: 1.78.0" in facts
    assert "no Cargo.lock" in facts
    assert commands(brief)[0] == "cargo test --workspace"


def test_go_module(tmp_path):
    root = write(
        tmp_path,
        {
            "go.mod": "module example.com/svc\n\ngo 1.22.1\n\ntoolchain go1.22.5\n",
            "main.go": "",
            "main_test.go": "",
            ".travis.yml": "language: go\nscript:\n  - go vet ./...\n  - go test -race ./...\n",
        },
    )
    brief = mine_project(root)
    assert brief.go_version == "1.22.1"
    assert "toolchain: go1.22.5" in facts_of(brief, "go.mod")
    assert brief.languages == {"go": 2}
    assert commands(brief)[:2] == ["go test -race ./...", "go test ./..."]


def test_maven_project(tmp_path):
    root = write(
        tmp_path,
        {
            "pom.xml": """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <artifactId>commons-thing</artifactId>
                  <modules><module>core</module><module>api</module></modules>
                  <properties><maven.compiler.release>17</maven.compiler.release></properties>
                  <build><plugins>
                    <plugin><artifactId>maven-surefire-plugin</artifactId></plugin>
                  </plugins></build>
                </project>
            """,
            "mvnw": "#!/bin/sh\n",
            "src/main/java/A.java": "",
        },
    )
    brief = mine_project(root)
    facts = facts_of(brief, "pom.xml")
    assert "artifactId: commons-thing" in facts
    assert "modules: core, api" in facts
    assert "plugins: maven-surefire-plugin" in facts
    assert brief.java_version == "17"
    assert commands(brief) == ["./mvnw -B -ntp test"]


def test_gradle_kotlin_dsl_project(tmp_path):
    root = write(
        tmp_path,
        {
            "build.gradle.kts": ("java { toolchain { languageVersion = JavaLanguageVersion.of(21) } }\n"),
            "settings.gradle.kts": 'include("core", "web")\n',
            "gradlew": "#!/bin/sh\n",
        },
    )
    brief = mine_project(root)
    facts = facts_of(brief, "build.gradle.kts")
    assert "java: 21" in facts
    assert "Gradle wrapper ./gradlew present" in facts
    assert brief.java_version == "21"
    assert commands(brief) == ["./gradlew test --no-daemon --console=plain"]


def test_circleci_command_blocks_and_rst_contributing(tmp_path):
    root = write(
        tmp_path,
        {
            ".circleci/config.yml": """
                version: 2.1
                jobs:
                  test:
                    steps:
                      - checkout
                      - run:
                          name: Unit tests
                          command: |
                            make -j4
                            make test
            """,
            "Makefile": "test:\n\t./t\n",
            "CONTRIBUTING.rst": """
                Contributing
                ============

                Running the test suite
                ----------------------

                Build first, then run::

                    make -j4
                    make test

                Style
                -----

                Use this::

                    indent -kr
            """,
        },
    )
    brief = mine_project(root)
    assert [c.command for c in brief.ci_commands] == ["make -j4", "make test"]
    assert [(s.heading, s.code) for s in brief.readme_snippets] == [
        ("Running the test suite", "make -j4\nmake test")
    ]
    best = brief.test_commands[0]
    assert best.command == "make test"
    assert best.source.split("; ") == ["Makefile", ".circleci/config.yml", "CONTRIBUTING.rst"]


def test_prompt_text_is_compact_and_bounded(python_project):
    brief = mine_project(python_project)
    text = brief.to_prompt_text()
    assert text.startswith("# Project brief: acme\nLanguages: python (4 files)")
    assert "Version hints: Python >=3.10, 3.11, 3.12" in text
    assert "## Candidate test commands (best first)\n- `python -m pytest -rA tests`" in text
    assert "- pyproject.toml [python]" in text
    short = brief.to_prompt_text(max_chars=400)
    assert len(short) <= 400
    assert short.endswith("[brief truncated]")
    assert short.startswith("# Project brief: acme")


def test_empty_folder_and_missing_folder(tmp_path):
    brief = mine_project(tmp_path)
    assert brief.languages == {} and brief.build_files == [] and brief.test_commands == []
    assert brief.main_language is None
    assert brief.to_prompt_text().startswith("# Project brief:")
    with pytest.raises(NotADirectoryError, match="project folder not found"):
        mine_project(tmp_path / "nope")


def test_broken_files_are_reported_not_raised(tmp_path):
    root = write(
        tmp_path,
        {"pyproject.toml": "[project\nname=", "package.json": "{not json", "pom.xml": "<project>"},
    )
    brief = mine_project(root)
    for path in ("pyproject.toml", "package.json", "pom.xml"):
        assert facts_of(brief, path)[0].startswith("unparseable:")


def test_brief_never_runs_project_code(tmp_path):
    marker = tmp_path / "ran"
    root = write(
        tmp_path / "p",
        {
            "setup.py": f"open({str(marker)!r}, 'w').write('x')\nsetup(python_requires='>=3.8')\n",
            "noxfile.py": f"open({str(marker)!r}, 'w').write('x')\n",
        },
    )
    brief = mine_project(root)
    assert not marker.exists()
    assert "python_requires: >=3.8" in facts_of(brief, "setup.py")


def test_bundled_pycalc_brief():
    brief = mine_project(BUNDLED_PYCALC)
    assert brief.main_language == "python"
    assert "extra [test]: pytest>=7" in facts_of(brief, "pyproject.toml")
    assert brief.test_commands[0].command == "python -m pytest"
    assert "python -m pytest -q" in commands(brief)  # from the README


def test_tox_factor_prefixes_and_substitutions_are_cleaned(tmp_path):
    root = write(
        tmp_path,
        {
            "tox.ini": """
                [testenv]
                commands =
                    tests: pytest {posargs:-n auto}
                    pytest -v --basetemp={envtmpdir} {posargs}
            """,
        },
    )
    assert commands(mine_project(root))[:2] == ["pytest -n auto", "pytest -v"]


def test_ci_installs_assignments_and_non_test_tox_envs_are_not_test_commands(tmp_path):
    root = write(
        tmp_path,
        {
            ".github/workflows/ci.yml": """
                jobs:
                  tests:
                    steps:
                      - run: V=${{ matrix.python-version }}
                      - run: python -Im pip install tox
                      - run: python -Im tox run -e docs,changelog
                      - run: python -Im tox run -e ${{ env.TOX_PYTHON }}-tests
                      - run: npm ci && npm test
            """,
        },
    )
    brief = mine_project(root)
    assert [c.command for c in brief.ci_commands] == [
        "python -Im pip install tox",
        "python -Im tox run -e docs,changelog",
        "python -Im tox run -e ${{ env.TOX_PYTHON }}-tests",
        "npm ci && npm test",
    ]
    assert commands(brief) == ["python -Im tox run -e ${{ env.TOX_PYTHON }}-tests", "npm ci && npm test"]


def test_bundled_pycalc_suite_passes():
    # The quick start promises a project whose tests pass; check it with this interpreter.
    env = {**os.environ, "PYTHONPATH": "src", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=BUNDLED_PYCALC,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "14 passed" in result.stdout
