"""Groups and pages: ordinary interest groups, and the brigade's own group and page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import names as N
from . import plan as P

if TYPE_CHECKING:
    from .world import World


@dataclass
class Groups:
    group_id: list[str]
    kind: list[str]
    name: list[str]
    member_group: list[str]
    member_account: np.ndarray
    member_role: list[str]
    brigade_group_ids: list[str]


def make_groups(rng: np.random.Generator, w: World) -> Groups:
    n_organic = int(np.clip(w.n // 400, 3, 50))
    ids = (rng.choice(9 * 10**14, n_organic + 2, replace=False) + 10**14).astype(np.int64)
    group_id = [str(x) for x in ids.tolist()]
    kind, name = [], []
    member_group: list[str] = []
    member_account: list[np.ndarray] = []
    member_role: list[str] = []
    people = w.of(P.ORGANIC, P.FAN, P.CUSTOMER, P.CRITIC)
    cities = [c.split(",")[0] for c in N.CITIES["en"] + N.CITIES["es"] + N.CITIES["hi"]]
    for g in range(n_organic):
        kind.append("page" if rng.random() < 0.3 else "group")
        topic = N.ORGANIC_GROUP_NAMES[int(rng.integers(0, len(N.ORGANIC_GROUP_NAMES)))]
        name.append(f"{cities[int(rng.integers(0, len(cities)))]} {topic}")
        size = int(min(len(people), max(3, rng.lognormal(np.log(25), 0.9))))
        members = rng.choice(people, size, replace=False)
        _add(
            member_group,
            member_account,
            member_role,
            group_id[g],
            members,
            admins=1 + int(rng.integers(0, 2)),
        )
    reporters = w.of(P.REPORTER)
    for j, (title, k) in enumerate(zip(N.BRIGADE_GROUP_NAMES, ("group", "page"), strict=True)):
        kind.append(k)
        name.append(title)
        share = 1.0 if j == 0 else 0.7
        members = reporters[rng.random(len(reporters)) < share]
        if k == "page":  # a few ordinary people follow the page without taking part
            members = np.concatenate(
                [members, rng.choice(people, min(5, len(people)), replace=False)]
            )
        _add(member_group, member_account, member_role, group_id[n_organic + j], members, admins=2)
    return Groups(
        group_id,
        kind,
        name,
        member_group,
        np.concatenate(member_account),
        member_role,
        group_id[n_organic:],
    )


def _add(
    groups: list[str],
    accounts: list[np.ndarray],
    roles: list[str],
    gid: str,
    members: np.ndarray,
    admins: int,
) -> None:
    groups.extend([gid] * len(members))
    accounts.append(np.asarray(members, dtype=np.int64))
    roles.extend(["admin" if i < admins else "member" for i in range(len(members))])
