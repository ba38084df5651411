"""The detectors flockwatch knows: the built-in list, plus outside ones from the entry-point group
``flockwatch.detectors`` (a plain list, as twarc loads its plugins)."""

from __future__ import annotations

from importlib.metadata import entry_points

from flockwatch.detect.base import Detector
from flockwatch.errors import ParameterError

ENTRY_POINT_GROUP = "flockwatch.detectors"


def _builtin() -> list[type[Detector]]:
    from flockwatch.detect.activity.detector import ActivityDetector
    from flockwatch.detect.bot_score.detector import BotScoreDetector
    from flockwatch.detect.coordination.detector import CoordinationDetector
    from flockwatch.detect.fake_followers.detector import FakeFollowersDetector
    from flockwatch.detect.impersonation.detector import ImpersonationDetector
    from flockwatch.detect.mass_reporting.detector import MassReportingDetector

    # coordination reads bot_score's findings (latest_findings), so it runs after it.
    return [
        BotScoreDetector,
        ActivityDetector,
        CoordinationDetector,
        FakeFollowersDetector,
        ImpersonationDetector,
        MassReportingDetector,
    ]


def detector_classes() -> list[type[Detector]]:
    """Every detector class, built-in first, in run order; names checked unique."""
    classes = list(_builtin())
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        classes.append(ep.load())
    names = [c.name for c in classes]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise RuntimeError(f"two detectors share the name(s) {dupes}")
    return classes


def detector_names() -> list[str]:
    return [c.name for c in detector_classes()]


def get_detector(name: str) -> type[Detector]:
    for cls in detector_classes():
        if cls.name == name:
            return cls
    raise ParameterError(f"no detector named {name!r}; known: {', '.join(detector_names())}")
