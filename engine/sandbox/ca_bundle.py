"""Propagating the host's CA bundle into images and containers (TLS-intercepting proxies)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CONTAINER_CA_PATH = "/usr/local/share/execagent/ca-bundle.crt"
CANDIDATE_PATHS = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu, Alpine
    "/etc/pki/tls/certs/ca-bundle.crt",  # Fedora, RHEL
    "/etc/ssl/cert.pem",  # macOS, BSD
)
ENV_SOURCES = ("EXECAGENT_CA_BUNDLE", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")
# Every client we know of that reads its own variable instead of the system store.
CA_ENV_VARS = (
    "SSL_CERT_FILE",
    "REQUESTS_CA_BUNDLE",
    "PIP_CERT",
    "CURL_CA_BUNDLE",
    "NODE_EXTRA_CA_CERTS",
    "GIT_SSL_CAINFO",
    "npm_config_cafile",
    "CARGO_HTTP_CAINFO",
)


@dataclass(frozen=True)
class CaBundle:
    host_path: Path
    source: str  # how it was found: "--ca-bundle", an env var name, or "system"

    def read_bytes(self) -> bytes:
        return self.host_path.read_bytes()

    @staticmethod
    def container_env() -> dict[str, str]:
        return {name: CONTAINER_CA_PATH for name in CA_ENV_VARS}

    def dockerfile_lines(self, context_name: str) -> list[str]:
        """Lines inserted after each FROM so RUN steps (pip, npm, git, curl) trust the bundle."""
        env = " ".join(f"{k}={v}" for k, v in self.container_env().items())
        return [f"COPY {context_name} {CONTAINER_CA_PATH}", f"ENV {env}"]


def find_ca_bundle(explicit: str | os.PathLike[str] | None = None) -> CaBundle | None:
    """The bundle to propagate: --ca-bundle first, then env vars, then the system store."""
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"CA bundle not found: {path}")
        return CaBundle(path, "--ca-bundle")
    for var in ENV_SOURCES:
        value = os.environ.get(var)
        if value and Path(value).is_file():
            return CaBundle(Path(value), var)
    for candidate in CANDIDATE_PATHS:
        if Path(candidate).is_file():
            return CaBundle(Path(candidate), "system")
    return None
