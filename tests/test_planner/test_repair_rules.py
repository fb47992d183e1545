"""Each repair rule on real error output: what a user would see the planner do next."""

from pathlib import Path

import pytest

from engine.planner.repair_rules import RepairContext, find_repair

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "repair_errors"


def captured(name: str) -> tuple[str, str]:
    text = (FIXTURES / f"{name}.txt").read_text()
    first, _, rest = text.partition("\n")
    return first.removeprefix("$ "), rest


@pytest.mark.parametrize(
    "fixture, rule, expected_command_part",
    [
        ("externally_managed", "externally_managed", "python3 -m venv /opt/venv"),
        ("module_not_found", "missing_module", "python -m pip install PyYAML"),
        ("command_not_found_cmake", "missing_tool", "apt-get install -y -qq --no-install-recommends cmake"),
        ("command_not_found_make", "missing_tool", "--no-install-recommends make"),
        ("python_subprocess_program_missing", "compiler_missing", "--no-install-recommends build-essential"),
        ("missing_header_gcc", "missing_header", "--no-install-recommends libzstd-dev"),
        ("cmake_could_not_find", "cmake_package", "--no-install-recommends libgtest-dev"),
        ("cmake_no_package_config", "cmake_package", "--no-install-recommends libfmt-dev"),
        (
            "pkg_config_missing",
            "pkg_config",
            "apt-file search --package-only --regexp '/pkgconfig/libzstd\\.pc$'",
        ),
        ("meson_dependency_not_found", "pkg_config", "/pkgconfig/libzstd\\.pc$"),
        ("pytest_unrecognized_arguments", "pytest_plugin", "python -m pip install pytest-cov pytest-xdist"),
        ("setuptools_scm_no_version", "scm_version", "export SETUPTOOLS_SCM_PRETEND_VERSION=0.0.0"),
        ("configure_missing", "autoreconf", "autoreconf -fi"),
        ("npm_engine_unsupported", "node_version", "npm install -g node@latest"),
        ("pytest_removed_in_warning", "pytest_too_new", "python -m pip install 'pytest<9'"),
        ("compiler_missing_pip", "compiler_missing", "--no-install-recommends build-essential python3-dev"),
        (
            "c_extension_not_compiled",
            "compiler_missing",
            "--no-install-recommends build-essential python3-dev",
        ),
        ("pytest_unknown_marker", "pytest_marker", "python -m pip install pytest-cov"),
    ],
)
def test_rule_turns_the_error_into_fix_commands(fixture, rule, expected_command_part):
    command, output = captured(fixture)
    repair = find_repair(output, command)
    assert repair is not None and repair.rule == rule
    assert any(expected_command_part in c for c in repair.commands), repair.commands


@pytest.mark.parametrize(
    "fixture, rule, replacement",
    [
        ("apt_unable_to_locate", "apt_update", "apt-get update -qq && apt-get install -y cmake"),
        ("requires_different_python", "python_version", "pip install -e newpy --ignore-requires-python"),
        ("make_no_check_target", "make_target", "make test"),
        ("npm_ci_without_lock", "npm_ci_lock", "npm install"),
    ],
)
def test_rule_replaces_the_failed_command_with_an_alternative(fixture, rule, replacement):
    command, output = captured(fixture)
    repair = find_repair(output, command)
    assert repair is not None and repair.rule == rule
    assert repair.replace_with == replacement


def test_missing_module_of_the_project_itself_installs_the_project():
    _, output = captured("module_not_found")
    repair = find_repair(output, "python -m pytest", RepairContext(own_modules={"yaml"}))
    assert repair.rule == "own_package" and repair.commands == ("python -m pip install -e .",)


def test_pytest_that_collected_nothing_is_given_the_test_files_by_name():
    command, output = captured("pytest_no_tests_collected")  # decorator 5.1.1: tests in src/tests/test.py
    context = RepairContext(test_files=["src/tests/test.py"])
    repair = find_repair(output, command, context)
    assert repair.rule == "pytest_collected_nothing"
    assert repair.replace_with == "python -m pytest -p no:cacheprovider -rN src/tests/test.py"
    assert find_repair(output, command) is None  # no test-like files: nothing to name


