"""flockwatch: find bots, fake accounts and coordinated networks in social-media data.

The stages, imported one way: ingest -> store -> detect -> findings -> report/export/api.
"""

from flockwatch.errors import (
    FlockwatchError,
    InputError,
    ParameterError,
    StoreError,
    StoreVersionError,
    UnknownFormatError,
)
from flockwatch.ingest.runner import IngestResult, ingest_paths
from flockwatch.store.db import Store, resolve_db_path

__version__ = "0.1.0"

__all__ = [
    "FlockwatchError",
    "IngestResult",
    "InputError",
    "ParameterError",
    "Store",
    "StoreError",
    "StoreVersionError",
    "UnknownFormatError",
    "__version__",
    "ingest_paths",
    "resolve_db_path",
]
