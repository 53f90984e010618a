"""Built-in scoring methods.

``judging.scoring.plugins.load_methods`` imports each module here by path and
registers it on the application's plugin manager, exactly like an installed plugin;
do not import these modules directly. Files starting with ``_`` are not loaded.
"""
