"""The ``bot_score`` detector: a profile model for every account, corrected by a behaviour model
for accounts with posts.

See docs/models/bot_score.md for the model card and docs/detectors.md for the detector.
"""
