"""Exports of the lists the registry shows, as .xlsx (IDs as text) and CSV (UTF-8 with BOM)."""
