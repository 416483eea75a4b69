"""The shape of a profile file (devices/*.yaml), checked with pydantic.

Only the structure lives here; what the templates mean is compiled and checked
in ``engine``. Keeping the schema declarative means a broken user profile is
reported with the key path where it broke, not as a traceback at command time.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FieldType = Literal["str", "topic", "int", "number", "bool", "template"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class FieldDoc(_Strict):
    """One device key the profile adds to the common device keys."""

    type: FieldType = "str"
    required: bool = False
    default: Any = None
    help: str = ""
    domains: list[str] | None = None  # None: every domain the profile has

    @model_validator(mode="after")
    def _required_has_no_default(self) -> FieldDoc:
        if self.required and self.default is not None:
            raise ValueError("a field is either required or has a default, not both")
        return self


class EmitDoc(_Strict):
    """One message to send: a topic and either a text payload or a JSON object."""

    topic: str | None = None
    payload: str | None = None
    json_body: dict[str, Any] | None = Field(None, alias="json")
    when: str | None = None
    retain: bool | None = None
    unsupported: str | None = None

    @model_validator(mode="after")
    def _one_payload(self) -> EmitDoc:
        if self.unsupported is not None:
            if self.topic is not None or self.payload is not None or self.json_body is not None:
                raise ValueError(
                    "'unsupported' (the reason) stands alone, without topic/payload/json"
                )
            return self
        if self.topic is None:
            raise ValueError("a rule needs a topic (or 'unsupported: <reason>')")
        if (self.payload is None) == (self.json_body is None):
            raise ValueError("give exactly one of 'payload' (text) or 'json' (an object)")
        return self


class ParseDoc(_Strict):
    """How one incoming topic's payload reads back as abstract fields."""

    topic: str
    format: Literal["json", "raw"] = "raw"
    fields: dict[str, Any] = {}
    object: str | None = None  # a template giving a JSON object of abstract fields
    # A shared topic (Tasmota's RESULT answers every command): a payload carrying none of
    # these fields is someone else's and not an error. Wrong-typed fields still are.
    ignore_unrelated: bool = False

    @model_validator(mode="after")
    def _something_to_read(self) -> ParseDoc:
        if self.fields and self.object is not None:
            raise ValueError("give 'fields' or 'object', not both")
        return self


class SimulateDoc(_Strict):
    """The device side: how the device reads commands and how it reports its state."""

    commands: list[ParseDoc] = []
    publish: list[EmitDoc] = []


class DomainDoc(_Strict):
    command: dict[str, list[EmitDoc]]
    state: list[ParseDoc] = []
    refresh: list[EmitDoc] = []
    simulate: SimulateDoc = Field(default_factory=SimulateDoc)  # none: not simulated

    @field_validator("command", mode="before")
    @classmethod
    def _single_rule_is_a_list(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: v if isinstance(v, list) else [v] for k, v in value.items()}
        return value


class ProfileDoc(_Strict):
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    description: str
    fields: dict[str, FieldDoc] = {}
    vars: dict[str, str] = {}
    shared: Any = None  # a home for YAML anchors; ignored
    domains: dict[str, DomainDoc]
