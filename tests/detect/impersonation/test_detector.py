"""The impersonation detector on a hand-made world: every impostor's trick is seen through, the
fan account, the fan club and the namesake are not flagged, the watch list protects people the
store does not know as famous."""

from __future__ import annotations

from datetime import datetime

import pytest

from flockwatch.cli import main
from flockwatch.detect.impersonation import ImpersonationDetector
from flockwatch.detect.impersonation.examples import BIO, IMAGE, account, insert, original
from flockwatch.detect.runner import run_detectors
from flockwatch.errors import InputError, InputNotFoundError, ParameterError
from flockwatch.export.tables import write
from flockwatch.store.db import Store

IMPOSTORS = {
    # Cyrillic а in the name, 0 for o in the handle, copied bio and picture
    "2001": dict(
        screen_name="raveenatandon_0fficial",
        display_name="R\u0430veena Tandon",
        description=BIO,
        profile_image_url=IMAGE,
    ),
    # zero-width space in the name, padded handle, bio with a line added
    "2002": dict(
        screen_name="realraveenatandon",
        display_name="Rave\u200bena Tandon",
        description=BIO + " DM for collabs.",
    ),
    # digit swaps in the name, her picture
    "2003": dict(
        screen_name="raveena_t0ndon",
        display_name="Rav33na Tandon",
        profile_image_url=IMAGE.replace("_normal", "_400x400"),  # same upload, another size
    ),
    # a fake badge and "Official", her bio
    "2004": dict(
        screen_name="RaveenaTandonHQ", display_name="Raveena Tandon Official ✓", description=BIO
    ),
}
FAN = "3001"  # says it is a fan, with its own name
FAN_CLUB = "3002"  # her name, "Fan Club", says it is not affiliated
NAMESAKE = "3003"  # another woman with the same name
OTHER_STAR = "3004"  # a verified star with a similar name and a long career: not an impostor
WATCHED = "4001"  # a singer with few followers, protected only through the watch list
WATCH_IMPOSTOR = "4002"


def build(store: Store) -> None:
    rows = [original()]
    for account_id, fields in IMPOSTORS.items():
        rows.append(
            account(account_id, created_at=datetime(2022, 5, 1), followers_count=80, **fields)
        )
    rows += [
        account(
            FAN,
            screen_name="priya_loves_rt",
            display_name="Priya | Raveena's fan",
            description="Biggest fan of Raveena Tandon. Fan account.",
            created_at=datetime(2019, 2, 14),
            followers_count=890,
        ),
        account(
            FAN_CLUB,
            screen_name="RaveenaTandonFC",
            display_name="Raveena Tandon Fan Club",
            description="Fan club of Raveena Tandon. Not affiliated with her.",
            created_at=datetime(2018, 1, 1),
            followers_count=4_000,
        ),
        account(
            NAMESAKE,
            screen_name="raveena_t_1988",
            display_name="Raveena Tandon",
            description="Chemistry teacher in Pune. Chess, chai and long walks.",
            created_at=datetime(2016, 8, 30),
            followers_count=312,
            profile_image_url="https://pbs.twimg.com/profile_images/5/teacher_rt_normal.jpg",
        ),
        account(
            OTHER_STAR,
            screen_name="RaveenaTondon",
            display_name="Raveena Tondon",
            description="Playback singer. Bollywood, ghazals, live shows.",
            created_at=datetime(2009, 3, 3),
            followers_count=900_000,
            verified=True,
        ),
        account(
            WATCHED,
            screen_name="meerasings",
            display_name="Meera Sarangi",
            description="Singer. Riyaaz every morning. Bookings: my manager only.",
            created_at=datetime(2017, 1, 1),
            followers_count=5_400,
        ),
        account(
            WATCH_IMPOSTOR,
            screen_name="meerasings_official",
            display_name="M\u0435era Sarangi",
            description="Singer. Riyaaz every morning. Bookings: DM me.",
            created_at=datetime(2025, 1, 1),
            followers_count=12,
        ),
    ]
    insert(store, "accounts", rows)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    store = Store(":memory:")
    build(store)
    watch = tmp_path_factory.mktemp("watch") / "watch.csv"
    watch.write_text("platform,screen_name,display_name\ntwitter,@MeeraSings,Meera Sarangi\n")
    plain = {f.subject_id: f for f in ImpersonationDetector().run(store).findings}
    watched = {f.subject_id: f for f in ImpersonationDetector(watch=str(watch)).run(store).findings}
    yield store, plain, watched, watch
    store.close()


@pytest.mark.parametrize("account_id", sorted(IMPOSTORS))
def test_every_trick_is_seen_through(world, account_id):
    _, found, _, _ = world
    f = found[account_id]
    assert f.score >= 0.5 and f.label == "impersonator"
    assert f.details["impersonated_account_id"] == "1100000001"
    assert f.explanation.startswith("Poses as @raveenatandon (Raveena Tandon): ")


