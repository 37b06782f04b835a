"""Every numeric bound of the contract, declared once: the schema, the API (and its OpenAPI
document), the pages and the CLI all take their limits from here."""

from __future__ import annotations

MAX_TOP_K = 500  # matches returned for one request
DEFAULT_TOP_K = 10
SHORTLIST_TOP_K = (1, 100)  # suppliers per buyer in a fair shortlist
SHORTLIST_DEFAULT_TOP_K = 5
LIST_LIMIT = (1, 1000)  # suppliers per page of a listing
LIST_DEFAULT_LIMIT = 100
MAX_OFFSET = 10**9
FAIR_TIME_LIMIT = (1.0, 600.0)  # seconds the fair planner may search
FAIR_DEFAULT_TIME_LIMIT = 60.0
MAX_PRICE_EUR = 1e9  # far above any craft object; keeps price arithmetic finite
CONSORTIUM_MEMBERS = (2, 8)  # workshops in one consortium offer
CONSORTIUM_DEFAULT_MEMBERS = 4
CONSORTIUM_TIME_LIMIT = (0.1, 60.0)  # seconds per solve
CONSORTIUM_DEFAULT_TIME_LIMIT = 10.0
CONSORTIUM_MAX_QUANTITY = 10**9  # pieces: keeps the integer model's objective far inside 64 bits
AUDIT_LIMIT = (1, 1000)  # audit entries per page
MAX_PUBLIC_COLUMNS = 50  # extra sheet columns the team may mark public at one import
MAX_COLUMN_NAME = 100  # characters in one column name
