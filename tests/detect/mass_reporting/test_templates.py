"""Templated comments: normalised forms and near-duplicate templates."""

from __future__ import annotations

from flockwatch.detect.mass_reporting.templates import normalise, template_ids


def test_normalise_removes_what_varies():
    a = normalise("Report @critic1 NOW!! He posted 3 lies: https://x.co/a")
    b = normalise("report @critic_2 now. he posted 15 lies https://t.co/zz")
    assert a == b == "report <at> now he posted <n> lies <url>"


def test_normalise_replaces_the_target_names():
    a = normalise("Sam White spreads lies, suspend Sam White", ["Sam White", "SWhite"])
    b = normalise("Jorge Chavez spreads lies, suspend Jorge Chavez", ["Jorge Chavez"])
    assert a == b


def test_empty_comments():
    assert normalise(None) == normalise("  ") == ""
    assert template_ids(["", ""]) == [-1, -1]


def test_near_duplicates_are_one_template():
    texts = [
        normalise("This account spreads fake news and spam. Please suspend immediately."),
        normalise("This account is spreading fake news and spam. Please suspend it immediately!"),
        normalise("Fake account spreading propaganda. Please suspend immediately!"),
        normalise("he called me a slur under my photo"),
        "",
    ]
    ids = template_ids(texts)
    assert ids[0] == ids[1]
    assert len({ids[0], ids[2], ids[3]}) == 3
    assert ids[4] == -1
