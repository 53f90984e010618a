"""The audit log in sentences: who did what to which object, and each change as before → after.

Events keep English keys and plain JSON; this module names them in the reader's language
(``pick`` over the pairs of ``audit_actions``, labels and numbers from ``i18n``), looking up
the objects an event names once per page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from judging.competitions.audit_actions import (
    ACTIONS,
    HIDDEN,
    KEYED_BY,
    KEYS,
    LABELLED,
    MOMENTS,
    OBJECT_KINDS,
    REFERENCES,
    SCORES,
    STATUS_KINDS,
    UNKNOWN,
    WORDED_KEYS,
    WORDS,
)
from judging.extensions import db
from judging.i18n import (
    component_names,
    decimal,
    label,
    localtime,
    number,
    pick,
    rubric_text,
    threshold_names,
)
from judging.models import (
    AuditEvent,
    Category,
    Certificate,
    Competition,
    Criterion,
    Entrant,
    Entry,
    ImportBatch,
    Mark,
    ModerationNote,
    Organisation,
    SpecialAward,
    User,
)
from judging.models.jury import Scoresheet
from judging.models.saq import Answer, Objection, Questionnaire, SaqResponse

ARROW = "→"
LONGEST = 160  # characters of one shown value; longer texts are cut with an ellipsis
MAX_ITEMS = 6  # list items shown before "… and n more"


@dataclass(frozen=True)
class Change:
    """One changed setting: its label and the old and new values as text (None = absent)."""

    label: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Described:
    """An event as a reader sees it."""

    event: AuditEvent
    name: str
    sentence: str
    changes: list[Change]


def action_name(action: str) -> str:
    """The short name of an action for filter menus (never the dotted key)."""
    found = ACTIONS.get(action, UNKNOWN)
    return pick(found.name_id, found.name_en)


def action_choices(actions: list[str]) -> list[tuple[str, str]]:
    """(stored key, human name) for a filter menu, in the order of the names."""
    return sorted(((a, action_name(a)) for a in actions), key=lambda pair: pair[1].casefold())


def describe(events: list[AuditEvent], timezone: str | None = None) -> list[Described]:
    """Every event of a page as a sentence with its changes, objects looked up once."""
    names = _Names(events)
    return [_describe(event, names, timezone) for event in events]


def _describe(event: AuditEvent, names: _Names, timezone: str | None) -> Described:
    action = ACTIONS.get(event.action, UNKNOWN)
    actor = event.actor.name if event.actor else pick("Sistem", "System")
    sentence = pick(action.sentence_id, action.sentence_en).format(
        actor=actor, object=names.object(event.object_type, event.object_id))
    values = _Values(event, names, timezone)
    return Described(event, pick(action.name_id, action.name_en), sentence, values.changes())


# -- objects by name --------------------------------------------------------------------

def _entry_name(entry: Entry) -> str:
    return f"{entry.code} ({entry.entrant.name})"


_LOADERS = {
    "competition": (Competition, lambda c: f"{c.name} {c.year}"),
    "category": (Category, lambda c: c.name),
    "entry": (Entry, _entry_name),
    "entrant": (Entrant, lambda e: f"{e.name} ({e.code})"),
    "user": (User, lambda u: u.name or u.email),
    "organisation": (Organisation, lambda o: o.name),
    "criterion": (Criterion, lambda c: _criterion_label(c)),
    "mark": (Mark, lambda m: f"“{_criterion_label(m.criterion)}” · {_entry_code(m.entry_id)}"),
    "scoresheet": (Scoresheet, lambda s: f"{s.entry.code} · {s.juror.name}"),
    "moderation_note": (ModerationNote, lambda n: _entry_code(n.entry_id)),
    "import_batch": (ImportBatch, lambda b: f"“{b.filename}” ({b.category.name})"),
    "certificate": (Certificate, lambda c: c.serial),
    "special_award": (SpecialAward, lambda a: f"“{a.label}” ({a.entry.code})"),
    "saq_questionnaire": (Questionnaire, lambda q: f"“{q.title}”"),
    "saq_response": (SaqResponse, lambda r: _entry_name(r.entry)),
    "saq_answer": (Answer, lambda a: _answer_name(a)),
    "saq_objection": (Objection, lambda o: _answer_name(o.answer)),
}


def _criterion_label(criterion: Criterion) -> str:
    """A rubric line's label in the reader's language while it keeps the method's wording."""
    return rubric_text(criterion.category.method_key, criterion.key, criterion.label)


def _answer_name(answer: Answer) -> str:
    return f"{answer.question.key} · {answer.response.entry.code}"


def _entry_code(entry_id: int) -> str:
    entry = db.session.get(Entry, entry_id)
    return entry.code if entry else f"#{entry_id}"