def test_explanations_name_the_tricks(world):
    _, found, _, _ = world
    first = found["2001"].explanation
    assert "display name equals 'Raveena Tandon' after confusables (Cyrillic 'а')" in first
    assert "handle raveenatandon_0fficial" in first and "digit swap 0/o" in first
    assert "bio 100% similar" in first and "same profile image" in first
    assert "created 11 years after the original" in first
    assert "zero-width character" in found["2002"].explanation
    assert "digit swap 3/e" in found["2003"].explanation
    assert "same profile image" in found["2003"].explanation
    assert "badge symbol ✓" in found["2004"].explanation


def test_fans_namesakes_and_other_stars_are_not_flagged(world):
    _, found, _, _ = world
    for account_id in (FAN, FAN_CLUB, NAMESAKE, OTHER_STAR):
        assert account_id not in found or found[account_id].score < 0.5, found[account_id]
    club = found.get(FAN_CLUB)
    assert club is None or "says openly" in club.explanation


def test_ranked_best_first(world):
    _, found, _, _ = world
    scores = [f.score for f in found.values()]
    assert scores == sorted(scores, reverse=True)
    assert found["2001"].score >= found["2003"].score


def test_watch_list_protects_unknown_people(world):
    _, plain, watched, _ = world
    assert WATCH_IMPOSTOR not in plain  # Meera is neither verified nor famous
    f = watched[WATCH_IMPOSTOR]
    assert f.score >= 0.5 and f.details["impersonated_account_id"] == WATCHED
    assert f.details["protected_because"] == "watch list"
    assert WATCHED not in watched  # the protected account itself is never a candidate


def test_watch_list_entry_not_in_store(tmp_path):
    store = Store(":memory:")
    insert(
        store,
        "accounts",
        [account("9", screen_name="shreya_0fficial", display_name="Shr\u0435ya Ghoshal")],
    )
    watch = tmp_path / "watch.csv"
    watch.write_text("screen_name,display_name\nshreyaghoshal,Shreya Ghoshal\n")
    (f,) = ImpersonationDetector(watch=str(watch)).run(store).findings
    assert f.details["impersonated_account_id"] == "@shreyaghoshal"
    assert f.evidence == {"accounts": ["9"]}  # the original is not in the store


def test_watch_list_errors(tmp_path):
    store = Store(":memory:")
    with pytest.raises(InputNotFoundError):
        ImpersonationDetector(watch=str(tmp_path / "missing.csv")).run(store)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,display_name\nx,y\n")
    with pytest.raises(InputError, match="account_id or a screen_name"):
        ImpersonationDetector(watch=str(bad)).run(store)
    empty_row = tmp_path / "row.csv"
    empty_row.write_text("platform,account_id,display_name\ntwitter,,Someone\n")
    with pytest.raises(InputError, match="line 2"):
        ImpersonationDetector(watch=str(empty_row)).run(store)


@pytest.mark.parametrize(
    "params",
    [{"name_threshold": 0}, {"min_score": 1.5}, {"max_block": 0}, {"watch": ""},
     {"include_verified": "yes"}, {"bio_threshold": 0.5}],
)  # fmt: skip
def test_parameters_are_validated(params):
    name = next(iter(params))
    with pytest.raises(ParameterError, match=f"'{name}' of detector 'impersonation'"):
        ImpersonationDetector(**params).run(Store(":memory:"))


def test_cli_watch_option_and_export(world, tmp_path, capsys):
    _, _, _, watch = world
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        build(store)
    assert main(["detect", "impersonation", "--db", str(db), "--watch", str(watch)]) == 0
    out = tmp_path / "impersonations.csv"
    assert main(["export", "impersonations", "--db", str(db), "--out", str(out)]) == 0
    lines = out.read_text("utf-8").splitlines()
    assert lines[0] == "platform,account_id,impersonated_account_id,score,reasons"
    rows = {line.split(",")[1]: line for line in lines[1:]}
    assert set(IMPOSTORS) | {WATCH_IMPOSTOR} <= set(rows)
    assert ",4002,4001," in rows[WATCH_IMPOSTOR]
    assert "after confusables" in rows["2001"]


def test_set_watch_equals_watch_option(world):
    store, _, watched, watch = world
    run_detectors(store, ["impersonation"], {"impersonation": {"watch": str(watch)}})
    n = store.con.execute(
        "SELECT count(*) FROM latest_findings WHERE detector = 'impersonation' AND score >= 0.5"
    ).fetchall()[0][0]
    assert n == sum(f.score >= 0.5 for f in watched.values())


def test_export_without_a_run_is_empty(tmp_path):
    store = Store(":memory:")
    assert write(store, "impersonations", tmp_path / "i.csv") == 0
