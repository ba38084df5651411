"""The ``bot_score`` detector: a profile-only bot/fake-account model.

See docs/models/bot_score.md for the model card.
"""
