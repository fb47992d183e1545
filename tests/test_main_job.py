"""The README's main job: the agent with the offline planner on the bundled project, no API key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.docker
ROOT = Path(__file__).resolve().parents[1]


def test_offline_run_of_the_bundled_project_verifies_and_its_recipe_reproduces(
    docker_client, base_image, tmp_path
):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui.entry",
            "--no-ui",
            "run",
            "engine/bundled_projects/pycalc",
            "--workspace-root",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "model heuristic" in result.stdout
    assert "SUCCESS: 14 passed, 0 failed (pytest)" in result.stdout
    (run_dir,) = (tmp_path / "_run_logs" / "pycalc").iterdir()
    artifacts = run_dir / "success_artifacts"
    assert {p.name for p in artifacts.iterdir()} >= {
        "Dockerfile",
        "commands.sh",
        "launch.sh",
        "manifest.json",
    }

    launched = subprocess.run(
        ["bash", str(artifacts / "launch.sh")], capture_output=True, text=True, timeout=900
    )
    assert launched.returncode == 0, launched.stdout[-3000:] + launched.stderr[-3000:]
    assert "14 passed" in launched.stdout
