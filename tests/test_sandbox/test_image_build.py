"""Building images: the log streams line by line, failures and timeouts come back as results."""

import time

import pytest

pytestmark = pytest.mark.docker


def test_build_log_streams_while_the_build_runs(make_sandbox, base_image, tmp_path, docker_client):
    (tmp_path / "data.txt").write_text("context file\n")
    box = make_sandbox()
    started = time.monotonic()
    lines: list[tuple[float, str]] = []
    result = box.build(
        f"FROM {base_image}\nCOPY data.txt /data.txt\n"
        f"RUN cat /data.txt && echo step-{started} && sleep 3 && echo done-{started}\n",
        tmp_path,
        on_log=lambda line: lines.append((time.monotonic(), line)),
    )
    assert result.ok, result.failure_report()
    early = next(at for at, line in lines if line == f"step-{started}")
    assert result.duration_s - (early - started) > 2  # the line arrived before the build ended
    assert "context file" in [line for _, line in lines]
    image = docker_client.images.get(result.tag)
    assert image.labels["io.execagent.managed"] == "1"
    assert image.labels["io.execagent.kind"] == "build"
    assert image.labels["io.execagent.run-id"] == box.run_id


def test_failed_build_returns_the_log_tail_not_an_exception(make_sandbox, base_image):
    result = make_sandbox().build(f"FROM {base_image}\nRUN echo about-to-fail && exit 3\n", None)
    assert not result.ok
    assert "returned a non-zero code: 3" in result.error
    assert "about-to-fail" in result.failure_report()


def test_build_of_a_missing_base_image_fails_cleanly(make_sandbox):
    result = make_sandbox().build("FROM execagent/does-not-exist:1\n", None)
    assert not result.ok and result.error


def test_build_timeout_stops_the_build(make_sandbox, base_image, docker_client):
    started = time.monotonic()
    result = make_sandbox().build(f"FROM {base_image}\nRUN sleep 300 # {started}\n", None, timeout=3)
    assert not result.ok and result.error == "build timed out after 3s"
    assert time.monotonic() - started < 15
    time.sleep(1)
    running = [c for c in docker_client.containers.list() if "sleep 300" in " ".join(c.attrs["Args"])]
    assert running == []  # the daemon cancelled the build step


def test_ca_bundle_is_added_after_every_from():
    from pathlib import Path

    from engine.sandbox.ca_bundle import CaBundle
    from engine.sandbox.image_builder import with_ca_bundle

    text = with_ca_bundle(
        "FROM a AS build\nRUN make\nFROM b\nCOPY --from=build /x /x\n", CaBundle(Path("/c"), "t")
    )
    lines = text.splitlines()
    assert lines[1].startswith("COPY .execagent-ca-bundle.crt ") and lines[2].startswith("ENV SSL_CERT_FILE=")
    assert lines[4] == "FROM b" and lines[5].startswith("COPY .execagent-ca-bundle.crt ")
