"""The offline planner on real Docker: the bundled project verifies; an undeclared import is repaired."""

import functools
from pathlib import Path

import pytest

from engine.agent.request import RunRequest
from engine.agent.run import run
from engine.events import EventBus
from engine.model import create_model
from engine.sandbox.ca_bundle import find_ca_bundle
from engine.sandbox.sandbox import Sandbox

pytestmark = pytest.mark.docker
PYCALC = Path(__file__).resolve().parents[2] / "engine" / "bundled_projects" / "pycalc"


def run_planner(docker_client, project: Path, name: str, budget: int = 15):
    request = RunRequest(project_name=name, project_path=project, budget=budget, max_retries=0)
    model = create_model("heuristic", project_dir=project, project_name=name)
    bus = EventBus()
    commands: list[str] = []
    bus.subscribe(lambda e: commands.append(e.args.get("command", "")) if e.type == "tool_called" else None)
    factory = functools.partial(Sandbox, docker_client, ca_bundle=find_ca_bundle())
    return run(request, model, model, factory, bus), commands


def test_bundled_project_is_verified_with_its_real_counts(docker_client, base_image):
    result, _ = run_planner(docker_client, PYCALC, "pycalc")
    assert result.outcome == "success", result.summary
    summary = result.test_summary
    assert (summary.framework, summary.passed, summary.failed) == ("pytest", 14, 0)
    assert result.cost_usd == 0 and result.attempts == 1


def test_an_undeclared_dependency_is_found_from_the_error_and_installed(docker_client, base_image, tmp_path):
    (tmp_path / "yamlwrap").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "yamlwrap"\nversion = "0.1"\n'
    )
    (tmp_path / "yamlwrap" / "__init__.py").write_text(
        "import yaml\n\n\ndef dump(data):\n    return yaml.safe_dump(data)\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_dump.py").write_text(
        "from yamlwrap import dump\n\n\n"
        "def test_dict():\n    assert dump({'a': 1}) == 'a: 1\\n'\n\n\n"
        "def test_list():\n    assert dump([1]) == '- 1\\n'\n"
    )
    result, commands = run_planner(docker_client, tmp_path, "yamlwrap")
    assert result.outcome == "success", result.summary
    assert "python -m pip install PyYAML" in commands
    assert (result.test_summary.passed, result.test_summary.failed) == (2, 0)
