"""Base images built locally from distro packages, for hosts that cannot reach any image registry.

`debootstrap --variant=minbase` fills a folder from Debian's package mirror; the folder is streamed
as a tar into `docker import`. The result is tagged under the project's namespace and labelled.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docker

from engine.exit_codes import UserFacingError
from engine.sandbox.labels import KIND

NAMESPACE = "execagent"
LogCallback = Callable[[str], None]


@dataclass(frozen=True)
class BaseImageSpec:
    name: str  # e.g. "debian:bookworm" -> tagged execagent/debian:bookworm
    suite: str
    mirror: str = "http://deb.debian.org/debian"
    security_mirror: str = "http://deb.debian.org/debian-security"

    @property
    def tag(self) -> str:
        return f"{NAMESPACE}/{self.name}"


BASE_IMAGES = (BaseImageSpec("debian:bookworm", "bookworm"),)
DEFAULT_BASE_IMAGE = BASE_IMAGES[0].tag


def local_image_tags(client: docker.DockerClient) -> list[str]:
    """Every tagged image the engine already has: what a run can use without any registry."""
    tags = {tag for image in client.images.list() for tag in image.tags if not tag.endswith(":<none>")}
    return sorted(tags)


def image_exists(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
    except docker.errors.ImageNotFound:
        return False
    return True


def bootstrap_base_images(
    client: docker.DockerClient,
    specs: tuple[BaseImageSpec, ...] = BASE_IMAGES,
    *,
    force: bool = False,
    on_log: LogCallback = print,
) -> list[str]:
    """Build each missing base image; returns the tags that were built (idempotent)."""
    built = []
    for spec in specs:
        if image_exists(client, spec.tag) and not force:
            on_log(f"{spec.tag}: already present, nothing to do")
            continue
        _require_debootstrap()
        with tempfile.TemporaryDirectory(prefix="execagent-rootfs-") as tmp:
            rootfs = Path(tmp) / "rootfs"
            _debootstrap(spec, rootfs, on_log)
            _configure_rootfs(spec, rootfs)
            on_log(f"{spec.tag}: importing into Docker")
            _import(client, spec, rootfs)
        on_log(f"{spec.tag}: ready")
        built.append(spec.tag)
    return built


def _require_debootstrap() -> None:
    if shutil.which("debootstrap") is None:
        raise UserFacingError(
            "debootstrap is not installed; run `execagent-tui doctor --fix` as root "
            "(or `apt-get install debootstrap`)"
        )


def _debootstrap(spec: BaseImageSpec, rootfs: Path, on_log: LogCallback) -> None:
    command = ["debootstrap", "--variant=minbase", spec.suite, str(rootfs), spec.mirror]
    on_log(f"{spec.tag}: {' '.join(command)}")
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
    )
    tail: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        line = line.rstrip()
        tail = (tail + [line])[-15:]
        if line.startswith(("I: Retrieving", "I: Validating", "I: Extracting", "I: Unpacking")):
            continue  # hundreds of these; the phase lines below are enough to show progress
        on_log(f"{spec.tag}: {line}")
    if process.wait() != 0:
        raise UserFacingError(
            f"debootstrap failed for {spec.tag} (exit {process.returncode}): "
            + (tail[-1] if tail else "no output")
        )


def _configure_rootfs(spec: BaseImageSpec, rootfs: Path) -> None:
    (rootfs / "etc/apt/sources.list").write_text(
        f"deb {spec.mirror} {spec.suite} main\n"
        f"deb {spec.mirror} {spec.suite}-updates main\n"
        f"deb {spec.security_mirror} {spec.suite}-security main\n"
    )
    # Keep images small: downloaded .debs are not needed once installed.
    for deb in (rootfs / "var/cache/apt/archives").glob("*.deb"):
        deb.unlink()


def _import(client: docker.DockerClient, spec: BaseImageSpec, rootfs: Path) -> None:
    repository, tag = spec.tag.rsplit(":", 1)
    changes = [
        # Not MANAGED: containers inherit image labels, and `clean` must never take a user's container.
        f'LABEL {KIND}="base"',
        "ENV LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive",
        'CMD ["/bin/bash"]',
    ]
    tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
    try:
        client.api.import_image(
            src=tar.stdout, repository=repository, tag=tag, changes=changes, stream_src=True
        )
    finally:
        assert tar.stdout is not None
        tar.stdout.close()
        tar.wait()
