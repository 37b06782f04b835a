"""The cluster market report: unmet demand, certifications, capacity and languages, per cluster and period.

demand.py (definitions, one row per request, cluster and family), tables.py (pandas aggregations),
plots.py (SVG readable without colour), report.py (periods, the typed report, HTML and XLSX).
"""

from matcher.market.report import MIME_TYPES, MarketAnalysis, MarketReport, analyse, to_excel, to_html, write

__all__ = ["MIME_TYPES", "MarketAnalysis", "MarketReport", "analyse", "to_excel", "to_html", "write"]
