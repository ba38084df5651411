"""Signs of a purchase: follower-arrival bursts and steps in the follower count."""

from __future__ import annotations

import numpy as np
import pytest

from flockwatch.detect.fake_followers.arrivals import arrival_bursts
from flockwatch.detect.fake_followers.steps import follower_steps

DAY = 86400.0
HOUR = 3600.0


def test_the_backlog_of_the_first_crawl_is_not_a_burst():
    t = np.zeros(500)  # 500 followers already there when the account was first crawled
    assert arrival_bursts(np.concatenate([t, [DAY, 2 * DAY]]), 6 * HOUR, 20) == []


def test_an_organic_trickle_has_no_burst():
    rng = np.random.default_rng(0)
    t = np.sort(np.concatenate([[0.0], rng.uniform(0, 30 * DAY, 300)]))  # 10 a day at random
    assert arrival_bursts(t, 6 * HOUR, 20) == []


def test_two_deliveries_are_two_bursts_largest_first():
    trickle = np.arange(1, 31) * DAY
    first = 5 * DAY + 7 * HOUR + np.arange(80) * 90.0  # 80 follows within two hours
    second = 20 * DAY + 7 * HOUR + np.arange(40) * 300.0  # 40 within three and a half hours
    t = np.sort(np.concatenate([[0.0], trickle, first, second]))
    bursts = arrival_bursts(t, 6 * HOUR, 20)
    assert [b.follows for b in bursts] == [80, 40]
    assert bursts[0].start == first[0] and bursts[0].end == first[-1]
    assert bursts[0].expected == pytest.approx(150 * 6 * HOUR / (30 * DAY))


def test_a_step_in_daily_snapshots():
    counts = [400, 401, 402, 403, 1403, 1404, 1405, 1406]
    steps, base = follower_steps(np.arange(8) * DAY, np.array(counts), 100)
    assert base == 1.0
    assert [(s.before, s.after, s.excess) for s in steps] == [(403, 1403, 999.0)]
    assert steps[0].end - steps[0].start == DAY


def test_steady_growth_and_small_jumps_are_not_steps():
    counts = 500 + 3 * np.arange(30)
    counts[10:] += 60  # a good day: +63, under min_step
    steps, base = follower_steps(np.arange(30) * DAY, counts, 100)
    assert steps == [] and base == 3.0


def test_a_delivery_across_two_snapshots_is_one_step():
    counts = [100, 101, 102, 600, 1100, 1101, 1102]
    steps, _ = follower_steps(np.arange(7) * DAY, np.array(counts), 100)
    assert len(steps) == 1 and (steps[0].before, steps[0].after) == (102, 1100)


def test_two_snapshots_use_the_lifetime_rate():
    # 1,000 followers gathered in 1,000 days (1 a day), then +900 in a day
    steps, base = follower_steps(np.array([1000, 1001]) * DAY, np.array([1000, 1900]), 100, 0.0)
    assert base == 1.0 and steps[0].excess == 899.0
    # without a creation time there is no baseline to judge against
    assert follower_steps(np.array([0, DAY]), np.array([1000, 1900]), 100) == ([], None)
