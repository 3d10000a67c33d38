"""Every public function and method of dlcourse has type hints on its arguments and its return."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "dlcourse"


def _untyped(tree: ast.AST, where: str) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name.startswith("_") \
                and node.name != "__init__":
            continue
        args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        missing = [a.arg for a in args if a.annotation is None and a.arg not in ("self", "cls")]
        missing += [f"*{a.arg}" for a in (node.args.vararg, node.args.kwarg) if a and a.annotation is None]
        if node.returns is None and node.name != "__init__":
            missing.append("return")
        if missing:
            found.append(f"{where}:{node.lineno} {node.name}: {', '.join(missing)}")
    return found


def test_public_functions_have_type_hints():
    untyped = [line for path in sorted(PACKAGE.rglob("*.py"))
               for line in _untyped(ast.parse(path.read_text()), str(path.relative_to(PACKAGE)))]
    assert untyped == [], "add type hints:\n" + "\n".join(untyped)


def test_the_check_finds_a_missing_hint():
    tree = ast.parse("def f(x, y: int):\n    return x\n\nclass C:\n    def __init__(self, a: int):\n"
                     "        pass\n    def m(self) -> None:\n        pass\n")
    assert _untyped(tree, "m.py") == ["m.py:1 f: x, return"]
