"""Uploaded files: content checks, safe names, storage by content hash."""
