"""The offline planner: a deterministic Model that sets up and tests projects with no API key."""
