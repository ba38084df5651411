"""Generated posts for the coordination benchmarks (deterministic by seed).

A month of activity on one platform: about one account per 30 posts, heavy-tailed activity; 55%
reposts (targets drawn by a heavy-tailed popularity, delays log-normal around half an hour, so
viral posts collect thousands of reposts; an account reposts a post at most once), 10% replies, 35% original posts (12-word texts from a
20,000-word vocabulary, hashtags, mentions, links on 2,000 domains). Planted on top: groups of 20
accounts created together that repost 30 group posts within seconds and post one slogan each
together, about one group per 5,000 posts. Times have second precision, so
coordination-network-toolkit's semantics match ours exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

DAY_S = 86_400
START = np.datetime64("2026-03-01T00:00:00", "s")
GROUP_SIZE = 20
GROUP_TARGETS = 30


@dataclass
class Generated:
    posts: pa.Table
    accounts: pa.Table
    groups: list[list[str]]  # planted groups' account ids


def generate(n_posts: int, *, seed: int = 0, days: int = 30) -> Generated:
    rng = np.random.default_rng(seed)
    n_groups = max(1, n_posts // 5_000)
    planted = n_groups * (GROUP_TARGETS * (GROUP_SIZE + 1) + GROUP_SIZE)
    n_bg = max(n_posts - planted, 10)
    n_acc = max(n_bg // 30, 10)
    span = days * DAY_S

    activity = rng.lognormal(0, 1.2, n_acc)
    author = rng.choice(n_acc, n_bg, p=activity / activity.sum())
    kind = rng.choice(3, n_bg, p=[0.35, 0.55, 0.10])  # 0 post, 1 repost, 2 reply
    orig = np.flatnonzero(kind == 0)
    t = np.zeros(n_bg, dtype=np.int64)
    t[orig] = rng.integers(0, span, len(orig))
    popularity = rng.pareto(1.1, len(orig)) + 0.01
    react = np.flatnonzero(kind != 0)
    target = orig[rng.choice(len(orig), len(react), p=popularity / popularity.sum())]
    delay = np.exp(rng.normal(np.log(1800), 1.8, len(react))).astype(np.int64) + 1
    t[react] = np.minimum(t[target] + delay, span - 1)
    target_of = np.full(n_bg, -1, dtype=np.int64)
    target_of[react] = target
    _one_repost_per_post(rng, author, target_of, np.flatnonzero(kind == 1), activity)

    vocab = np.array([f"w{i}" for i in range(20_000)], dtype=object)
    words = rng.zipf(1.3, (len(orig), 12)) % len(vocab)
    texts = np.full(n_bg, None, dtype=object)
    texts[orig] = [" ".join(row) for row in vocab[words]]
    replies = np.flatnonzero(kind == 2)
    rwords = rng.zipf(1.3, (len(replies), 8)) % len(vocab)
    texts[replies] = [" ".join(row) for row in vocab[rwords]]

    tags = np.array([f"tag{i}" for i in range(5_000)], dtype=object)
    domains = np.array([f"site{i}.example" for i in range(2_000)], dtype=object)
    has_tag = rng.random(n_bg) < 0.3
    has_url = rng.random(n_bg) < 0.15
    has_men = rng.random(n_bg) < 0.2
    tag_pick = rng.zipf(1.5, n_bg) % len(tags)
    dom_pick = rng.zipf(1.4, n_bg) % len(domains)
    men_pick = rng.zipf(1.5, n_bg) % n_acc
    own = kind != 1
    hashtags = [
        [tags[i]] if h and o else [] for h, o, i in zip(has_tag, own, tag_pick, strict=True)
    ]
    urls = [
        [f"https://{domains[d]}/a/{k}"] if u and o else []
        for u, o, d, k in zip(has_url, own, dom_pick, range(n_bg), strict=True)
    ]
    mentions = [
        [f"u{m}"] if h and o else [] for h, o, m in zip(has_men, own, men_pick, strict=True)
    ]

    post_ids = np.array([f"p{i}" for i in range(n_bg)], dtype=object)
    account_ids = np.array([f"u{i}" for i in range(n_acc)], dtype=object)
    clients = np.array(
        ["Twitter for iPhone", "Twitter for Android", "Twitter Web App"], dtype=object
    )
    client_of = clients[rng.integers(0, 3, n_acc)]
    kinds = np.array(["post", "repost", "reply"], dtype=object)

    cols = {
        "post_id": list(post_ids),
        "account_id": list(account_ids[author]),
        "t": list(t),
        "kind": list(kinds[kind]),
        "text": list(texts),
        "client": list(client_of[author]),
        "target_post_id": [post_ids[x] if x >= 0 else None for x in target_of],
        "target_account_id": [account_ids[author[x]] if x >= 0 else None for x in target_of],
        "hashtags": hashtags,
        "mentions": mentions,
        "urls": urls,
    }
    groups = _plant(rng, cols, n_groups, span)
    created = START - (rng.integers(30, 4000, n_acc) * DAY_S).astype("timedelta64[s]")
    acc_ids = list(account_ids) + [a for g in groups for a in g]
    acc_created = list(created) + [
        START - np.timedelta64(int(rng.integers(1, 20)) * DAY_S, "s") for g in groups for _ in g
    ]
    posts = pa.table(
        {
            "platform": pa.array(["twitter"] * len(cols["post_id"])),
            "post_id": pa.array(cols["post_id"], pa.string()),
            "account_id": pa.array(cols["account_id"], pa.string()),
            "created_at": pa.array(
                (START + np.asarray(cols["t"], dtype="timedelta64[s]")).astype("datetime64[us]")
            ),
            "kind": pa.array(cols["kind"], pa.string()),
            "text": pa.array(cols["text"], pa.string()),
            "client": pa.array(cols["client"], pa.string()),
            "target_post_id": pa.array(cols["target_post_id"], pa.string()),
            "target_account_id": pa.array(cols["target_account_id"], pa.string()),
            "hashtags": pa.array(cols["hashtags"], pa.list_(pa.string())),
            "mentions": pa.array(cols["mentions"], pa.list_(pa.string())),
            "urls": pa.array(cols["urls"], pa.list_(pa.string())),
            "time_precision": pa.array(["second"] * len(cols["post_id"])),
        }
    )
    accounts = pa.table(
        {
            "platform": pa.array(["twitter"] * len(acc_ids)),
            "account_id": pa.array(acc_ids, pa.string()),
            "screen_name": pa.array(acc_ids, pa.string()),
            "created_at": pa.array(np.asarray(acc_created, dtype="datetime64[us]")),
        }
    )
    return Generated(posts=posts, accounts=accounts, groups=groups)


def _one_repost_per_post(
    rng: np.random.Generator,
    author: np.ndarray,
    target_of: np.ndarray,
    reposts: np.ndarray,
    activity: np.ndarray,
) -> None:
    """An account reposts a post at most once (a repost is a toggle on every platform):
    reposts repeating an (account, post) pair get another author drawn by activity (later
    uniformly), until no pair repeats. Very active accounts would otherwise repost a viral post dozens of times and
    those repeats alone make most of the co-repost pairs."""
    p = activity / activity.sum()
    n = len(target_of)
    for round_ in range(200):
        key = author[reposts] * n + target_of[reposts]
        order = np.argsort(key, kind="stable")
        repeat = order[1:][key[order][1:] == key[order][:-1]]
        if not len(repeat):
            return
        # by activity first; uniformly when a viral post has used up the active accounts
        weights = p if round_ < 20 else None
        author[reposts[repeat]] = rng.choice(len(activity), len(repeat), p=weights)


def _plant(rng: np.random.Generator, cols: dict, n_groups: int, span: int) -> list[list[str]]:
    groups = []
    for g in range(n_groups):
        members = [f"g{g}m{i}" for i in range(GROUP_SIZE)]
        source = members[0]
        groups.append(members)
        for k in range(GROUP_TARGETS):
            t0 = int(rng.integers(0, span - 3600))
            pid = f"g{g}t{k}"
            _add(cols, pid, source, t0, "post", f"group {g} message {k} " + "x" * 20, None, None)
            for i, m in enumerate(members[1:]):
                d = int(rng.exponential(10)) + 1
                _add(cols, f"{pid}r{i}", m, t0 + d, "repost", None, pid, source)
        t0 = int(rng.integers(0, span - 3600))
        for i, m in enumerate(members):
            text = f"slogan of group {g}: everyone says yes today"
            _add(cols, f"g{g}s{i}", m, t0 + int(rng.integers(0, 30)), "post", text, None, None)
    return groups


def _add(cols, pid, account, t, kind, text, target, target_account) -> None:
    cols["post_id"].append(pid)
    cols["account_id"].append(account)
    cols["t"].append(t)
    cols["kind"].append(kind)
    cols["text"].append(text)
    cols["client"].append("AutoPoster Pro")
    cols["target_post_id"].append(target)
    cols["target_account_id"].append(target_account)
    cols["hashtags"].append([])
    cols["mentions"].append([])
    cols["urls"].append([])


def load(store, generated: Generated) -> None:
    """Insert the generated rows into an empty store."""
    con = store.con
    con.register("_gen_posts", generated.posts)
    con.register("_gen_accounts", generated.accounts)
    con.execute("INSERT INTO posts BY NAME SELECT * FROM _gen_posts")
    con.execute("INSERT INTO accounts BY NAME SELECT * FROM _gen_accounts")
    con.unregister("_gen_posts")
    con.unregister("_gen_accounts")