class _Names:
    """Names of the objects a page of events mentions, loaded one query per kind."""

    def __init__(self, events: list[AuditEvent]):
        wanted: dict[str, set[int]] = {}
        for event in events:
            if event.object_id is not None:
                wanted.setdefault(event.object_type, set()).add(event.object_id)
            for snapshot in (event.before, event.after):
                for key, kind in REFERENCES.items():
                    value = (snapshot or {}).get(key)
                    ids = value if isinstance(value, list) else [value]
                    wanted.setdefault(kind, set()).update(i for i in ids if isinstance(i, int))
                for key, kind in KEYED_BY.items():
                    keyed = (snapshot or {}).get(key)
                    if isinstance(keyed, dict):
                        ids = {int(j) for j in keyed if str(j).isdigit()}
                        wanted.setdefault(kind, set()).update(ids)
        self.rows: dict[str, dict[int, object]] = {}
        for kind, ids in wanted.items():
            if kind in _LOADERS:
                model = _LOADERS[kind][0]
                rows = db.session.scalars(select(model).where(model.id.in_(ids)))
                self.rows[kind] = {row.id: row for row in rows}

    def row(self, kind: str, key: int | None):
        return self.rows.get(kind, {}).get(key)

    def name(self, kind: str, key) -> str:
        """The object's name, or its kind and number once it no longer exists."""
        row = self.row(kind, key)
        if row is not None:
            return _LOADERS[kind][1](row)
        kind_id, kind_en = OBJECT_KINDS.get(kind, ("objek", "object"))
        return f"{pick(kind_id, kind_en)} #{key}" if key is not None else pick(kind_id, kind_en)

    def object(self, kind: str, key: int | None) -> str:
        return self.name(kind, key)


# -- values ---------------------------------------------------------------------------

def key_label(key: str) -> str:
    """A stored key's name; an unknown key is humanised ("max_bytes" → "Max bytes")."""
    pair = KEYS.get(key)
    if pair is not None:
        return pick(*pair)
    words = re.sub(r"[_.]+", " ", str(key)).strip()
    return words[:1].upper() + words[1:]


