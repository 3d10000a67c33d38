"""Metrics stored in a notebook's outputs: the one writer and the one reader.

A value is stored the way myst-nb's ``glue`` stores it (hidden, under the
``application/papermill.record/`` prefix, named in the output's ``scrapbook``
metadata), so a page can quote it with ``{glue:text}``. ``records`` and
``profiles`` write with :func:`write`; the publishing scripts, the status table,
benchmarks and tests read with :func:`read_recorded` or :func:`glued_outputs`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

GLUE_PREFIX = "application/papermill.record/"


def write(name: str, value: Any) -> None:
    """Store ``value`` in the notebook like ``myst_nb.glue(name, value, display=False)``."""
    try:
        from IPython import get_ipython
        from IPython.core.formatters import format_display_data
        from IPython.display import display
    except ImportError:  # plain Python: nothing to store in
        return
    if get_ipython() is None:
        return
    bundle, metadata = format_display_data(value)
    metadata["scrapbook"] = {"name": name, "mime_prefix": GLUE_PREFIX}
    display({GLUE_PREFIX + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)


def glued_outputs(nb: dict) -> Iterator[tuple[str, dict]]:
    """``(name, output)`` for every stored value of an executed notebook (a dict from ``json.load``)."""
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if meta:
                yield meta["name"], out


def read_recorded(nb: dict) -> dict[str, Any]:
    """The values an executed notebook (a dict, as ``json.load`` gives it) recorded, by name.

    Each value is read back from its ``text/plain`` form: numbers and strings as
    themselves, anything else as its text.
    """
    found: dict[str, Any] = {}
    for name, out in glued_outputs(nb):
        text = out.get("data", {}).get(GLUE_PREFIX + "text/plain", "")
        text = "".join(text) if isinstance(text, list) else text
        try:
            found[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            found[name] = text
    return found


def set_text(out: dict, text: str) -> None:
    """Replace the stored ``text/plain`` form of one glued output (for doctored copies in tests)."""
    out.setdefault("data", {})[GLUE_PREFIX + "text/plain"] = text
