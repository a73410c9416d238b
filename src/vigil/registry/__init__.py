"""Versioned model registry with ``champion`` / ``challenger`` aliases.

Rows live in the warehouse (``model_registry``, ``model_alias_history``); artifacts and a
JSON mirror of the aliases live under ``models_dir`` so light readers (the CI gate) need no
database. Importing this package does not import duckdb.
"""

from vigil.registry.files import ModelVersion, verified_path
from vigil.registry.store import ModelRegistry

__all__ = ["ModelRegistry", "ModelVersion", "verified_path"]
