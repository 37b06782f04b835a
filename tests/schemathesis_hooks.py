"""What the API's JSON Schema cannot say, told to schemathesis (SCHEMATHESIS_HOOKS=tests/schemathesis_hooks.py).

Three rules relate fields to each other and are stated in the document's descriptions instead:
a supplier's price_min_eur is at most its price_max_eur, PUT /suppliers/{supplier_id} takes
a body whose supplier_id is absent, null or the URL's, and the market report's since is on or before
its until. Generated cases that break one of them
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
