"""The ``coordination`` detector: groups of accounts that act together, and how inauthentic.

Modules, one idea each: :mod:`.actions` (co-action pairs in SQL), :mod:`.textsim` (MinHash LSH
near-duplicates), :mod:`.sync` (synchronised schedules), :mod:`.weights` (cut-offs from a null
model), :mod:`.pipeline` (actions to kept edges), :mod:`.network` (multiplex graph + Leiden),
:mod:`.clusters` (metrics and inauthenticity), :mod:`.roles` (core and amplifier),
:mod:`.campaign` (what a cluster pushes, when), :mod:`.evidence` (all pairs behind an edge),
:mod:`.detector` (the detector).
"""

from __future__ import annotations

from flockwatch.detect.coordination.detector import EDGES_TABLE, CoordinationDetector
from flockwatch.detect.coordination.evidence import edge_evidence
from flockwatch.detect.coordination.pipeline import NETWORKS

__all__ = ["EDGES_TABLE", "NETWORKS", "CoordinationDetector", "edge_evidence"]
