"""Loading plugins and building the registry of scoring methods.

Built-ins from ``plugins/`` and installed packages (entry-point group ``judging``) go
through the same ``PluginManager``, so a built-in has no privilege an outside plugin
lacks. One broken plugin is reported and skipped; two plugins claiming one method key
stop start-up, because a category would otherwise be scored by whichever loaded last.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from judging.scoring import hookspecs
from judging.scoring.method import ScoringMethod, check_method_class
from judging.scoring.types import (
    CategoryInfo,
    CategoryResults,
    CertificateInfo,
    CompetitionInfo,
    ExtraSheet,
    RankedEntry,
    SubmittedEntry,
)

log = logging.getLogger(__name__)

PROJECT = "judging"
BUILTIN_DIR = Path(__file__).resolve().parents[2] / "plugins"


class DuplicateMethodError(RuntimeError):
    """Two plugins declare a scoring method with the same key."""

    def __init__(self, key: str, first: str, second: str):
        self.key, self.plugins = key, (first, second)
        super().__init__(
            f"Metode penilaian '{key}' dideklarasikan oleh dua plugin: '{first}' dan "
            f"'{second}' / Scoring method key '{key}' is claimed by both plugin "
            f"'{first}' and plugin '{second}'; uninstall or rename one of them."
        )


@dataclass
class MethodRegistry:
    """The app's plugin manager and the scoring methods it found, by key."""

    pm: pluggy.PluginManager
    methods: dict[str, ScoringMethod] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (plugin name, reason)
    owners: dict[str, str] = field(default_factory=dict)  # method key -> plugin name

    def get(self, key: str) -> ScoringMethod:
        """The method for a category's key; a clear KeyError when no plugin provides it."""
        try:
            return self.methods[key]
        except KeyError:
            known = ", ".join(sorted(self.methods)) or "-"
            raise KeyError(
                f"Metode penilaian '{key}' tidak tersedia (unknown scoring method "
                f"'{key}'); tersedia / available: {known}"
            ) from None

    def choices(self, lang: str = "id") -> list[tuple[str, str]]:
        """``(key, label)`` pairs for a select field, ordered by label."""
        pairs = [(k, m.label_en if lang == "en" else m.label) for k, m in self.methods.items()]
        return sorted(pairs, key=lambda p: (p[1].casefold(), p[0]))

    def entry_submitted(self, entry: SubmittedEntry) -> None:
        """Tell each plugin an entry was submitted; a failing plugin is logged, not raised."""
        _call_each(self.pm, "judging_entry_submitted", entry=entry)

    def ranking_frozen(self, category: CategoryInfo, results: tuple[RankedEntry, ...]) -> None:
        """Tell each plugin a category's ranking was frozen; failures are logged only."""
        _call_each(self.pm, "judging_ranking_frozen", category=category, results=tuple(results))

    def certificate_context(self, certificate: CertificateInfo) -> dict:
        """Extra certificate template values; the plugin called first wins a name clash."""
        merged: dict = {}
        for name, value in reversed(
            _call_each(self.pm, "judging_certificate_context", certificate=certificate)
        ):
            if isinstance(value, dict):
                merged.update(value)
            else:
                log.warning("Plugin %s: judging_certificate_context must return a dict", name)
        return merged

    def export_sheets(
        self, competition: CompetitionInfo, categories: tuple[CategoryResults, ...]
    ) -> list[ExtraSheet]:
        """Extra ``(title, header, rows)`` sheets for a ranking export, malformed ones dropped."""
        sheets: list[ExtraSheet] = []
        calls = _call_each(self.pm, "judging_export_sheets", competition=competition,
                           categories=tuple(categories))
        for name, value in calls:
            for sheet in value if isinstance(value, list | tuple) else [value]:
                if _is_sheet(sheet):
                    sheets.append((sheet[0], list(sheet[1]), [list(r) for r in sheet[2]]))
                else:
                    log.warning(
                        "Plugin %s: export sheet %r is not (title, header, rows)", name, sheet
                    )
        return sheets


def new_plugin_manager() -> pluggy.PluginManager:
    """A plugin manager that knows Juara's hook specifications."""
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    return pm


