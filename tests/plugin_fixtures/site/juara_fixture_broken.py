"""A plugin that fails at import, as one with a missing dependency would."""

raise ImportError("No module named 'juara_fixture_missing_dependency'")
