"""``flockwatch export graph``: the coordination network as GEXF or GraphML, for Gephi.

Nodes are the accounts linked in the latest ``coordination`` run, carrying ``label`` (screen
name, else id), ``screen_name``, ``platform``, ``cluster``, ``role``, ``coordination_score``,
``inauthenticity`` (their cluster's score) and ``bot_score`` when known (attributes without a
value are left out, which both formats allow). Edges join two accounts once, whatever the
networks: ``weight`` is the sum over networks of the link's weight divided by its network's
median (so networks are comparable), ``networks`` lists them, ``n_actions`` adds their
co-actions and ``w_<network>`` keeps each network's own weight. Written with networkx, so
``networkx.read_gexf`` / ``read_graphml`` load it back.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import networkx as nx

from flockwatch.errors import ParameterError
from flockwatch.export.coordination import edges_sql
from flockwatch.store.db import Store

GRAPH_FORMATS = (".gexf", ".graphml")


def coordination_graph(store: Store) -> nx.Graph:
    """The latest coordination run as a networkx graph (see the module docstring)."""
    graph = nx.Graph()
    edges = store.con.execute(
        f"""
        WITH e AS ({edges_sql(store)}),
        scaled AS (SELECT *, weight / nullif(median(weight) OVER (PARTITION BY network), 0) AS w
                   FROM e)
        SELECT account_a, account_b, sum(coalesce(w, 1.0)) AS weight,
               string_agg(network, ',' ORDER BY network) AS networks,
               sum(n_actions) AS n_actions,
               list(struct_pack(k := network, v := weight) ORDER BY network) AS per_network
        FROM scaled GROUP BY account_a, account_b ORDER BY account_a, account_b
        """
    ).fetchall()
    for a, b, weight, networks, n_actions, per_network in edges:
        attrs: dict[str, Any] = {
            "weight": float(weight),
            "networks": networks,
            "n_actions": int(n_actions),
        }
        attrs.update({f"w_{item['k']}": float(item["v"]) for item in per_network})
        graph.add_edge(str(a), str(b), **attrs)
    if not graph.number_of_nodes():
        return graph
    store.con.register("_fw_graph_nodes", _frame({"account_id": sorted(graph.nodes)}))
    try:
        rows = store.con.execute(
            """
            WITH coord AS (
                SELECT subject_id AS account_id, platform, score AS coordination_score,
                       label AS role, json_extract_string(details, '$.cluster_id') AS cluster,
                       CAST(json_extract(details, '$.cluster_inauthenticity') AS DOUBLE)
                           AS inauthenticity
                FROM latest_findings WHERE detector = 'coordination' AND subject_kind = 'account'),
            bot AS (
                SELECT subject_id AS account_id, max(score) AS bot_score FROM latest_findings
                WHERE detector = 'bot_score' AND subject_kind = 'account' GROUP BY ALL),
            acc AS (
                SELECT account_id, any_value(screen_name) AS screen_name,
                       any_value(platform) AS platform
                FROM accounts GROUP BY account_id)
            SELECT n.account_id, acc.screen_name, coalesce(coord.platform, acc.platform),
                   coord.cluster, coord.role, coord.coordination_score, coord.inauthenticity,
                   bot.bot_score
            FROM _fw_graph_nodes n
            LEFT JOIN coord USING (account_id) LEFT JOIN bot USING (account_id)
            LEFT JOIN acc USING (account_id)
            ORDER BY n.account_id
            """
        ).fetchall()
    finally:
        store.con.unregister("_fw_graph_nodes")
    keys = (
        "screen_name",
        "platform",
        "cluster",
        "role",
        "coordination_score",
        "inauthenticity",
        "bot_score",
    )
    for account_id, *values in rows:
        node = graph.nodes[str(account_id)]
        for key, value in zip(keys, values, strict=True):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                continue
            node[key] = float(value) if isinstance(value, float) else str(value)
        node["label"] = node.get("screen_name") or str(account_id)
    return graph


def write_graph(store: Store, out: str | Path) -> tuple[int, int]:
    """Write the coordination graph to ``out`` (``.gexf`` or ``.graphml``); return
    ``(nodes, edges)``."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in GRAPH_FORMATS:
        raise ParameterError(
            f"--out {out}: the graph export writes {' or '.join(GRAPH_FORMATS)} files"
        )
    graph = coordination_graph(store)
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".gexf":
        nx.write_gexf(graph, out)
    else:
        nx.write_graphml(graph, out)
    return graph.number_of_nodes(), graph.number_of_edges()


def _frame(columns: dict[str, list[Any]]) -> Any:
    import pyarrow as pa

    return pa.table(columns, schema=pa.schema([("account_id", pa.string())]))
