"""The ``fake_followers`` detector: follower audits and seller pools.

Modules, one idea each: :mod:`.followers` (audited accounts and the seeded follower sample),
:mod:`.scoring` (how fake each follower looks), :mod:`.fake_profile` and
:mod:`.fake_profile_model` (the fake-profile model for non-Twitter platforms; trained by
:mod:`.train`), :mod:`.intervals` (Wilson interval), :mod:`.arrivals` (follower-arrival
bursts), :mod:`.steps` (steps in follower counts), :mod:`.engagement` (engagement against
peers), :mod:`.pools` (seller pools), :mod:`.audits` (the audit and its score),
:mod:`.findings` (explanations and evidence), :mod:`.detector` (the detector).
"""

from __future__ import annotations

from flockwatch.detect.fake_followers.detector import FakeFollowersDetector

__all__ = ["FakeFollowersDetector"]
