"""The message catalogue: every text a person reads, one gettext catalogue per locale.

``matcher/locales/<locale>/LC_MESSAGES/messages.po`` maps a message id (``reason.capacity.ok``,
``page.submit``, ``invalid.required``, ``factor.price``, ``wish.mutual``...) to its text, with
``{name}`` placeholders (python-brace-format). Catalogues are read with Babel at first use. English
is complete by definition; a test fails when any shipped locale lacks an English message id. At run
time a missing id falls back to English, never to an error in front of a user.

A new language is one catalogue here plus its vocabulary labels (matcher/vocabularies/*.json).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

DEFAULT_LOCALE = "en"
RTL_LOCALES = frozenset({"ar"})
_EXTRA: dict[str, dict[str, str]] = {}  # messages added at run time (plugins, tests)


@cache
def locales() -> tuple[str, ...]:
    """Every shipped locale, English first."""
    folder = resources.files("matcher").joinpath("locales")
    found = sorted(p.name for p in folder.iterdir() if p.joinpath("LC_MESSAGES", "messages.po").is_file())
    return (DEFAULT_LOCALE, *[name for name in found if name != DEFAULT_LOCALE])


@cache
def _read(locale: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    path = resources.files("matcher").joinpath("locales", locale, "LC_MESSAGES", "messages.po")
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string}


def catalogue(locale: str) -> dict[str, str]:
    """Message id -> text for ``locale`` (without the English fallback)."""
    table = dict(_read(locale)) if locale in locales() else {}
    table.update(_EXTRA.get(locale, {}))
    return table


def locale_for(language: str | None) -> str:
    """The locale texts are written in for ``language``: itself when shipped, else English."""
    return language if language in locales() else DEFAULT_LOCALE


def text(locale: str | None, msgid: str) -> str:
    """The raw text of ``msgid`` in ``locale`` (English when the locale lacks it)."""
    loc = locale_for(locale)
    found = _EXTRA.get(loc, {}).get(msgid) or _read(loc).get(msgid)
    if found is None and loc != DEFAULT_LOCALE:
        found = _EXTRA.get(DEFAULT_LOCALE, {}).get(msgid) or _read(DEFAULT_LOCALE).get(msgid)
    if found is None:
        raise KeyError(f"no message '{msgid}' in the catalogue")
    return found


def msg(locale: str | None, msgid: str, **params: Any) -> str:
    """``msgid`` in ``locale`` with its placeholders filled."""
    return text(locale, msgid).format(**params)


def has(msgid: str) -> bool:
    return msgid in _EXTRA.get(DEFAULT_LOCALE, {}) or msgid in _read(DEFAULT_LOCALE)


def add_messages(messages: dict[str, dict[str, str]]) -> None:
    """Add texts at run time, as {locale: {msgid: text}}: for factors shipped outside this package."""
    for locale, table in messages.items():
        _EXTRA.setdefault(locale, {}).update(table)


def remove_messages(msgids: set[str]) -> None:
    for table in _EXTRA.values():
        for msgid in msgids:
            table.pop(msgid, None)


def missing() -> dict[str, list[str]]:
    """Per shipped locale, the English message ids it lacks (empty when every catalogue is complete)."""
    english = set(catalogue(DEFAULT_LOCALE))
    return {loc: sorted(english - set(catalogue(loc))) for loc in locales() if loc != DEFAULT_LOCALE}


def direction(locale: str | None) -> str:
    """'rtl' for right-to-left locales, else 'ltr'."""
    return "rtl" if locale_for(locale) in RTL_LOCALES else "ltr"


def language_name(code: str | None, locale: str) -> str:
    """The name of a language in ``locale`` (Babel's locale data), e.g. 'arabe' for ar in French."""
    if not code:
        return "?"
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code).get_display_name(locale) or code
    except (ValueError, UnknownLocaleError):
        return code
