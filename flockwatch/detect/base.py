"""The detector interface: a name, a version, keyword parameters, ``run(store) -> findings``.

Modelled on scikit-learn's estimators (parameters are keyword-only, stored unchanged, read back
from the signature; validation happens in ``run``) and threatexchange's signal types (each
detector ships an example where it must fire and one where it must not). A detector reads the
store and returns findings; it never writes: :mod:`flockwatch.detect.runner` records them with
their provenance.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flockwatch.errors import ParameterError
from flockwatch.store.db import Store

#: Evidence is a mapping from a store table to keys of its rows: post ids, account ids, report
#: ids, ``[account_id, observed_at]`` pairs for snapshots, ``[follower_id, followee_id]`` pairs.
Evidence = dict[str, list[Any]]


@dataclass
class Finding:
    """One thing a detector found, about one subject (an account, a post, a cluster...)."""

    subject_kind: str
    subject_id: str
    platform: str | None
    score: float
    label: str
    explanation: str
    evidence: Evidence = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class DetectorOutput:
    """What :meth:`Detector.run` returns when findings are not all a detector produced.

    ``tables`` holds side tables (pyarrow Tables or pandas DataFrames) named
    ``<detector name>_<noun>``, e.g. ``coordination_edges``: the runner appends their rows with
    the run id in one transaction with the findings, so a detector stays read-only and the runner
    stays the only writer. ``summary`` (small, JSON-able: the cut-offs a detector chose...) goes
    into ``detector_runs.message``.
    """

    findings: Any  # list[Finding], or a DataFrame or Arrow table with the runner's FINDING_COLUMNS
    tables: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass
class Example:
    """A tiny world for contract tests: ``build`` fills an empty store; ``subject`` is the
    ``(subject_kind, subject_id)`` the detector must flag (positive) or must not (negative)."""

    build: Callable[[Store], None]
    subject: tuple[str, str]


class Detector(ABC):
    """Base class of every detector.

    Subclasses set ``name`` (stable snake_case: CLI argument, ``findings.detector``, report
    section id), ``version`` (bump when logic or a threshold changes), ``subject_kinds`` and a
    one-line ``summary``; define ``__init__`` with keyword-only parameters that are stored
    unchanged; implement :meth:`run`, :meth:`positive_example` and :meth:`negative_example`.
    """

    name: ClassVar[str]
    version: ClassVar[str]
    summary: ClassVar[str]
    subject_kinds: ClassVar[tuple[str, ...]] = ("account",)
    #: Flag threshold: findings at or above it are "flagged" in exports and the report.
    flag_score: ClassVar[float] = 0.5

    @classmethod
    def param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]

    @classmethod
    def param_defaults(cls) -> dict[str, Any]:
        sig = inspect.signature(cls.__init__)
        return {
            p.name: p.default
            for p in sig.parameters.values()
            if p.name != "self" and p.default is not inspect.Parameter.empty
        }

    def get_params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.param_names()}

    def check_param(self, name: str, ok: bool, allowed: str) -> None:
        """Raise the standard error when parameter ``name`` has a value that is not allowed."""
        if not ok:
            raise ParameterError(
                f"parameter {name!r} of detector {self.name!r} must be {allowed}; "
                f"got {getattr(self, name)!r}"
            )

    @abstractmethod
    def run(self, store: Store) -> list[Finding] | Any:
        """Read the store and return findings (never write): a list of :class:`Finding`, a
        DataFrame or Arrow table of them (evidence and details as JSON text in a table), or a
        :class:`DetectorOutput` with side tables."""

    @classmethod
    @abstractmethod
    def positive_example(cls) -> Example:
        """A small world where the detector must flag ``subject``."""

    @classmethod
    @abstractmethod
    def negative_example(cls) -> Example:
        """A small world where the detector must not flag ``subject``."""
