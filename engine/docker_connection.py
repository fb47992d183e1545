"""Connecting to a Docker engine: the local one, a Docker context, or DOCKER_HOST (ssh:// or tcp+TLS)."""

from __future__ import annotations

import os

import docker
from docker.errors import DockerException

from engine.exit_codes import DockerUnavailable

FIX_HINT = "start it with `execagent-tui doctor --fix` (as root) or point DOCKER_HOST at a running engine"
# Commits and builds of large images can take minutes; the docker-py default of 60 s is too short.
DEFAULT_TIMEOUT_S = 600


def describe_endpoint() -> str:
    return os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"


def connect_docker(timeout: int = DEFAULT_TIMEOUT_S) -> docker.DockerClient:
    """Return a client that has answered a ping, or raise DockerUnavailable with a one-line reason."""
    try:
        client = docker.from_env(timeout=timeout)
        client.ping()
    except DockerException as exc:
        raise DockerUnavailable(
            f"Docker engine not reachable at {describe_endpoint()} ({_short_reason(exc)}); {FIX_HINT}"
        ) from None
    except Exception as exc:  # e.g. requests' ConnectionError subclasses not wrapped by docker-py
        raise DockerUnavailable(
            f"Docker engine not reachable at {describe_endpoint()} ({_short_reason(exc)}); {FIX_HINT}"
        ) from None
    return client


def _short_reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for marker in ("No such file or directory", "Connection refused", "Permission denied"):
        if marker in text:
            return marker.lower()
    return text[:160]
