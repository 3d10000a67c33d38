"""Sphinx extension for the course's two editions (English at the site root, Korean under ko/).

scripts/course.py stages this file into the book's ``_ext/`` folder; _config.yml loads it.

It does three things:

- **Language switch.** Each page gets a link to the same page in the other edition, from
  ``book_i18n_other`` (the other edition's root relative to this one's, its language tag
  and the link's label).
- **Glue in translated text.** Sphinx parses each translated paragraph on its own, as
  plain MyST with no notebook attached, so a bare ``{glue:text}`key``` finds no glue data
  ("No key ... found in glue data for this document") and the number vanishes. In that
  case only, the glue roles rewrite the key to ``/<this notebook>::key``, a reference
  that myst-nb resolves after parsing from the notebook's stored glue data.
- **Display math stays out of the catalogs**: it is not prose, and a translator should
  not have to copy it.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from myst_nb.ext.glue.roles import PasteMarkdownRole, PasteRoleAny, PasteTextRole

# myst-nb's glue roles, by their name in the ``glue`` domain ({glue}, {glue:any}, ...).
GLUE_ROLES = {"": PasteRoleAny, "any": PasteRoleAny, "text": PasteTextRole, "md": PasteMarkdownRole}


def _this_notebook_key(role: Any) -> None:
    """Prefix a bare glue key with the current document when no notebook is being rendered."""
    if "nb_renderer" in role.document:  # the notebook itself: myst-nb's own lookup works
        return
    # {glue:text} takes ``key:format`` (format "s" when none is given); the others a bare ``key``.
    text_role = isinstance(role, PasteTextRole)
    key, fmt = (role.text.rsplit(":", 1) if ":" in role.text else (role.text, "s")) if text_role \
        else (role.text, None)
    if "::" in key:  # already names a document
        return
    env = role.document.settings.env
    # The format is always written out: with the document's "::" in front, a bare key would
    # be split at its last colon and read as a format.
    role.text = f"/{env.doc2path(env.docname, base=False)}::{key}" + (f":{fmt}" if text_role else "")


def _translatable(base: type) -> type:
    class Role(base):  # type: ignore[misc, valid-type]
        def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
            _this_notebook_key(self)
            return super().run()

    Role.__name__ = f"Translatable{base.__name__}"
    return Role


def switch_link(pagename: str, other: dict[str, str]) -> str:
    """HTML for the link from ``pagename`` to the same page in the other edition."""
    up = "../" * pagename.count("/")
    href = f"{up}{other['root']}{pagename}.html"
    return (f'<p class="book-i18n-switch" style="text-align:right;margin:0">'
            f'<a href="{html.escape(href)}" hreflang="{other["lang"]}" lang="{other["lang"]}">'
            f'{html.escape(other["label"])}</a></p>\n')


def _add_switch(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    other = app.config.book_i18n_other
    if not other or "body" not in context:
        return
    link = switch_link(pagename, other)
    context["body"] = link + context["body"]
    up = "../" * pagename.count("/")
    context["metatags"] = context.get("metatags", "") + (
        f'\n<link rel="alternate" hreflang="{other["lang"]}" href="{up}{other["root"]}{pagename}.html">')


class UntranslatableMath(SphinxTransform):
    """Display math is not prose: keep it out of the catalogs (and never replace it)."""

    default_priority = 10  # before Sphinx's Locale transform (20) reads the messages

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.math_block):
            node["translatable"] = False


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("book_i18n_other", {}, "html")
    app.setup_extension("myst_nb")
    for name, base in GLUE_ROLES.items():
        app.add_role_to_domain("glue", name, _translatable(base)(), override=True)
    app.add_role("glue", _translatable(PasteRoleAny)(), override=True)
    app.add_transform(UntranslatableMath)
    app.connect("html-page-context", _add_switch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
