"""Fail when a function in relaydesk/ runs over 80 lines (ruff counts statements, not lines).

A long function usually holds several steps that read better as named helpers. Lines are
counted from the `def` (decorators excluded) to the function's last line, docstring and
comments included. Migrations are generated and left alone.

    python scripts/check_function_length.py [PATH ...]    # default: relaydesk
"""

import ast
import sys
from pathlib import Path

MAX_LINES = 80


def long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_LINES:
                found.append(f"{path}:{node.lineno}: {node.name} is {length} lines long")
    return found


def main(roots: list[str]) -> int:
    found = []
    for root in roots:
        paths = [Path(root)] if root.endswith(".py") else sorted(Path(root).rglob("*.py"))
        for path in paths:
            if "migrations" not in path.parts:
                found.extend(long_functions(path))
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} function(s) over {MAX_LINES} lines: split them into named helpers.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["relaydesk"]))
