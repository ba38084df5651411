"""A simulated social network with planted manipulation and its ground truth.

:func:`simulate` writes files in the formats flockwatch reads (Twitter
information-operations archive CSVs plus generic CSVs) together with ``truth.csv`` and
``manifest.json``, so detectors can be tried on data where the answer is known.
"""

from __future__ import annotations

from .simulation import SimulationSummary, simulate

__all__ = ["SimulationSummary", "simulate"]
