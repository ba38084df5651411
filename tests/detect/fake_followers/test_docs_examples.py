"""The examples in the fake_followers modules' docstrings run (as networkx's do)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["arrivals", "detector", "fake_profile", "intervals", "pools", "steps"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"flockwatch.detect.fake_followers.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted and not result.failed
