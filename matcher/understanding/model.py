"""What the engine read in a request: the ``interpretation`` block of every match result."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Extracted(BaseModel):
    """One thing read from the description, with the span it came from and whether it was applied."""

    id: str = Field(description="stable id, e.g. 'quantity', 'required_certifications:ce_marking'; send it in "
                                "the request's 'ignore' list to leave it out")
    field: str = Field(description="the request field it fills")
    value: Any
    label: str = Field(description="the value in the request's language")
    text: str = Field(description="the words it was read from, as written")
    start: int = Field(description="span in the description (characters, end exclusive)")
    end: int
    strength: Literal["must", "preference"] | None = None
    corrected: bool = Field(default=False, description="read through a typo or an abbreviation")
    applied: bool
    note: str = Field(default="", description="why it was not applied, or how it was read (localised)")


class Suggestion(BaseModel):
    id: str
    label: str


class TermNote(BaseModel):
    """How a vocabulary term the buyer typed in a field was understood."""

    field: str
    label: str = Field(description="as typed")
    status: Literal["known", "corrected", "loosened", "unknown"]
    read_as: list[Suggestion] = Field(default_factory=list)
    suggestions: list[Suggestion] = Field(default_factory=list, description="did you mean")
    message: str = Field(default="", description="what it means for matching (localised)")


class Interpretation(BaseModel):
    """The request as the engine understood it."""

    language: str | None
    language_source: Literal["field", "detected", "none"]
    language_confidence: float | None = None
    extracted: list[Extracted] = Field(default_factory=list)
    terms: list[TermNote] = Field(default_factory=list, description="corrected, loosened or unknown field terms")