class _Values:
    """Turns one event's before/after snapshots into labelled, formatted changes."""

    def __init__(self, event: AuditEvent, names: _Names, timezone: str | None):
        self.event, self.names, self.timezone = event, names, timezone
        category = names.row("category", event.object_id) if event.object_type == "category" \
            else None
        self.method_key = category.method_key if category is not None else None

    def changes(self) -> list[Change]:
        before, after = self.event.before or {}, self.event.after or {}
        if not isinstance(before, dict) or not isinstance(after, dict):
            return [Change(pick("Data", "Data"), self.text("", before) or None,
                           self.text("", after) or None)]
        out: list[Change] = []
        for key in list(before) + [k for k in after if k not in before]:
            if key in HIDDEN or (key in before and key in after and before[key] == after[key]):
                continue
            out += self.key_changes(key, before.get(key), after.get(key),
                                    key in before, key in after)
        return out

    def key_changes(self, key, old, new, had_old, had_new) -> list[Change]:
        if key in ("weights", "thresholds"):
            return self.component_changes(key, old or {}, new or {})
        if key == "criteria" and isinstance(old or new, list):
            return self.criteria_changes(old or [], new or [])
        return [Change(key_label(key), self.text(key, old) if had_old else None,
                       self.text(key, new) if had_new else None)]

    def component_changes(self, key, old: dict, new: dict) -> list[Change]:
        """"Bobot Monev: 60 → 70": one line per component or threshold that moved."""
        names = self.component_names(key)
        out = []
        for part in list(old) + [p for p in new if p not in old]:
            if old.get(part) != new.get(part):
                title = f"{key_label(key)} {names.get(part, key_label(part))}"
                out.append(Change(title, self.text(part, old[part]) if part in old else None,
                                  self.text(part, new[part]) if part in new else None))
        return out

    def component_names(self, key: str) -> dict[str, str]:
        if not self.method_key:
            return {}
        if key == "weights":
            return component_names(self.method_key)
        return threshold_names(self.method_key)

    def criteria_changes(self, old: list, new: list) -> list[Change]:
        """Rubric lines added, removed or changed, by criterion key."""
        before = {c.get("key"): c for c in old if isinstance(c, dict)}
        after = {c.get("key"): c for c in new if isinstance(c, dict)}
        out = []
        for key in list(before) + [k for k in after if k not in before]:
            was, now = before.get(key), after.get(key)
            if was == now:
                continue
            label = (now or was).get("label", key)
            if self.method_key:
                label = rubric_text(self.method_key, key, label)
            title = f"{key_label('criteria')} “{label}”"
            out.append(Change(title, self.criterion_text(was), self.criterion_text(now)))
        return out

    def criterion_text(self, row: dict | None) -> str | None:
        if row is None:
            return None
        return (f"{key_label('weight')} {self.text('weight', row.get('weight'))}, "
                f"{key_label('max')} {self.text('max', row.get('max'))}")

    def text(self, key: str, value, depth: int = 0) -> str:
        """One stored value as the reader reads it: labels, names, numbers, local times."""
        if value is None or value == "":
            return "–"
        if isinstance(value, bool):
            return pick("ya", "yes") if value else pick("tidak", "no")
        if key in REFERENCES and isinstance(value, int):
            return self.names.name(REFERENCES[key], value)
        if key in SCORES and not isinstance(value, dict | list):
            return self.score(value)
        if key == "status" and self.event.object_type in STATUS_KINDS:
            return label(STATUS_KINDS[self.event.object_type], str(value))
        if key in LABELLED:
            return label(LABELLED[key], str(value))
        if key in WORDED_KEYS and value in WORDS:
            return pick(*WORDS[value])
        if key == "gaps" and isinstance(value, list):
            return "; ".join(pick(g.get("message_id", ""), g.get("message_en"))
                             for g in value if isinstance(g, dict)) or "–"
        if key in KEYED_BY and isinstance(value, dict):  # {"12": 3}: object 12 → 3
            parts = [f"{self.names.name(KEYED_BY[key], int(k))}: {self.text(key, v, depth + 1)}"
                     for k, v in value.items() if str(k).isdigit()]
            return _cut("; ".join(parts[:MAX_ITEMS]) + _more(len(parts)))
        if key == "changed" and isinstance(value, dict):  # import: {code: {field: [old, new]}}
            return self.imported_changes(value)
        if key == "changes" and isinstance(value, list):  # re-issue: what the new one prints
            return _cut("; ".join(
                f"{pick(c.get('label_id', ''), c.get('label_en'))}: {self.scalar(c.get('before'))}"
                f" {ARROW} {self.scalar(c.get('after'))}" for c in value if isinstance(c, dict)))
        if isinstance(value, dict):
            return self.mapping_text(value, depth)
        if isinstance(value, list):
            return self.list_text(key, value, depth)
        if key in MOMENTS and isinstance(value, str):
            return self.moment(value)
        return self.scalar(value)

    def imported_changes(self, value: dict) -> str:
        parts = []
        for code, fields in value.items():
            pairs = {k: p for k, p in (fields or {}).items() if _is_pair(p)}
            moved = [f"{key_label(k)}: {self.text(k, p[0], 2)} {ARROW} {self.text(k, p[1], 2)}"
                     for k, p in pairs.items()]
            parts.append(f"{code} ({', '.join(moved)})")
        return _cut("; ".join(parts[:MAX_ITEMS]) + _more(len(parts)))

    def mapping_text(self, value: dict, depth: int) -> str:
        if depth >= 2:
            return pick(f"{len(value)} butir", f"{len(value)} items")
        parts = [f"{key_label(k)}: {self.text(k, v, depth + 1)}" for k, v in value.items()
                 if k not in HIDDEN]
        return _cut("; ".join(parts[:MAX_ITEMS]) + _more(len(parts)))

    def list_text(self, key: str, value: list, depth: int) -> str:
        if depth >= 2 or any(isinstance(v, dict | list) for v in value[:MAX_ITEMS]) and depth:
            return pick(f"{len(value)} butir", f"{len(value)} items")
        parts = [self.text(key, v, depth + 1) for v in value[:MAX_ITEMS]]
        return _cut(", ".join(parts) + _more(len(value)))

    def moment(self, value: str) -> str:
        try:
            return localtime(datetime.fromisoformat(value), self.timezone)
        except ValueError:
            return _cut(value)

    def score(self, value) -> str:
        try:
            return decimal(Decimal(str(value)))
        except ArithmeticError:
            return self.scalar(value)

    def scalar(self, value) -> str:
        if isinstance(value, int | float | Decimal):
            return number(value)
        text = str(value)
        if re.fullmatch(r"-?\d{1,15}(\.\d{1,10})?", text):  # a stored decimal: "60.00" → 60
            return number(Decimal(text.rstrip("0").rstrip(".") if "." in text else text))
        return _cut(text)


def _is_pair(value) -> bool:
    return isinstance(value, list) and len(value) == 2 \
        and not any(isinstance(v, dict | list) for v in value)


def _more(count: int) -> str:
    extra = count - MAX_ITEMS
    return pick(f" … dan {extra} lagi", f" … and {extra} more") if extra > 0 else ""


def _cut(text: str) -> str:
    return text if len(text) <= LONGEST else text[:LONGEST - 1] + "…"
