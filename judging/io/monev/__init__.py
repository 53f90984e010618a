"""Monev workbooks: the template handed out and the reader that previews a filled one."""
