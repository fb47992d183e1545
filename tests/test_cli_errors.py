"""Bad input and a missing Docker engine: one clear line, a documented exit code, no traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NO_DOCKER = {**os.environ, "DOCKER_HOST": "unix:///nonexistent/docker.sock"}


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui.entry", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


@pytest.mark.parametrize("command", [["images", "list"], ["clean"], ["selfcheck"], ["images", "bootstrap"]])
def test_unreachable_docker_gives_exit_3_and_one_line(command):
    result = cli(*command, env=NO_DOCKER)
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("execagent-tui: error: Docker engine not reachable at unix:///nonexistent")
    assert "doctor --fix" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_doctor_without_docker_prints_the_table_and_exits_3():
    result = cli("doctor", env=NO_DOCKER)
    assert result.returncode == 3
    assert "docker engine" in result.stdout and "FAIL" in result.stdout
    assert "not ready" in result.stdout
    assert "Traceback" not in result.stderr


def test_unknown_command_is_a_usage_error():
    result = cli("frobnicate")
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr


def test_missing_ca_bundle_file_is_reported_by_doctor(tmp_path):
    result = cli("doctor", "--ca-bundle", str(tmp_path / "none.pem"), env=NO_DOCKER)
    assert f"CA bundle not found: {tmp_path / 'none.pem'}" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.docker
def test_doctor_reports_ready_when_docker_and_images_are_there(docker_client, base_image):
    result = cli("doctor")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ready: a run can start" in result.stdout
    assert "image execagent/debian:bookworm" in result.stdout


@pytest.mark.docker
def test_doctor_never_shows_the_api_key(docker_client, base_image):
    secret = "sk-test-do-not-print-1234567890"
    result = cli("doctor", env={**os.environ, "OPENAI_API_KEY": secret})
    assert secret not in result.stdout + result.stderr
    assert "API key set" in result.stdout


@pytest.mark.docker
def test_selfcheck_passes_on_this_machine(docker_client, base_image):
    result = cli("selfcheck")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "selfcheck passed" in result.stdout
