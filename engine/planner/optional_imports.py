"""Which modules a test file imports inside `try: ... except ImportError`, read with ast (never run)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def modules_of_optional_import(path: Path, name: str) -> list[str]:
    """Top-level third-party modules imported by the guarded block that would have bound `name`."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except (OSError, SyntaxError, ValueError):
        return []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try) or not any(_catches_import_error(h) for h in node.handlers):
            continue
        imports = [s for s in node.body if isinstance(s, ast.Import | ast.ImportFrom)]
        if any(name in _bound_names(s) for s in imports):
            modules = (module for s in imports for module in _top_modules(s))
            return [m for m in dict.fromkeys(modules) if m not in sys.stdlib_module_names]
    return []


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(n, ast.Name) and n.id in IMPORT_ERRORS for n in names)


def _bound_names(statement: ast.Import | ast.ImportFrom) -> set[str]:
    if isinstance(statement, ast.Import):
        return {alias.asname or alias.name.split(".")[0] for alias in statement.names}
    return {alias.asname or alias.name for alias in statement.names}


def _top_modules(statement: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(statement, ast.ImportFrom):  # a relative import is the project's own
        return [statement.module.split(".")[0]] if statement.module and not statement.level else []
    return [alias.name.split(".")[0] for alias in statement.names]
