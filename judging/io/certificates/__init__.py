"""Certificate PDFs from plain values: the sandboxed renderer and its allowlisted fetcher."""
