"""Show a package object's source in a notebook, so the book prints the tested code."""

from __future__ import annotations

import inspect
import textwrap
from typing import Any


def code_text(obj: Any) -> str:
    """Return the source code of a dlcourse function, class, method or module."""
    target = obj.__func__ if inspect.ismethod(obj) else obj
    try:
        code = inspect.getsource(target)
    except (TypeError, OSError) as err:
        raise TypeError(
            f"cannot show {obj!r}: pass a function, class, method or module defined in a "
            "Python file (not an instance or a built-in)."
        ) from err
    module = inspect.getmodule(target)
    header = f"# {module.__name__}" if module is not None else "# (source)"
    return header + "\n" + textwrap.dedent(code).rstrip() + "\n"


def show(obj: Any) -> None:
    """Display ``obj``'s source with syntax highlighting (plain text outside Jupyter)."""
    code = code_text(obj)
    try:
        from IPython import get_ipython
        from IPython.display import Code, display
    except ImportError:
        print(code)
        return
    if get_ipython() is None:
        print(code)
        return
    display(Code(code, language="python"))
