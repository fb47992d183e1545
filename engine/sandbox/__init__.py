"""The Docker sandbox: images, containers, a persistent shell, files, snapshots, cleanup (docker-py only)."""
