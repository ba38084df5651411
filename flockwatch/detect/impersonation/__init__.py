"""The ``impersonation`` detector: look-alikes of protected identities (see
:class:`~flockwatch.detect.impersonation.detector.ImpersonationDetector`)."""

from __future__ import annotations

from flockwatch.detect.impersonation.detector import ImpersonationDetector

__all__ = ["ImpersonationDetector"]
