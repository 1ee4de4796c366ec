"""Static Noto Serif instances derived once, cached safely, and registered as a family."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from reportlab.lib.fonts import tt2ps

from registry.documents import fonts

ROOT = Path(__file__).resolve().parents[2]

_RACE = """
import json, sys
from registry.documents.fonts import static_serif_files
paths, created = static_serif_files(sys.argv[1])
print(json.dumps(list(created)))
"""


@pytest.mark.slow
def test_two_processes_share_one_cache_without_duplicate_work(tmp_path):
    """Two processes starting together on an empty cache derive the four styles only once."""
    runs = [subprocess.Popen([sys.executable, "-c", _RACE, str(tmp_path)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True) for _ in range(2)]
    created = []
    for run in runs:
        out, _ = run.communicate(timeout=300)
        assert run.returncode == 0
        created += json.loads(out)
    assert sorted(created) == sorted(file for *_, file in fonts._SERIF_STYLES)
    folder = next(tmp_path.iterdir())
    assert "2.15" in folder.name  # keyed by the fontpkg-noto-serif version
    assert not list(folder.glob("*.tmp"))
    expected = {"NotoSerif-Regular.ttf": (400, False), "NotoSerif-Bold.ttf": (700, False),
                "NotoSerif-Italic.ttf": (400, True), "NotoSerif-BoldItalic.ttf": (700, True)}
    for name, (weight, italic) in expected.items():
        font = TTFont(folder / name)
        assert "fvar" not in font and "gvar" not in font  # static, not variable
        assert font["OS/2"].usWeightClass == weight
        assert bool(font["OS/2"].fsSelection & 1) is italic
        assert font.getBestCmap()[ord("ặ")]  # Vietnamese coverage kept
    again, created_again = fonts.static_serif_files(tmp_path)
    assert created_again == ()
    assert set(again.values()) == {folder / name for name in expected}


def test_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    """REGISTRY_FONT_CACHE wins; otherwise $XDG_CACHE_HOME/registry-fonts."""
    monkeypatch.setenv("REGISTRY_FONT_CACHE", str(tmp_path / "own"))
    assert fonts.default_cache_dir() == tmp_path / "own"
    monkeypatch.delenv("REGISTRY_FONT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert fonts.default_cache_dir() == tmp_path / "xdg" / "registry-fonts"


def test_registered_family_maps_bold_and_italic():
    """<b> and <i> in Paragraphs resolve to the bold and italic Noto Serif faces."""
    report = fonts.register_fonts()
    assert tt2ps(fonts.SERIF, 1, 0) == fonts.SERIF_BOLD
    assert tt2ps(fonts.SERIF, 0, 1) == fonts.SERIF_ITALIC
    assert tt2ps(fonts.SERIF, 1, 1) == fonts.SERIF_BOLD_ITALIC
    assert fonts.register_fonts() is report  # once per process
