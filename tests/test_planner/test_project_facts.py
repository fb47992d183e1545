"""The planner reads build files into facts and a first plan (nothing from the project is executed)."""

from pathlib import Path

from engine.planner.project_facts import read_facts
from engine.planner.recipes import Learned, dockerfile, steps

PYCALC = Path(__file__).resolve().parents[2] / "engine" / "bundled_projects" / "pycalc"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def commands(root: Path, language: str | None = None) -> list[str]:
    return [s.command for s in steps(read_facts(root, language), Learned())]


def test_bundled_python_project_installs_its_test_extra_then_runs_pytest():
    plan = commands(PYCALC)
    assert "python -m pip install -e '.[test]'" in plan
    assert plan[-1] == "python -m pytest -p no:cacheprovider -rN"  # pytest config in pyproject: no path


def test_python_requirements_dependency_groups_and_tox_deps(tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname="x"\nversion="1"\n[dependency-groups]\ntest=["pytest"]\n',
            "requirements-dev.txt": "hypothesis\n",
            "tox.ini": "[testenv]\ndeps =\n    pytest-mock\n    py38: mock\n    -rrequirements.txt\n"
            "    git+https://github.com/pytest-dev/pytest.git@main\n",
            "tests/test_x.py": "def test_x(): pass\n",
            "x/__init__.py": "",
        },
    )
    facts = read_facts(tmp_path)
    assert facts.python_packages == ["x"]
    plan = commands(tmp_path)
    assert "python -m pip install -e '.'" in plan
    assert "python -m pip install -r requirements-dev.txt" in plan
    assert "python -m pip install --group test" in plan
    assert "python -m pip install pytest-mock mock" in plan  # the VCS pin of CI is left out
    assert "python -m pip install pytest" in plan
    assert plan[-1] == "python -m pytest -p no:cacheprovider -rN tests"


def test_node_project_with_yarn_and_a_newer_engine(tmp_path):
    write(
        tmp_path, {"package.json": '{"scripts":{"test":"jest"},"engines":{"node":">=20"}}', "yarn.lock": ""}
    )
    plan = commands(tmp_path)
    assert plan == [
        "npm install -g node@20 && hash -r && node --version",
        "npm install -g yarn && yarn install",
        "yarn test",
    ]


def test_cmake_meson_autotools_and_make_projects(tmp_path):
    cmake = write(tmp_path / "a", {"CMakeLists.txt": "project(a C)\n", "a.c": ""})
    assert commands(cmake)[-1] == "ctest --test-dir build --output-on-failure"
    meson = write(tmp_path / "b", {"meson.build": "project('b','cpp')\n", "b.cpp": ""})
    assert (
        read_facts(meson).language == "cpp" and commands(meson)[-1] == "meson test -C build --print-errorlogs"
    )
    autotools = write(tmp_path / "c", {"configure.ac": "AC_INIT\n", "Makefile.am": ""})
    assert commands(autotools) == ["autoreconf -fi", "./configure", "make -j2", "make check"]
    make = write(tmp_path / "d", {"Makefile": "all:\n\tcc x.c\ntest: all\n\t./x\n", "x.c": ""})
    assert commands(make) == ["make -j2", "make test"]


def test_debian_build_depends_go_into_the_dockerfile(tmp_path):
    write(
        tmp_path,
        {
            "CMakeLists.txt": "project(z C)\n",
            "debian/control": "Source: z\nBuild-Depends: debhelper-compat (= 13),\n cmake (>= 3.1),\n"
            " libzstd-dev | libzstd1-dev, pkgconf <!nocheck>\nStandards-Version: 4\n",
        },
    )
    text = dockerfile(read_facts(tmp_path), "/app/z", Learned(apt_packages=["libyaml-dev"]))
    assert "libzstd-dev" in text and "libyaml-dev" in text
    assert "debhelper" not in text and "pkgconf" not in text
    assert text.splitlines()[0] == "FROM execagent/debian:bookworm"
    assert "COPY . /app/z" in text


def test_python_files_named_like_tests_are_found_wherever_they_are(tmp_path):
    write(
        tmp_path,
        {
            "setup.py": "from setuptools import setup\nsetup(name='d')\n",
            "src/d.py": "",
            "src/tests/__init__.py": "",
            "src/tests/test.py": "import unittest\n",
            "src/tests/documentation.py": "",
            "pkg/core_test.py": "",
            "pkg/tests.py": "",
            "build/test_generated.py": "",  # build output is not the project's
        },
    )
    facts = read_facts(tmp_path)
    assert facts.python_test_files == ["pkg/core_test.py", "pkg/tests.py", "src/tests/test.py"]
