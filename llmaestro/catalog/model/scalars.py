"""The data model's scalar types, its vocabulary and the strict base of every catalog model.

Annotated scalars (:data:`Price`, :data:`TokenCount`, :data:`Slug`...) carry their constraints
and JSON Schema; the literals (:data:`Kind`, :data:`Modality`, :data:`Status`,
:data:`BillingKind`, :data:`ApiStyle`, :data:`ReasoningEffort`) and their tuples
(:data:`KINDS`...) are plain vocabulary that imports without pydantic.
Import these names from :mod:`llmaestro.catalog.model`.
"""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal
from typing import Annotated, Any, Literal

from llmaestro._optional import installed

if typing.TYPE_CHECKING or installed("pydantic"):
    from pydantic import (
        BaseModel,
        BeforeValidator,
        ConfigDict,
        Field,
        ValidationInfo,
        WithJsonSchema,
        field_validator,
    )
    from pydantic_core import PydanticCustomError
else:  # the core install: the vocabulary imports, the models raise on use (llmaestro.catalog.model)
    from llmaestro._pydantic_absent import (
        BaseModel,
        BeforeValidator,
        ConfigDict,
        Field,
        PydanticCustomError,
        ValidationInfo,
        WithJsonSchema,
        field_validator,
    )

# --- scalar types ---------------------------------------------------------------------------


def _to_decimal(value: Any) -> Any:
    # YAML integers are prices too (``input: 3``); bools and floats are not.
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


MAX_NUMBER = 2**53
"""The largest number of the catalog: every JSON reader (a JavaScript one, a REAL column, a
float) holds every integer up to it exactly, so anything that validates exports in every
format."""

Price = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    Field(ge=0, le=MAX_NUMBER, allow_inf_nan=False),
    # the export's schema recognises prices by exactly this node (and spells them as text);
    # the catalog files' schemas add the maximum (llmaestro.catalog.jsonschemas)
    WithJsonSchema({"type": "number", "minimum": 0}),
]
"""USD, never negative; ``0`` is free."""

TokenCount = Annotated[int, Field(ge=1, le=MAX_NUMBER)]
NonNegativeInt = Annotated[int, Field(ge=0, le=MAX_NUMBER)]

Date = Annotated[dt.date, WithJsonSchema({"type": "string", "format": "date"})]

MonthOrDate = Annotated[
    dt.date | Annotated[str, Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")],
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"},
            ]
        }
    ),
]
"""A calendar date, or a month written ``YYYY-MM`` where only the month is known."""

Url = Annotated[str, Field(pattern=r"^https?://[^\s]+$", max_length=2048)]
EnvVarName = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*$", max_length=128)]
Slug = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\s]+$")]
"""An id: no white space."""

ModelRef = Annotated[str, Field(pattern=r"^[^\s/]+/[^\s]+$", max_length=300)]
"""A canonical model reference ``<lab>/<model>``."""

Kind = Literal[
    "chat",
    "completion",
    "embedding",
    "image_generation",
    "speech",
    "transcription",
    "rerank",
    "moderation",
    "video",
]
Modality = Literal["text", "image", "audio", "video", "pdf"]
Status = Literal["preview", "active", "deprecated", "retired"]
BillingKind = Literal["per_token", "subscription", "free_tier", "self_hosted"]
ApiStyle = Literal[
    "openai-chat",
    "openai-responses",
    "openai-completions",
    "anthropic-messages",
    "gemini",
    "vertex",
    "bedrock-converse",
    "cohere",
    "ollama",
    "other",
]
ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"]

KINDS: tuple[str, ...] = typing.get_args(Kind)
MODALITIES: tuple[str, ...] = typing.get_args(Modality)
STATUSES: tuple[str, ...] = typing.get_args(Status)
BILLING_KINDS: tuple[str, ...] = typing.get_args(BillingKind)


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        use_attribute_docstrings=True,
        validate_default=False,
        revalidate_instances="never",
    )

    @field_validator("*", mode="before")
    @classmethod
    def _absent_not_null(cls, value: Any, info: ValidationInfo) -> Any:
        # An optional field is optional by being absent: `key: null` (or `key:` with no value)
        # is a second way to say "unknown", so it is refused. A required field's null is left
        # to its type check ("must be a string").
        if (
            value is None
            and info.field_name
            and not cls.model_fields[info.field_name].is_required()
        ):
            raise PydanticCustomError(
                "explicit_null", "an optional key is absent, never null: delete the key"
            )
        return value
