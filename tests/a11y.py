"""WCAG 2.2 AA checks of a page in Chromium with axe-core (``make axe`` fetches the pinned axe.min.js
from the npm registry into tests/vendor/). Every page test calls :func:`assert_accessible`, at the
desktop size and at a phone's (:data:`PHONE`). The pages' Content-Security-Policy forbids inline
scripts, so axe is injected into pages opened by :func:`checked_page` (a context that bypasses CSP,
for the checker only: the page itself runs as served)."""

from __future__ import annotations

import json
from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def checked_page(browser, locale: str = "en-GB"):
    """A new page whose context lets axe be injected (``bypass_csp``); close its context when done."""
    return browser.new_context(locale=locale, bypass_csp=True).new_page()


def violations(page) -> list[dict]:
    """axe-core's WCAG 2.2 A and AA violations on the page as it is now."""
    if not AXE.is_file():
        raise AssertionError(f"{AXE} is missing: run `make axe` (npm pack axe-core) first")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                         ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
                         "nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), "
                         "summary: n.failureSummary}))})))", TAGS)


def assert_accessible(page, where: str = "") -> None:
    """No axe-core WCAG 2.2 AA violation on ``page``; the message lists each rule and its first nodes."""
    found = violations(page)
    assert found == [], f"{where or page.url}: {len(found)} axe violation(s)\n" + json.dumps(
        found, ensure_ascii=False, indent=1)


def assert_accessible_at_both_sizes(page, where: str = "") -> None:
    """:func:`assert_accessible` at the desktop size and at 375 x 812 (the page is laid out again)."""
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert_accessible(page, f"{where or page.url} at {size['width']}x{size['height']}")
    page.set_viewport_size(DESKTOP)


def _phrases(locale: str) -> list[str]:
    """English catalogue texts a page in ``locale`` must not show: those the locale translates
    differently, as their longest fixed part (placeholders cut out), at least 5 characters."""
    import re

    from matcher import i18n

    english, local = i18n.catalogue("en"), i18n.catalogue(locale)
    out = set()
    for msgid, text in english.items():
        if local.get(msgid, text) == text:
            continue  # the same words in both languages ("Date", "Agenda")
        part = max(re.split(r"\{[^}]*\}", text), key=len).strip(" :;,.()-")
        if len(part) >= 5 and part != re.sub(r"\{[^}]*\}", "", local.get(msgid, "")).strip(" :;,.()-"):
            out.add(part)
    return sorted(out)


def english_left(page, locale: str) -> list[str]:
    """English catalogue texts in the page's own text. Parts marked with another ``lang`` (a buyer's
    request and its reasons, in the request's language) and names marked ``translate="no"`` are data,
    not page text, and are left out."""
    import re

    text = page.evaluate("""lang => {
        const body = document.body.cloneNode(true);
        body.querySelectorAll('[lang]').forEach(e => { if (e.getAttribute('lang') !== lang) e.remove(); });
        body.querySelectorAll('script, style, [translate="no"]').forEach(e => e.remove());
        return body.innerText + ' ' + document.title + ' ' +
            Array.from(document.querySelectorAll('[placeholder], [aria-label]'))
                .map(e => (e.getAttribute('placeholder') || '') + ' ' + (e.getAttribute('aria-label') || '')).join(' ');
    }""", locale)
    return [p for p in _phrases(locale) if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", text)]