def test_a_program_a_test_starts_through_subprocess_is_installed():
    command, output = captured("python_subprocess_program_missing")  # pycparser 2.22: tests run cpp and gcc
    only_cpp = "\n".join(line for line in output.splitlines() if "gcc" not in line)
    repair = find_repair(only_cpp, command)
    assert repair.rule == "missing_tool" and repair.apt_packages == ("cpp",)
    data_file = "FileNotFoundError: [Errno 2] No such file or directory: 'data.json'\n"
    assert find_repair(data_file, command) is None


def test_a_missing_module_comes_from_the_distribution_the_project_declares():
    command, output = captured("module_from_declared_extra")  # pyparsing 3.1.4: extra "diagrams"
    declared = RepairContext(declared_distributions=["railroad-diagrams", "jinja2"])
    assert find_repair(output, command, declared).commands == ("python -m pip install railroad-diagrams",)
    assert find_repair(output, command).commands == ("python -m pip install railroad",)  # a guess


def test_system_packages_found_by_a_rule_are_remembered_for_the_next_dockerfile():
    command, output = captured("missing_header_gcc")
    assert find_repair(output, command).apt_packages == ("libzstd-dev",)


def test_a_cause_already_repaired_is_not_repaired_again():
    command, output = captured("module_not_found")
    context = RepairContext()
    first = find_repair(output, command, context)
    context.applied.add(first.cause)
    assert find_repair(output, command, context) is None


def test_unknown_tool_falls_back_to_apt_file():
    repair = find_repair("/bin/bash: line 3: frobnicate: command not found\n", "frobnicate --all")
    assert repair.rule == "missing_tool"
    assert "apt-file search --package-only --regexp '/s?bin/frobnicate$'" in repair.commands[0]


def test_output_without_a_known_error_gets_no_repair():
    assert find_repair("Segmentation fault (core dumped)\n", "./run") is None


def test_no_rule_names_a_catalog_project():
    """Rules key on error text; a project's name may appear only as a generic tool or package fact."""
    import json

    from engine.planner import heuristic_model, project_facts, recipes, repair_rules
    from engine.planner.package_tables import IMPORT_DISTRIBUTIONS, TOOL_PACKAGES

    catalog = json.loads(
        (Path(__file__).resolve().parents[2] / "engine" / "catalog_projects.json").read_text()
    )
    tools = {name.lower() for name in [*TOOL_PACKAGES, *IMPORT_DISTRIBUTIONS.values(), "pytest"]}
    names = {p["name"].lower() for p in catalog["projects"]} - tools
    code = "".join(
        Path(m.__file__).read_text().lower() for m in (heuristic_model, project_facts, recipes, repair_rules)
    )
    assert sorted(n for n in names if f'"{n}"' in code or f"'{n}'" in code) == []


def test_a_name_from_a_failed_optional_import_installs_that_import(tmp_path):
    """mccabe 0.7.0: hypothesmith/hypothesis imported in try/except ImportError, `settings` used anyway."""
    command, output = captured("pytest_optional_import_name_error")
    (tmp_path / "test_mccabe.py").write_text(
        "import sys\n"
        "try:\n"
        "    from StringIO import StringIO\n"
        "except ImportError:\n"
        "    from io import StringIO\n"
        "try:\n"
        "    import hypothesmith\n"
        "    from hypothesis import HealthCheck, given, settings, strategies as st\n"
        "except ImportError:\n"
        "    hypothesmith = None\n"
    )
    repair = find_repair(output, command, RepairContext(project_dir=tmp_path))
    assert repair.rule == "optional_import"
    assert repair.commands == ("python -m pip install hypothesmith hypothesis",)
    assert find_repair(output, command) is None  # without the project's file there is nothing to read
