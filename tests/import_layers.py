"""The import-layer check: dependencies flow one way, areas → services → one-place → core.

Reads the package with ``ast`` (function-level imports included), so nothing is imported
to check it. See docs/architecture.md for the tiers and why.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

APP = ("config", "database", "cli", "demo", "demo_evidence", "demo_saq", "web", "job_kinds",
       "hosts", "layout", "warmup")
AREAS = ("auth", "organizer", "jury", "participant", "public", "api", "downloads")
PAGES = ("pages",)
SERVICES = ("accounts", "certificates", "competitions", "entries", "mail", "marking", "monev",
            "results", "saq")
ONE_PLACE = ("audit", "evidence", "fields", "i18n", "jobs", "passwords", "permissions", "phases",
             "plugin_setup", "refusals", "security", "urls")
CORE = ("io", "models", "scoring")
BASE = ("extensions", "ratelimit_storage", "sqlite_locks", "csrf_once", "kept", "driver_sql",
        "unchanged", "request_connection")
TIERS = {"app": 6, "area": 5, "pages": 4, "service": 3, "one-place": 2, "core": 1, "base": 0}
SKIP = ("migrations",)


@dataclass(frozen=True)
class Problem:
    """One import that breaks the layering, or one cycle."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def tier_of(module: str, package: str = "judging") -> str:
    """The tier of a dotted module name inside ``package``."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else ""
    for name, members in (("app", APP), ("area", AREAS), ("pages", PAGES), ("service", SERVICES),
                          ("one-place", ONE_PLACE), ("core", CORE), ("base", BASE)):
        if top in members:
            return name
    if module == package:
        return "app"
    raise LookupError(f"{module} belongs to no tier; add it to tests/import_layers.py")


def module_files(root: Path, package: str = "judging") -> dict[str, Path]:
    """Every module of the package by dotted name (migrations left out)."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if any(part in SKIP for part in parts):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(module: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """Package modules ``module`` imports anywhere in its file, with line numbers."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base
                     for a in node.names]
        else:
            continue
        found += [(_owner(name, known), node.lineno) for name in names]
    return [(target, line) for target, line in found if target and target != module]


def _owner(name: str, known: dict[str, Path]) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _area_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def registers_views(source: str, target: str) -> bool:
    """The one allowed cycle: an area's blueprint importing its own ``views_*`` modules."""
    return (source.endswith(".blueprint") and tier_of(source) == "area"
            and _area_of(source) == _area_of(target)
            and target.rpartition(".")[2].startswith("views_"))


def check(root: Path, package: str = "judging") -> list[Problem]:
    """Every upward import, area-to-area import and cycle in the package under ``root``."""
    known = module_files(root, package)
    graph: dict[str, set[str]] = {m: set() for m in known}
    problems = []
    for module, path in known.items():
        for target, line in imports_of(module, path, known):
            where = f"{path.relative_to(root)}:{line}"
            source_tier, target_tier = tier_of(module, package), tier_of(target, package)
            if TIERS[target_tier] > TIERS[source_tier]:
                problems.append(Problem(where, f"{source_tier} {module} imports "
                                               f"{target_tier} {target}"))
            elif (source_tier == target_tier == "area"
                  and _area_of(module) != _area_of(target)):
                problems.append(Problem(where, f"area {module} imports another area's {target}"))
            if not registers_views(module, target):
                graph[module].add(target)
    return problems + [Problem(" → ".join(c), "import cycle") for c in cycles(graph)]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]

    def visit(start: str) -> None:
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found
