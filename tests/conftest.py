"""Shared fixtures: a real Docker engine (a failure, not a skip, when CI=true) and local base images."""

from __future__ import annotations

import os
import uuid

import pytest

from engine.exit_codes import DockerUnavailable

PYTHON_IMAGE = "execagent/test-python:bookworm"
PYTHON_DOCKERFILE = (
    "FROM execagent/debian:bookworm\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv python3-pip"
    " && rm -rf /var/lib/apt/lists/*\n"
)
NODE_IMAGE = "execagent/test-node:bookworm"
NODE_DOCKERFILE = (
    "FROM execagent/debian:bookworm\n"
    "RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm"
    " && rm -rf /var/lib/apt/lists/*\n"
)


@pytest.fixture(scope="session")
def docker_client():
    from engine.docker_connection import connect_docker

    try:
        return connect_docker(timeout=600)
    except DockerUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs a Docker engine: {exc}")
        pytest.skip(f"no Docker engine: {exc}")


@pytest.fixture(scope="session")
def base_image(docker_client) -> str:
    from engine.sandbox.base_images import DEFAULT_BASE_IMAGE, bootstrap_base_images

    bootstrap_base_images(docker_client, on_log=lambda _line: None)
    return DEFAULT_BASE_IMAGE


def _test_image(docker_client, tag: str, dockerfile: str) -> str:
    """Built once per machine (reused if present), with the host's CA bundle for apt behind a proxy."""
    from engine.sandbox.base_images import image_exists
    from engine.sandbox.ca_bundle import find_ca_bundle
    from engine.sandbox.image_builder import build_image

    if not image_exists(docker_client, tag):
        result = build_image(
            docker_client.api,
            dockerfile,
            None,
            tag,
            labels={"io.execagent.test": "1"},
            ca=find_ca_bundle(),
            timeout=900,
        )
        assert result.ok, result.failure_report()
    return tag


@pytest.fixture(scope="session")
def python_image(docker_client, base_image) -> str:
    """The base image plus Debian's python3."""
    return _test_image(docker_client, PYTHON_IMAGE, PYTHON_DOCKERFILE)


@pytest.fixture(scope="session")
def node_image(docker_client, base_image) -> str:
    """The base image plus Debian's nodejs and npm."""
    return _test_image(docker_client, NODE_IMAGE, NODE_DOCKERFILE)


@pytest.fixture
def make_sandbox(docker_client):
    """Sandboxes made by a test are closed (containers and snapshots removed) after it."""
    from engine.sandbox.ca_bundle import find_ca_bundle
    from engine.sandbox.sandbox import Sandbox

    made = []

    def factory(project: str = "testproj", **kwargs) -> Sandbox:
        kwargs.setdefault("ca_bundle", find_ca_bundle())
        sandbox = Sandbox(docker_client, f"t{uuid.uuid4().hex[:10]}", project, **kwargs)
        made.append(sandbox)
        return sandbox

    yield factory
    for sandbox in made:
        sandbox.close(keep_images=False)
