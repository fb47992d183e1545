"""`execagent-tui clean`: remove containers and images left behind by runs whose process is gone."""

from __future__ import annotations

from dataclasses import dataclass

import docker

from engine.sandbox.labels import KIND, MANAGED_FILTER, OWNER, RUN_ID, owner_is_alive


@dataclass
class Leftover:
    kind: str  # "container" or "image"
    name: str
    run_id: str
    reason: str


def find_leftovers(
    client: docker.DockerClient, *, include_built_images: bool = False, other_hosts: bool = False
) -> list[Leftover]:
    found = []
    for container in client.containers.list(all=True, filters=MANAGED_FILTER):
        if container.labels.get(KIND) != "container":
            continue  # inherited from one of our images by a container someone else started
        reason = _dead_reason(container.labels, other_hosts)
        if reason:
            found.append(Leftover("container", container.name, container.labels.get(RUN_ID, "?"), reason))
    kinds = {"snapshot", "build"} if include_built_images else {"snapshot"}
    for image in client.images.list(filters=MANAGED_FILTER):
        labels = image.labels or {}
        if labels.get(KIND) not in kinds:
            continue  # base images and unknown kinds are never removed here
        reason = _dead_reason(labels, other_hosts)
        if reason:
            name = image.tags[0] if image.tags else image.short_id
            found.append(Leftover("image", name, labels.get(RUN_ID, "?"), reason))
    return found


def remove_leftovers(client: docker.DockerClient, leftovers: list[Leftover]) -> list[str]:
    errors = []
    for item in leftovers:
        try:
            if item.kind == "container":
                client.containers.get(item.name).remove(force=True)
            else:
                client.images.remove(item.name, force=True)
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as exc:
            errors.append(f"{item.kind} {item.name}: {exc.explanation}")
    return errors


def _dead_reason(labels: dict[str, str], other_hosts: bool) -> str:
    alive = owner_is_alive(labels.get(OWNER))
    if alive is None:
        return "created on another host" if other_hosts else ""
    return "" if alive else "its run's process is gone"
