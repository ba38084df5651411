"""Detectors: each reads the canonical store and writes findings."""
