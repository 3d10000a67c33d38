"""Every public function and method of dlcourse has type hints on its arguments and its return.

Public means reachable under a public name: methods of private classes (the exercises'
reference solutions, written as a learner would) and functions nested in private ones
are not.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "dlcourse"


def _public_functions(tree: ast.AST):
    """Function nodes reachable under public names (private classes and functions are not entered)."""
    for node in ast.iter_child_nodes(tree):
        name = getattr(node, "name", None) or ""
        private = name.startswith("_") and name != "__init__"
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not private:
                yield node
                yield from _public_functions(node)
        elif isinstance(node, ast.ClassDef):
            if not private:
                yield from _public_functions(node)
        else:
            yield from _public_functions(node)


def _untyped(tree: ast.AST, where: str) -> list[str]:
    found = []
    for node in _public_functions(tree):
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


def test_methods_of_private_classes_and_nested_functions_of_public_ones():
    tree = ast.parse("class _Solution:\n    def backward(self, dout):\n        return dout\n\n"
                     "def g(x: int) -> int:\n    def inner(y):\n        return y\n    return inner(x)\n\n"
                     "def _h(x):\n    def inner(y):\n        return y\n    return x\n")
    assert _untyped(tree, "m.py") == ["m.py:6 inner: y, return"]
