"""Rows of the access table (tests/auth/test_access.py) for the import and export pages,
and the import records of its world."""

from __future__ import annotations

from registry.imports.models import ImportRecord, ImportStatus

# Expected status per role:      anonymous, admin, province, commune, enterprise (of A)
IMPORT_ROWS = [
    ("imports.list_imports", "GET", None, (302, 200, 403, 200, 200)),
    ("imports.upload", "GET", None, (302, 200, 403, 200, 200)),
    ("imports.upload", "POST", None, (302, 200, 403, 200, 200)),
    ("imports.download_template", "GET", None, (302, 200, 403, 200, 200)),
    ("exports.export_workers", "GET", None, (302, 200, 200, 200, 200)),
    ("exports.export_activities", "GET", None, (302, 200, 200, 200, 200)),
]
# The world's imports have no stored upload any more: the mapping page and a commit say so
# and redirect to the import's page.
for _endpoint, _method, _ok in (
    ("imports.show_import", "GET", 200), ("imports.import_progress", "GET", 200),
    ("imports.download_errors", "GET", 200), ("imports.map_columns", "GET", 302),
    ("imports.map_columns", "POST", 302), ("imports.commit_import", "POST", 302),
):
    IMPORT_ROWS += [
        (_endpoint, _method, "a", (302, _ok, 403, _ok, _ok)),
        (_endpoint, _method, "b", (302, _ok, 403, _ok, 404)),
        (_endpoint, _method, "x", (302, _ok, 403, 404, 404)),
    ]
IMPORT_ROWS += [
    ("exports.export_worker_record", "GET", "a", (302, 200, 200, 200, 200)),
    ("exports.export_worker_record", "GET", "b", (302, 200, 200, 200, 404)),
    ("exports.export_worker_record", "GET", "x", (302, 200, 200, 404, 404)),
    ("exports.export_worker_record", "GET", "moved", (302, 200, 200, 200, 200)),
    ("exports.export_participations", "GET", "a", (302, 200, 200, 200, 200)),
    ("exports.export_participations", "GET", "b", (302, 200, 200, 200, 404)),
    ("exports.export_participations", "GET", "x", (302, 200, 200, 404, 404)),
    ("exports.export_participations", "GET", "shared", (302, 200, 200, 200, 200)),
    ("exports.export_participations", "GET", "far", (302, 200, 200, 404, 404)),
]


def build_imports(make, enterprises: dict) -> dict:
    """An import previewed for each enterprise, with an error file; the routes' other
    arguments (format, kind) for every target."""
    ids: dict = {}
    for key, enterprise in enterprises.items():
        record = ImportRecord(
            kind="workers", actor="test", enterprise_id=enterprise.id,
            commune_id=enterprise.commune_id, file_name=f"{key}.xlsx", sha256="0" * 64,
            size=100, file_format="xlsx", status=ImportStatus.PREVIEWED, mapping={},
            report={}, error_file=b"PK\x03\x04", header_row=1,
        )
        make.session.add(record)
        make.session.flush()
        ids[("import_id", key)] = record.id
    for target in (None, "a", "b", "x", "moved", "shared", "far"):
        ids[("fmt", target)] = "xlsx"
        ids[("kind", target)] = "workers"
    return ids
