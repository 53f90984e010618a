"""Balanced automatic jury assignment: a pure function, no Flask and no database.

Each entry needs ``k`` different jurors from a pool; every juror ends with
⌊n·k/m⌋ or ⌈n·k/m⌉ entries (max − min ≤ 1) and a declared conflict is never assigned.
Greedy choices can paint themselves into a corner once conflicts exist, so the
problem is solved exactly as a flow with lower bounds: when this says "impossible",
no balanced assignment exists.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from judging.refusals import Refused


@dataclass(frozen=True)
class Plan:
    """The chosen jurors of each entry and the resulting load of each juror."""

    jurors_of: dict[int, tuple[int, ...]]
    loads: dict[int, int]


def balance(
    entries: Iterable[int],
    jurors: Iterable[int],
    k: int,
    conflicts: Iterable[tuple[int, int]] = (),
) -> Plan:
    """Give each entry ``k`` jurors with even loads, never a ``(juror, entry)`` conflict pair.

    Raises :class:`Refused` when the pool is too small (after conflicts) for some entry
    (``about`` names them), or when no assignment can keep the loads within one of each other.
    """
    entry_ids = sorted(set(entries))
    juror_ids = sorted(set(jurors))
    blocked = set(conflicts)
    if k < 1:
        raise Refused(
            "Jumlah juri per entri minimal 1.", "Jurors per entry must be at least 1."
        )
    if not entry_ids:
        return Plan({}, dict.fromkeys(juror_ids, 0))
    short = [e for e in entry_ids if sum((j, e) not in blocked for j in juror_ids) < k]
    if short:
        raise Refused(
            f"{len(short)} entri tidak punya cukup juri tanpa konflik (perlu {k} juri per "
            f"entri, kumpulan juri {len(juror_ids)} orang). Tambah juri atau kurangi jumlah "
            "juri per entri.",
            f"{len(short)} entries lack enough jurors without a conflict (need {k} per entry, "
            f"pool of {len(juror_ids)}). Add jurors or lower the jurors per entry.",
            about=short,
        )
    chosen = _solve(entry_ids, juror_ids, k, blocked)
    if chosen is None:
        raise Refused(
            "Pembagian merata tidak mungkin karena konflik kepentingan yang dinyatakan. "
            "Tambah juri ke kumpulan atau kurangi jumlah juri per entri.",
            "An even split is impossible because of the declared conflicts of interest. "
            "Add jurors to the pool or lower the jurors per entry.",
        )
    loads = dict.fromkeys(juror_ids, 0)
    for picked in chosen.values():
        for juror in picked:
            loads[juror] += 1
    return Plan(chosen, loads)


def _solve(entry_ids, juror_ids, k, blocked) -> dict[int, tuple[int, ...]] | None:
    """Feasible circulation: source→entry exactly k, juror→sink between ⌊T/m⌋ and ⌈T/m⌉."""
    n, m = len(entry_ids), len(juror_ids)
    low, rest = divmod(n * k, m)
    high = low + (1 if rest else 0)
    graph = _Flow(4 + n + m)
    super_s, super_t, s, t = 0, 1, 2, 3
    excess = [0] * (4 + n + m)
    entry_edges = []
    for i, entry in enumerate(entry_ids):
        node = 4 + i
        excess[node] += k
        excess[s] -= k
        for jpos, juror in enumerate(juror_ids):
            if (juror, entry) not in blocked:
                entry_edges.append((entry, juror, graph.add(node, 4 + n + jpos, 1)))
    for jpos in range(m):
        node = 4 + n + jpos
        if high > low:
            graph.add(node, t, high - low)
        excess[t] += low
        excess[node] -= low
    graph.add(t, s, n * k)
    need = 0
    for node, amount in enumerate(excess):
        if amount > 0:
            graph.add(super_s, node, amount)
            need += amount
        elif amount < 0:
            graph.add(node, super_t, -amount)
    if graph.max_flow(super_s, super_t) != need:
        return None
    chosen: dict[int, list[int]] = {e: [] for e in entry_ids}
    for entry, juror, edge in entry_edges:
        if graph.flow(edge):
            chosen[entry].append(juror)
    return {e: tuple(js) for e, js in chosen.items()}


class _Flow:
    """Dinic's max flow on an adjacency list; small graphs (entries × jurors)."""

    def __init__(self, size: int):
        self.adj: list[list[int]] = [[] for _ in range(size)]
        self.to: list[int] = []
        self.cap: list[int] = []
        self.initial: list[int] = []

    def add(self, u: int, v: int, cap: int) -> int:
        edge = len(self.to)
        for a, b, c in ((u, v, cap), (v, u, 0)):
            self.adj[a].append(len(self.to))
            self.to.append(b)
            self.cap.append(c)
            self.initial.append(c)
        return edge

    def flow(self, edge: int) -> int:
        return self.initial[edge] - self.cap[edge]

    def max_flow(self, s: int, t: int) -> int:
        total = 0
        while (level := self._levels(s, t)) is not None:
            pointer = [0] * len(self.adj)
            while pushed := self._push(s, t, 1 << 60, level, pointer):
                total += pushed
        return total

    def _levels(self, s: int, t: int) -> list[int] | None:
        level = [-1] * len(self.adj)
        level[s] = 0
        queue = deque([s])
        while queue:
            u = queue.popleft()
            for edge in self.adj[u]:
                if self.cap[edge] > 0 and level[self.to[edge]] < 0:
                    level[self.to[edge]] = level[u] + 1
                    queue.append(self.to[edge])
        return level if level[t] >= 0 else None

    def _push(self, u, t, limit, level, pointer) -> int:
        # Recursion depth is the level count: paths alternate entries and jurors, so ≤ 2m + 6.
        if u == t:
            return limit
        while pointer[u] < len(self.adj[u]):
            edge = self.adj[u][pointer[u]]
            v = self.to[edge]
            if self.cap[edge] > 0 and level[v] == level[u] + 1:
                pushed = self._push(v, t, min(limit, self.cap[edge]), level, pointer)
                if pushed:
                    self.cap[edge] -= pushed
                    self.cap[edge ^ 1] += pushed
                    return pushed
            pointer[u] += 1
        return 0
