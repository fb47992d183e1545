"""Secrets (API keys) are replaced before any text reaches a file of the run directory."""

from __future__ import annotations

from collections.abc import Iterable

MASK = "***"
# Shorter strings could be ordinary words; a key is never this short.
MIN_SECRET_LENGTH = 6


class Redactor:
    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self.secrets = sorted(
            {s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True
        )

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text
