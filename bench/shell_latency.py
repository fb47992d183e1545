"""Per-command latency of the persistent shell vs `docker exec` through the CLI, same container, one run.

Usage: python bench/shell_latency.py [--rounds N]   (needs a Docker engine and the base image)
Target (issue 3): our shell's median at most 0.5x the CLI's.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import time
import uuid

from engine.docker_connection import connect_docker
from engine.sandbox.base_images import DEFAULT_BASE_IMAGE
from engine.sandbox.sandbox import Sandbox


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    docker_cli = shutil.which("docker")
    client = connect_docker()
    sandbox = Sandbox(client, f"bench-{uuid.uuid4().hex[:8]}", "bench")
    sandbox.start(DEFAULT_BASE_IMAGE)
    container = sandbox.container.id
    shell, cli, sdk = [], [], []
    try:
        for _ in range(5):  # warm-up
            sandbox.run("true")
        for _ in range(args.rounds):  # interleaved, so load changes hit all three alike
            shell.append(timed(lambda: sandbox.run("true")))
            sdk.append(timed(lambda: sandbox.container.exec_run(["true"])))
            if docker_cli:
                cli.append(timed(lambda: subprocess.run([docker_cli, "exec", container, "true"], check=True)))
    finally:
        sandbox.close()
    print(f"rounds: {args.rounds}, command: true, image: {DEFAULT_BASE_IMAGE}")
    print(f"persistent shell      median {statistics.median(shell):7.2f} ms  p95 {p95(shell):7.2f} ms")
    print(f"docker-py exec_run    median {statistics.median(sdk):7.2f} ms  p95 {p95(sdk):7.2f} ms")
    if cli:
        print(f"docker exec (CLI)     median {statistics.median(cli):7.2f} ms  p95 {p95(cli):7.2f} ms")
        ratio = statistics.median(shell) / statistics.median(cli)
        print(f"ratio shell/CLI: {ratio:.3f}  (target <= 0.5: {'met' if ratio <= 0.5 else 'NOT met'})")
    else:
        print("docker CLI not installed: no CLI comparison")


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


if __name__ == "__main__":
    main()
