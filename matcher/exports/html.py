"""HTML documents from Jinja templates: autoescaped, self-contained (no network, no other file)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape


@cache
def environment(package: str) -> Environment:
    """The template environment of ``package`` (its ``templates/`` folder)."""
    return Environment(loader=PackageLoader(package, "templates"), autoescape=select_autoescape(default=True),
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(package: str, template: str, **context: Any) -> str:
    return environment(package).get_template(template).render(**context)
