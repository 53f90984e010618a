"""Workbooks: safe cells, hostile-file checks, office numbers, the sheets Juara writes."""
