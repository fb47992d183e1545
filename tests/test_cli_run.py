"""The headless commands as a user calls them: list, run --dry-run/--create-meta, models, Docker missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.llm_stub_server import LLMStubServer
from tests.test_records.conftest import ROOT, cli, make_project, shell


def test_list_shows_the_catalog_and_filters_by_language() -> None:
    everything = cli("list")
    assert everything.returncode == 0
    assert len(everything.stdout.strip().splitlines()) == 50
    assert "https://github.com/scipy/scipy" in everything.stdout
    cpp = json.loads(cli("list", "--language", "c++", "--json").stdout)
    assert cpp and all(p["language"] == "C++" for p in cpp)
    assert cli("list", "--language", "cobol").returncode == 2


def test_dry_run_prints_what_would_run_and_starts_nothing(tmp_path: Path) -> None:
    result = cli("--no-ui", "run", "pandas,numpy", "--dry-run", "--model", "gpt-4o", "--step-limit", "7",
                 "--workspace-root", str(tmp_path))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "would run pandas (python)" in result.stdout and "would run numpy (python)" in result.stdout
    assert "model gpt-4o" in result.stdout and "budget 7 cycles x 3 attempts" in result.stdout
    assert not (tmp_path / "_run_logs").exists()


def test_create_meta_writes_seed_format_files(tmp_path: Path) -> None:
    result = cli("--no-ui", "run", "scipy,django", "--create-meta", "--workspace-root", str(tmp_path))
    assert result.returncode == 0, result.stderr
    meta = json.loads((tmp_path / "metadata" / "meta_scipy.json").read_text())
    assert set(meta) == {"project_path", "project_name", "project_url", "language", "image_tag", "budget"}
    assert meta["project_url"] == "https://github.com/scipy/scipy"
    assert (tmp_path / "metadata" / "meta_django.json").exists()


def test_engine_main_accepts_an_experiment_file_without_a_command(tmp_path: Path) -> None:
    make_project(tmp_path, "calc")
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps({"project_path": "calc", "project_name": "calc", "language": "Python"}))
    result = subprocess.run(
        [sys.executable, "-m", "engine.main", "--experiment-file", str(meta), "--dry-run", "--model", "x"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"would run calc (python) from {tmp_path / 'calc'}" in result.stdout


def test_workspace_root_comes_from_the_environment_too(tmp_path: Path) -> None:
    result = cli("--no-ui", "run", "scipy", "--create-meta", env={"EXECAGENT_WORKSPACE": str(tmp_path)})
    assert result.returncode == 0
    assert (tmp_path / "metadata" / "meta_scipy.json").exists()


def test_a_bad_model_spec_is_a_usage_error(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = cli("--no-ui", "run", str(project), "--model", f"scripted:{tmp_path / 'missing.json'}")
    assert result.returncode == 2
    assert "--model scripted:" in result.stderr and "Traceback" not in result.stderr


def test_run_without_docker_exits_3_in_one_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    script = tmp_path / "s.json"
    script.write_text("[]")
    env = {"DOCKER_HOST": "unix:///nonexistent/docker.sock"}
    result = cli("--no-ui", "run", str(project), "--model", f"scripted:{script}",
                 "--workspace-root", str(tmp_path / "ws"), env=env)  # fmt: skip
    assert result.returncode == 3
    assert result.stderr.strip().startswith("execagent-tui: error: Docker engine not reachable")
    assert len(result.stderr.strip().splitlines()) == 1


def test_default_model_without_a_key_is_the_offline_planner(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    result = subprocess.run(
        [sys.executable, "-m", "tui.entry", "--no-ui", "run", "pandas", "--dry-run"],
        cwd=ROOT, capture_output=True, text=True, env=env,
    )  # fmt: skip
    if result.returncode == 2:  # before the planner exists, the user is told what to do
        assert "the offline planner is not available yet; set OPENAI_API_KEY or pass --model" in result.stderr
    else:
        assert result.returncode == 0 and "model heuristic" in result.stdout


def test_a_failed_run_shows_the_output_tail_once_and_ends_with_one_line_per_project(tmp_path: Path) -> None:

    pytest.importorskip("docker")
    recipe = {
        "dockerfile": "FROM execagent/debian:bookworm\n",
        "run_tests_sh": "echo building; echo no tests here\n",
    }
    with LLMStubServer() as stub:
        stub.reply_action(shell("ls"))
        stub.reply_text("{}")  # attempt summary
        stub.reply_text(json.dumps(recipe))  # forced exit: builds, runs, but proves no test ran
        result = cli("--no-ui", "run", str(make_project(tmp_path)), "--model", "openai:stub",
                     "--base-url", stub.base_url, "--workspace-root", str(tmp_path / "ws"),
                     "--step-limit", "1", "--max-retries", "0", "--cycle-summaries", "plain")  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.count("no tests here") == 1  # in the FAILED line's tail, not repeated
    final = [line for line in result.stdout.splitlines() if line.startswith("calc: failed: ")]
    assert len(final) == 1 and final[0].endswith(")") and "(records in " in final[0]
    assert final[0].startswith("calc: failed: forced exit: the final test script printed no test summary")
