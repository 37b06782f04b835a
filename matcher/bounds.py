"""Every numeric bound of the contract, declared once: the schema, the API (and its OpenAPI
document), the pages and the CLI all take their limits from here."""

from __future__ import annotations

MAX_TOP_K = 500  # matches returned for one request
DEFAULT_TOP_K = 10
SHORTLIST_TOP_K = (1, 100)  # suppliers per buyer in a fair shortlist
SHORTLIST_DEFAULT_TOP_K = 5
SHORTLIST_MIN_SCORE = (0.0, 1.0)  # a shortlist leaves out suppliers scoring below its minimum (0: none)
SHORTLIST_NEAREST = 3  # nearest misses shown for a buyer with no supplier to meet
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

# Sizes of records (characters, items): the schema (matcher.schema, matcher.cells) enforces them and the
# OpenAPI document publishes them (maxLength, maxItems, maximum), so one request cannot exhaust the server.
ID_MAX_LENGTH = 100  # supplier_id, request_id
NAME_MAX_LENGTH = 300  # supplier and buyer names
TEXT_MAX_LENGTH = 300  # region, cluster and other one-line texts
DESCRIPTION_MAX_LENGTH = 10_000
EMAIL_MAX_LENGTH = 320
LIST_MAX_ITEMS = 100  # products, materials, techniques, certifications, sustainability, ignore, HS codes
LIST_ITEM_MAX_LENGTH = 200
COUNTRY_LIST_MAX_ITEMS = 250  # export markets, preferred countries (every country once)
LANGUAGE_LIST_MAX_ITEMS = 50
EXTRA_MAX_COLUMNS = 100  # extra sheet columns kept per record
EXTRA_NAME_MAX_LENGTH = 100
EXTRA_VALUE_MAX_LENGTH = 2_000
MAX_QUANTITY = 10**9  # pieces: quantities, monthly capacity, minimum order
MAX_DAYS = 3_650  # lead times
MAX_EMPLOYEES = 10**7
MAX_WEIGHT = 1_000.0  # one factor weight (request or profile): sums stay finite
MAX_JSON_DEPTH = 32  # nesting of a JSON body

# Notifications (matcher.notify): outbox retries double from the base up to the cap; one SMTP
# conversation waits at most the timeout.
NOTIFY_RETRY_BASE_S = 30
NOTIFY_RETRY_MAX_S = 3600
NOTIFY_SMTP_TIMEOUT_S = 10
