"""A category's live-ranking inputs left on disk, so a process with nothing kept starts warm.

Reading a province-wide category's 350,000 marks takes a second; every gunicorn worker and
every CLI run would pay it. The process that computed a ranking writes its inputs (mark
rows, submitted sheets, which marks count, monev values, conflicts) with the digests of the
key they were read under to ``instance/rankings`` (a new file renamed into place, so a reader
sees a whole file or the one before). A reader treats them only as a start: its own key is
read from the database first, and ``livecache`` brings the snapshot up to it as it brings a
kept result (only marks written since, checked against the count and version sum; every
other part reused only when its summary is unchanged). Anything unreadable or odd is ignored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from datetime import datetime
from pathlib import Path

from flask import current_app

from judging.results.inputs import CategoryInputs, settings_of
from judging.results.livecache import Computed
from judging.scoring.types import CohortEntry

FORMAT = 1  # the header, then each of ARRAYS, in NumPy's .npy format one after another
log = logging.getLogger(__name__)


ARRAYS = ("rows", "sheets", "counted", "cohort_ids", "cohort", "conflicts")


def save(category_id: int, computed: Computed) -> None:
    """Write the inputs behind ``computed`` for other processes; never fails the caller."""
    import numpy as np

    inputs, parts = computed.inputs, computed.parts
    if parts is None or inputs.mark_rows is None or inputs.counted is None:
        return
    total, greatest, latest = parts["mark_summary"]
    keys = sorted({k for c in inputs.cohort for k in c.indicators})
    header = {
        "format": FORMAT, "category": category_id,
        "parts": {k: v for k, v in parts.items() if k != "mark_summary"},
        "mark_summary": [None if total is None else str(total), greatest,
                         None if latest is None else latest.isoformat()],
        "indicators": keys,
    }
    arrays = {  # an empty value is NaN in the monev matrix
        "rows": inputs.mark_rows, "sheets": inputs.sheets, "counted": inputs.counted,
        "cohort_ids": np.array([c.entry_id for c in inputs.cohort], np.int64),
        "cohort": np.array([[c.indicators.get(k) for k in keys] for c in inputs.cohort],
                           np.float64).reshape(-1, len(keys)),
        "conflicts": np.array(sorted(inputs.conflicts), np.int64).reshape(-1, 2),
    }
    path = _path(category_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                np.lib.format.write_array(out, np.array(json.dumps(header)), allow_pickle=False)
                for name in ARRAYS:
                    np.lib.format.write_array(out, np.ascontiguousarray(arrays[name]),
                                              allow_pickle=False)
            os.replace(temporary, path)  # readers see the whole old file or the whole new one
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as problem:  # a read-only or full disk: the next process reads afresh
        log.warning("ranking snapshot of category %s not written: %s", category_id, problem)


def load(category) -> Computed | None:
    """The inputs another process left for ``category`` as a kept result without a ranking,
    or None when there are none or they cannot be read."""
    import numpy as np

    path = _path(category.id)
    try:
        with path.open("rb") as stored:
            header = json.loads(str(np.lib.format.read_array(stored, allow_pickle=False)))
            if header.get("format") != FORMAT or header.get("category") != category.id:
                return None
            arrays = {name: np.lib.format.read_array(stored, allow_pickle=False)
                      for name in ARRAYS}
        return _computed(category, header, arrays)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, IndexError) as problem:
        log.warning("ranking snapshot %s ignored: %s", path, problem)
        return None


def _computed(category, header: dict, arrays: dict) -> Computed | None:
    import numpy as np

    from judging.plugin_setup import methods

    rows, counted = arrays["rows"], arrays["counted"]
    if (rows.ndim != 2 or rows.shape[1] != 5 or rows.dtype != np.int64
            or counted.shape != (len(rows),) or counted.dtype != bool):
        return None
    total, greatest, latest = header["mark_summary"]
    summary = (None if total is None else int(total), greatest,
               None if latest is None else datetime.fromisoformat(latest))
    keys, matrix = header["indicators"], arrays["cohort"]
    lines = [dict(zip(keys, line, strict=True)) for line in matrix.tolist()]
    for at, k in zip(*np.nonzero(np.isnan(matrix)), strict=True):
        lines[at][keys[k]] = None
    cohort = [CohortEntry(i, "", line)
              for i, line in zip(arrays["cohort_ids"].tolist(), lines, strict=True)]
    inputs = CategoryInputs(
        category=category, method=methods().get(category.method_key),
        settings=settings_of(category), entries={}, cohort=cohort, criteria=[], marks=None,
        conflicts={(j, e) for j, e in arrays["conflicts"].tolist()},
        mark_rows=rows, sheets=arrays["sheets"], counted=counted)
    return Computed(entries={}, criteria=[], marks=None, ranked=None, mark_rows=rows,
                    parts={**header["parts"], "mark_summary": summary}, inputs=inputs)


def _path(category_id: int) -> Path:
    """One file per category and database (an instance folder may serve more than one)."""
    database = hashlib.sha256(
        current_app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()[:16]
    return Path(current_app.instance_path) / "rankings" / f"{database}-{category_id}.inputs"
