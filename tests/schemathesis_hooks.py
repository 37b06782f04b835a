"""What the API's JSON Schema cannot say, told to schemathesis (SCHEMATHESIS_HOOKS=tests/schemathesis_hooks.py).

Three rules relate fields to each other and are stated in the document's descriptions instead:
a supplier's price_min_eur is at most its price_max_eur, PUT /suppliers/{supplier_id} takes
a body whose supplier_id is absent, null or the URL's, and the market report's since is on or before
its until; PATCH /suppliers/{supplier_id}/profile keeps the price rule against the stored record, so
edits naming a price are left out. Generated cases that break one of them
are left out (the server answers them 422, as documented); every other check stays on.
"""

from __future__ import annotations

from typing import Any

import schemathesis


def _breaks_a_rule(case: Any) -> bool:
    body = case.body if isinstance(case.body, dict) else {}
    low, high = body.get("price_min_eur"), body.get("price_max_eur")
    if isinstance(low, (int, float)) and isinstance(high, (int, float)) and low > high:
        return True
    if case.method.upper() == "PATCH" and ("price_min_eur" in body or "price_max_eur" in body):
        return True  # a profile edit is checked with the stored record: one price against the stored other
    query = case.query if isinstance(case.query, dict) else {}
    since, until = query.get("since"), query.get("until")
    if isinstance(since, str) and isinstance(until, str) and since > until:  # YYYY-MM-DD: text order is date order
        return True
    path_id = (case.path_parameters or {}).get("supplier_id")
    return (case.method.upper() == "PUT" and path_id is not None and "supplier_id" in body
            and body["supplier_id"] is not None and body["supplier_id"] != path_id)


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    return not _breaks_a_rule(case)


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: Any) -> None:
    """The stateful phase builds cases from links without ``filter_case``: bring those that break a rule
    back within it (the body's supplier_id becomes the URL's; a profile edit drops its prices; a
    supplier body's prices are put in order), so every check still runs on what the API documents."""
    body = case.body if isinstance(case.body, dict) else None
    if body is None:
        return
    path_id = (case.path_parameters or {}).get("supplier_id")
    if case.method.upper() == "PUT" and path_id is not None and body.get("supplier_id") not in (None, path_id):
        body["supplier_id"] = path_id
    if case.method.upper() == "PATCH":
        body.pop("price_min_eur", None)
        body.pop("price_max_eur", None)
    low, high = body.get("price_min_eur"), body.get("price_max_eur")
    if isinstance(low, (int, float)) and isinstance(high, (int, float)) and low > high:
        body["price_min_eur"], body["price_max_eur"] = high, low
