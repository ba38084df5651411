"""The ``activity`` detector: sudden leaps in posts, followers and following, and bursts of
account creation (see :class:`~flockwatch.detect.activity.detector.ActivityDetector`)."""

from __future__ import annotations

from flockwatch.detect.activity.detector import ActivityDetector

__all__ = ["ActivityDetector"]
