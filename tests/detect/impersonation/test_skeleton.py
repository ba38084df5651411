"""Confusable skeletons: what an impostor changes does not change the skeleton, and the tricks are
named in plain words."""

from __future__ import annotations

import pytest

from flockwatch.detect.impersonation.skeleton import (
    discloses,
    handle_core,
    name_core,
    padding_words,
    skeleton,
    tricks,
)


@pytest.mark.parametrize(
    "fake",
    [
        "R\u0430veena Tand\u043en",  # Cyrillic а and о
        "R\u03b1veena Tandon",  # Greek alpha
        "Rave\u200bena Tandon",  # zero-width space
        "Rav\u200deena Tand\u2060on",  # zero-width joiner, word joiner
        "Rav33na Tand0n",  # digit swaps
        "RAVEENA TANDON",  # case
        "\uff32aveena \uff34andon",  # full-width letters (NFKC)
        "Ravéena Tandón",  # accents
    ],
)
def test_lookalikes_share_the_skeleton(fake):
    assert skeleton(fake) == skeleton("Raveena Tandon")


def test_different_names_keep_different_skeletons():
    assert skeleton("Raveena Tandon") != skeleton("Raveena Tandan")
    assert skeleton("Mohan Rao") != skeleton("Mohan Raj")


def test_classic_pairs():
    assert skeleton("Ishana") == skeleton("lshana")  # capital I and small l
    assert skeleton("rnira") == skeleton("mira")  # rn reads as m
    assert skeleton("") == "" and skeleton(None) == ""


def test_name_core_drops_padding_and_numbers():
    assert name_core("Kiara Devanshi Official") == name_core("Kiara Devanshi")
    assert name_core("The Real Kiara Devanshi ✓") == name_core("kiara devanshi")
    assert name_core("Kiara Devanshi 2024") == name_core("Kiara Devanshi")
    assert name_core("Kiara Devanshi") != name_core("Kiara Devansh")


@pytest.mark.parametrize(
    "handle",
    ["raveenatandon_0fficial", "realraveenatandon", "raveenatandon__", "theraveenatandon",
     "raveenatandon99", "RaveenaTandonFan", "raveena.tandon.tv"],
)  # fmt: skip
def test_handle_core_strips_padding(handle):
    assert handle_core(handle) == handle_core("raveenatandon")


def test_handle_core_keeps_a_short_core():
    # "fan" is padding, but stripping it from "stefan" would leave "ste": too little of a name
    assert handle_core("stefan") == skeleton("stefan")


def test_padding_words_found_in_name_and_handle():
    assert padding_words("Kiara Devanshi Official", "theiamKiara") == ("official", "the")
    assert padding_words("Kiara Devanshi", "iamKiara") == ()


def test_tricks_are_named():
    assert tricks("R\u0430v\u0435ena Tandon", "Raveena Tandon") == ["Cyrillic 'а', 'е'"]
    assert tricks("Rave\u200bena Tandon", "Raveena Tandon") == ["zero-width character"]
    assert tricks("Lucas Ferrande1", "Lucas Ferrandel") == ["digit swap 1/l"]
    assert tricks("raveenatandon_0fficial", "raveenatandon", handle=True) == ["digit swap 0/o"]
    assert tricks("Selene Marquetti ✓", "Selene Marquetti") == ["badge symbol ✓"]
    assert tricks("\uff32aveena Tandon", "Raveena Tandon") == ["styled letters"]


def test_no_tricks_in_honest_names():
    assert tricks("Raveena Tandon", "Raveena Tandon") == []
    assert tricks("kiara99", "iamKiara", handle=True) == []  # trailing digits are padding
    assert tricks("Team 2024", "Team") == []  # a number is not a swap
    assert tricks("Мария Иванова", "Мария Иванова") == []  # a Cyrillic name copied as is
    # an emoji sequence joined by U+200D is not a hidden character
    assert tricks("Ana 👩\u200d💻", "Ana") == []


def test_disclosure():
    assert discloses("Priya | Raveena's fan")
    assert discloses(None, "Parody account. Not affiliated with anyone.")
    assert not discloses("Raveena Tandon", "Actor. Official account of Raveena Tandon.")