def load_methods(
    builtin_dir: Path | None = None,
    entry_points: bool = True,
    extra_plugins: Iterable[Any] = (),
) -> MethodRegistry:
    """Load built-ins, installed plugins and ``extra_plugins``; build the method registry.

    Call once per application. ``extra_plugins`` (modules or objects with hook
    implementations) are registered last, so they are called first; tests use them.
    """
    registry = MethodRegistry(pm=new_plugin_manager())
    builtin_dir = builtin_dir or BUILTIN_DIR
    if not builtin_dir.is_dir():
        _record(registry, "builtin", f"folder {builtin_dir} not found")
    for path in sorted(builtin_dir.glob("*.py")):
        if not path.name.startswith("_"):
            _guarded(registry, f"builtin.{path.stem}", lambda p=path: _register_path(registry, p))
    if entry_points:
        for name in sorted({ep.name for ep in importlib.metadata.entry_points(group=PROJECT)}):
            _guarded(
                registry, name, lambda n=name: registry.pm.load_setuptools_entrypoints(PROJECT, n)
            )
    for plugin in extra_plugins:
        name = getattr(plugin, "__name__", None) or type(plugin).__name__
        _guarded(registry, name, lambda p=plugin, n=name: registry.pm.register(p, name=n))
    _check_pending(registry)
    _collect_methods(registry)
    return registry


def _register_path(registry: MethodRegistry, path: Path) -> None:
    module_name = f"judging_builtin_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses and pickling look modules up here
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    registry.pm.register(module, name=f"builtin.{path.stem}")


def _guarded(registry: MethodRegistry, name: str, load) -> None:
    """Run one plugin's loading step; a failure is recorded and its half-state removed."""
    try:
        load()
    except Exception as exc:  # a plugin may fail in any way; the app must still start
        if registry.pm.get_plugin(name) is not None:
            registry.pm.unregister(name=name)
        _record(registry, name, exc)


def _record(registry: MethodRegistry, name: str, exc: Exception | str) -> None:
    reason = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    registry.errors.append((name, reason))
    log.warning("Plugin %s dilewati / skipped: %s", name, reason)


def _check_pending(registry: MethodRegistry) -> None:
    """Drop plugins implementing hooks that do not exist (usually a misspelt name)."""
    while True:
        try:
            registry.pm.check_pending()
            return
        except pluggy.PluginValidationError as exc:
            name = registry.pm.get_name(exc.plugin) or repr(exc.plugin)
            registry.pm.unregister(exc.plugin)
            _record(registry, name, exc)


def _collect_methods(registry: MethodRegistry) -> None:
    found: dict[str, tuple[str, type]] = {}
    for impl in reversed(registry.pm.hook.judging_scoring_methods.get_hookimpls()):
        if impl.hookwrapper or impl.wrapper:
            continue
        try:
            classes = impl.function()
        except Exception as exc:
            _record(registry, impl.plugin_name, exc)
            continue
        if not isinstance(classes, list | tuple):
            _record(registry, impl.plugin_name, "judging_scoring_methods must return a list")
            continue
        for cls in classes:
            try:
                check_method_class(cls)
            except ValueError as exc:
                _record(registry, impl.plugin_name, exc)
                continue
            owner = found.get(cls.key)
            if owner is not None and owner != (impl.plugin_name, cls):
                raise DuplicateMethodError(cls.key, owner[0], impl.plugin_name)
            found[cls.key] = (impl.plugin_name, cls)
    for key in sorted(found):
        registry.owners[key] = found[key][0]
        registry.methods[key] = found[key][1]()


def _call_each(pm: pluggy.PluginManager, hook_name: str, **kwargs) -> list[tuple[str, Any]]:
    """Call a hook plugin by plugin, so one failing plugin does not silence the others."""
    results = []
    for impl in reversed(getattr(pm.hook, hook_name).get_hookimpls()):
        if impl.hookwrapper or impl.wrapper:
            continue  # wrappers are not part of Juara's plugin API (docs/plugins.md)
        try:
            value = impl.function(*(kwargs[arg] for arg in impl.argnames))
        except Exception:
            log.warning(
                "Plugin %s gagal / failed in %s", impl.plugin_name, hook_name, exc_info=True
            )
            continue
        if value is not None:
            results.append((impl.plugin_name, value))
    return results


def _is_sheet(sheet: Any) -> bool:
    return (
        isinstance(sheet, list | tuple)
        and len(sheet) == 3
        and isinstance(sheet[0], str)
        and isinstance(sheet[1], list | tuple)
        and isinstance(sheet[2], list | tuple)
    )
