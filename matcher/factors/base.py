"""What a scoring factor is, and the typed records it produces.

A factor is one module in ``matcher/factors/``: a :class:`Factor` subclass registered with
``@register``. It owns
- its supplier-side columns (``columns``: arrays built once per supplier set, kept in the index),
- its applicability and request-side features (``query``: None when the buyer said nothing
  that concerns it, so the factor leaves the weighted mean),
- its vectorised score over every supplier (``score``: an (n,) array in [0, 1]),
- its must-haves, if any (``gates``: suppliers that miss them are ineligible),
- its reasons (``reasons``: typed :class:`Reason` records, rendered to text in one place,
  matcher.explain), and its label (message ``factor.<name>`` in every catalogue).
A factor with ``weighted = False`` only gates (custom designs, samples): it has no score.
"""

from __future__ import annotations

from abc import ABC
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from matcher.features import RequestFeatures
    from matcher.index import SupplierIndex
    from matcher.schema import BuyerRequest, Supplier

Columns = dict[str, Any]


class Reason(BaseModel):
    """One reason, as data: which factor, what kind of statement, with which values.

    ``values`` hold numbers, codes and lists as given; a value ``{"vocab": V, "ids": [...]}`` names
    vocabulary concepts and ``{"msg": ID}`` a catalogue message, both shown as labels in the
    reader's language; ``{"text": T}`` is a term no vocabulary knows, shown as the buyer typed it.
    ``text`` is the rendering in the request's language (msgid ``reason.<factor>.<kind>``).
    """

    factor: str
    kind: str
    values: dict[str, Any] = Field(default_factory=dict)
    text: str = ""

    @property
    def msgid(self) -> str:
        return f"reason.{self.factor}.{self.kind}"


def terms(vocab: str, ids: list[str] | set[str]) -> dict[str, Any]:
    """A reason value naming vocabulary concepts (labelled in the reader's language, sorted by id)."""
    return {"vocab": vocab, "ids": sorted(ids)}


def message_ref(msgid: str) -> dict[str, str]:
    """A reason value that is a catalogue message (e.g. the label of a must-have)."""
    return {"msg": msgid}


@dataclass
class Gate:
    """A must-have: ``missing`` is True for every supplier that does not meet it."""

    key: str  # "certification:reach_nickel", "customization" ...
    label: dict[str, Any]  # terms(...) or message_ref(...)
    missing: np.ndarray
    by_text: bool = False  # decided by the supplier's own text (a term no vocabulary knows)


@dataclass
class RequestContext:
    """Everything factors may read about one request."""

    request: BuyerRequest
    features: RequestFeatures
    vector: np.ndarray | None = None  # the request text's embedding (unit norm)
    semantic_bounds: tuple[float, float] = (0.0, 1.0)
    window_days: float = 90.0  # the buyer's lead time, or the profile's default window
    weights: dict[str, float] = field(default_factory=dict)  # effective weights (profile + request overrides)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def language(self) -> str | None:
        return self.features.language


class Factor(ABC):
    """Base class; see the module docstring. Subclasses set the class attributes."""

    name: ClassVar[str]
    position: ClassVar[int]  # order of scoring (weighted sums run in this order) and of reasons
    reason_position: ClassVar[int | None] = None  # where its reasons appear, when not at ``position``
    default_weight: ClassVar[float] = 1.0  # weight in a profile that does not list this factor
    weighted: ClassVar[bool] = True
    deferred: ClassVar[bool] = False  # costly per row: scored only on rows that may reach the top k
    scoped_first: ClassVar[bool] = False  # scored on every row first: its zeros (fillers) scope the others
    kinds: ClassVar[tuple[str, ...]] = ()  # reason kinds: each needs message reason.<name>.<kind>
    extra_messages: ClassVar[tuple[str, ...]] = ()  # other message ids it uses (must-have labels)

    def columns(self, suppliers: list[Supplier]) -> Columns:
        """Arrays over suppliers (in index order) that scoring and reasons read: the factor's own
        reading of each sheet (matcher.features has the shared vocabulary readers)."""
        return {}

    def query(self, ctx: RequestContext) -> Any | None:
        """What this factor needs from the request; None when it does not apply."""
        return None

    def score(self, index: SupplierIndex, q: Any, ctx: RequestContext) -> np.ndarray:
        """(n,) scores in [0, 1]."""
        raise NotImplementedError(f"factor '{self.name}' does not score")

    def score_rows(self, index: SupplierIndex, q: Any, ctx: RequestContext, rows: np.ndarray) -> np.ndarray:
        """Scores of ``rows`` only: ``score`` over a view of those rows (a factor may do better)."""
        from matcher.index import RowView

        return self.score(RowView(index, rows), q, ctx)  # type: ignore[arg-type]

    def score_many(self, index: SupplierIndex, qs: list[Any], ctxs: list[RequestContext],
                   rows: np.ndarray | None = None) -> list[np.ndarray]:
        """Scores of several requests, over ``rows`` or all (a factor that can share work between
        requests overrides this)."""
        if rows is None:
            return [self.score(index, q, ctx) for q, ctx in zip(qs, ctxs, strict=True)]
        return [self.score_rows(index, q, ctx, rows) for q, ctx in zip(qs, ctxs, strict=True)]

    def gates(self, index: SupplierIndex, ctx: RequestContext) -> list[Gate]:
        return []

    def reasons(self, index: SupplierIndex, q: Any, ctx: RequestContext, i: int, supplier: Supplier,
                scores: dict[str, np.ndarray]) -> list[Reason]:
        """Reasons for supplier position ``i`` (``scores``: every applicable factor's array)."""
        return []

    def reason(self, kind: str, **values: Any) -> Reason:
        return Reason.model_construct(factor=self.name, kind=kind, values=values, text="")

    def cols(self, index: SupplierIndex) -> Columns:
        return index.columns_[self.name]

    @property
    def messages(self) -> tuple[str, ...]:
        """Every catalogue message this factor needs."""
        own = tuple(f"reason.{self.name}.{k}" for k in self.kinds)
        return ((f"factor.{self.name}",) if self.weighted else ()) + own + self.extra_messages
