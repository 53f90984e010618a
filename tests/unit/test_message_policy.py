"""One message policy: below the areas, services carry both languages instead of gettext.

Flask-Babel's translation functions choose a language when they are called, which in a job, a
CLI command or a stored audit note is nobody's; so only the modules listed here, each with
its reason, may import them. Everything else below the areas uses ``refusals.Notice`` /
``Refused`` and lets the reader choose.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.import_layers import TIERS, tier_of

ROOT = Path(__file__).resolve().parents[2]
TRANSLATING = {"gettext", "lazy_gettext", "ngettext", "lazy_ngettext", "pgettext", "_", "_l"}

ALLOWED = {
    "judging/i18n.py": "labels of stored keys follow the interface language",
    "judging/fields.py": "form field errors, shown on the page that posted them",
    "judging/security.py": "Flask-Login's sign-in prompt, shown on the sign-in page",
    "judging/mail/kinds.py": "mail subjects, rendered under the recipient's locale",
    "judging/mail/deadlines.py": "reminder texts, rendered under the recipient's locale",
    "judging/saq/reminders.py": "SAQ and masa sanggah reminders, in the recipient's locale",
}


def translating_imports(tree: ast.AST) -> list[int]:
    """Lines importing a gettext-like function (or flask_babel itself) from Flask-Babel."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("flask_babel"):
            if any(a.name in TRANSLATING for a in node.names):
                lines.append(node.lineno)
        elif isinstance(node, ast.Import) and any(a.name == "flask_babel" for a in node.names):
            lines.append(node.lineno)
    return lines


def offenders(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "judging").rglob("*.py")):
        relative = path.relative_to(root)
        if "migrations" in relative.parts or str(relative) in ALLOWED:
            continue
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        if TIERS[tier_of(module)] >= TIERS["pages"]:
            continue  # areas, page helpers and app wiring write page text
        found += [f"{relative}:{line}" for line in translating_imports(ast.parse(path.read_text()))]
    return found


def test_no_module_below_the_areas_calls_gettext():
    assert offenders(ROOT) == []


def test_the_allowed_places_still_exist():
    """A stale entry here would hide a new module of the same name later."""
    assert all((ROOT / path).is_file() for path in ALLOWED)


def test_a_service_importing_gettext_is_caught(tmp_path):
    service = tmp_path / "judging" / "marking" / "marks.py"
    service.parent.mkdir(parents=True)
    service.write_text("def later():\n    from flask_babel import gettext as _\n")
    area = tmp_path / "judging" / "jury" / "views_marks.py"
    area.parent.mkdir(parents=True)
    area.write_text("from flask_babel import gettext as _\n")
    assert offenders(tmp_path) == ["judging/marking/marks.py:2"]
