"""Scoring factors: one module per factor, registered in ``registry`` (see base.Factor).

Adding a factor = one module here (a ``@register``-ed Factor subclass) + its messages
(``factor.<name>`` and ``reason.<name>.<kind>``) in every catalogue of matcher/locales.
"""

from matcher.factors import registry
from matcher.factors.base import Factor, Gate, Reason, RequestContext, message_ref, terms
from matcher.factors.registry import register

__all__ = ["Factor", "Gate", "Reason", "RequestContext", "message_ref", "register", "registry", "terms"]
