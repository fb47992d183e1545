"""Nothing the tool creates outlives it: signals remove containers, `clean` removes what a kill left."""

import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.docker
ROOT = Path(__file__).resolve().parents[2]
HOLDER = Path(__file__).with_name("sandbox_holder.py")


def start_holder(image: str, *extra: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, str(HOLDER), image, *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    name = process.stdout.readline().strip()
    assert name.startswith("execagent-holder-"), process.stderr.read()
    return process, name


def containers_named(client, name: str) -> list:
    return client.containers.list(all=True, filters={"name": name})


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_removes_the_runs_container(docker_client, base_image, signum, code):
    process, name = start_holder(base_image)
    assert len(containers_named(docker_client, name)) == 1
    process.send_signal(signum)
    assert process.wait(timeout=60) == code
    assert containers_named(docker_client, name) == []
    assert "container(s) removed" in process.stderr.read()


def test_clean_removes_leftovers_of_a_killed_run_and_nothing_else(docker_client, base_image):
    bystander = docker_client.containers.run(base_image, ["sleep", "300"], detach=True, init=True)
    try:
        process, name = start_holder(base_image, "--snapshot")
        process.send_signal(signal.SIGKILL)  # no chance to clean up
        process.wait(timeout=30)
        assert len(containers_named(docker_client, name)) == 1

        dry = subprocess.run(
            [sys.executable, "-m", "engine.main", "clean", "--dry-run"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert dry.returncode == 0
        assert f"would remove container {name}" in dry.stdout
        assert "would remove image execagent/snapshot-holder:" in dry.stdout

        result = subprocess.run(
            [sys.executable, "-m", "engine.main", "clean"], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert containers_named(docker_client, name) == []
        assert not any("snapshot-holder" in t for i in docker_client.images.list() for t in i.tags)
        bystander.reload()
        assert bystander.status == "running"  # unlabelled: never touched
    finally:
        bystander.remove(force=True)


def test_clean_leaves_a_live_runs_container_alone(docker_client, base_image):
    process, name = start_holder(base_image)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "engine.main", "clean"], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0
        assert len(containers_named(docker_client, name)) == 1
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
