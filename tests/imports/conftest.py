"""Fixtures of the import tests: a folder of the test's own for uploads."""

from __future__ import annotations

import pytest


@pytest.fixture
def folder(app, tmp_path):
    """Uploads go to a folder of the test; yields the test's temporary folder."""
    app.config["REGISTRY_IMPORT_FOLDER"] = str(tmp_path / "uploads")
    yield tmp_path
    app.config.pop("REGISTRY_IMPORT_FOLDER")
