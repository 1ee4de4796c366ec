"""Reading enterprises' spreadsheets for import: file checks, headers, cell values, templates.

This half is pure (no database): reader opens and streams a sheet, headers finds the header and
proposes a mapping, records turns rows into normalised values with per-row errors, template
and errors_file write the downloadable .xlsx files.
"""
