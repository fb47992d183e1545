"""Containers: limits, labels, isolation, source copy; files in and out; snapshot and rollback."""

import pytest

from engine.sandbox.sandbox import ResourceLimits, SandboxError, SandboxSettings

pytestmark = pytest.mark.docker


@pytest.fixture
def sandbox(make_sandbox, base_image, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.c").write_text("int main(void) { return 0; }\n")
    box = make_sandbox(
        "My Project",
        settings=SandboxSettings(limits=ResourceLimits(memory="512m", cpus=1.5, pids=256)),
    )
    box.start(base_image, source_dir=tmp_path)
    return box


def test_container_has_limits_labels_init_and_no_privileges(sandbox):
    sandbox.container.reload()
    attrs = sandbox.container.attrs
    host = attrs["HostConfig"]
    assert host["Memory"] == 512 * 1024 * 1024
    assert host["NanoCpus"] == 1_500_000_000
    assert host["PidsLimit"] == 256
    assert host["Init"] is True
    assert host["Privileged"] is False
    assert not host.get("Binds") and attrs["Mounts"] == []  # no host paths, no docker socket
    labels = attrs["Config"]["Labels"]
    assert labels["io.execagent.managed"] == "1"
    assert labels["io.execagent.run-id"] == sandbox.run_id
    assert labels["io.execagent.project"] == "My Project"


def test_limits_are_enforced_inside_the_container(sandbox):
    outcome = sandbox.run("cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max")
    assert outcome.output.strip() == "256"


def test_project_source_is_copied_not_mounted(sandbox):
    assert sandbox.project_dir == "/app/my-project"
    assert sandbox.run("cat src/main.c").output == "int main(void) { return 0; }\n"
    assert sandbox.run("test ! -e /var/run/docker.sock").exit_code == 0


def test_write_and_read_files_relative_to_the_shell_cwd(sandbox):
    sandbox.run("cd src")
    written = sandbox.write_file("generated/config.h", "#define X 1\n")
    assert written == "/app/my-project/src/generated/config.h"
    assert sandbox.read_file("/app/my-project/src/generated/config.h") == "#define X 1\n"
    assert sandbox.run("cat generated/config.h").output == "#define X 1\n"


def test_writes_outside_the_allowed_roots_are_refused_with_a_clear_message(sandbox):
    with pytest.raises(SandboxError, match=r"refused to write /usr/bin/evil: outside the writable roots"):
        sandbox.write_file("/usr/bin/evil", "x")
    with pytest.raises(SandboxError, match="refused to write /proc"):
        sandbox.write_file("/app/../proc/x", "x")


def test_a_symlink_cannot_smuggle_a_write_out_of_the_roots(sandbox):
    sandbox.run("ln -s /usr/bin /tmp/bin-link")
    with pytest.raises(SandboxError, match="refused to write /usr/bin/sneaky"):
        sandbox.write_file("/tmp/bin-link/sneaky", "x")


def test_reading_a_missing_file_says_so(sandbox):
    with pytest.raises(SandboxError, match="no such file in the container: /app/my-project/nope.txt"):
        sandbox.read_file("nope.txt")


def test_snapshot_then_rollback_undoes_a_destructive_command(sandbox, docker_client):
    sandbox.run("cd /app/my-project/src && export BUILD=debug")
    snapshot = sandbox.snapshot()
    image = docker_client.images.get(snapshot)
    assert image.labels["io.execagent.kind"] == "snapshot"
    sandbox.run("rm -rf /app/my-project")
    assert sandbox.run("test -e /app/my-project").exit_code == 1
    sandbox.rollback()
    assert sandbox.run("cat main.c").output == "int main(void) { return 0; }\n"
    assert sandbox.run('echo "$PWD $BUILD"').output == "/app/my-project/src debug\n"


def test_close_removes_the_container_and_snapshots(make_sandbox, base_image, docker_client):
    box = make_sandbox()
    box.start(base_image)
    snapshot = box.snapshot()
    name = box.container_name
    box.close()
    assert docker_client.containers.list(all=True, filters={"name": name}) == []
    assert not any(snapshot in image.tags for image in docker_client.images.list())
