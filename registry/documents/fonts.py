"""Fonts for the PDF builders, registered with reportlab once per process.

Noto Serif (body text of administrative documents) comes from the ``fontpkg-noto-serif`` package,
which ships only variable fonts.  reportlab cannot choose a weight inside a variable font, so the
four static styles (Regular, Bold, Italic, Bold Italic at full width) are derived once with
fontTools' instancer and cached on disk, in a folder keyed by the package version.  Be Vietnam Pro
(certificate titles) ships static files and is used as is.  reportlab embeds subsets of every
TrueType font it draws with, so the PDFs never depend on fonts installed on the reader's machine.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import fontpkg_be_vietnam_pro
import fontpkg_noto_serif
from fontTools.ttLib import TTFont as FontToolsFont
from fontTools.varLib import instancer
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

try:  # POSIX only; elsewhere concurrent first runs just do the same work twice.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

#: reportlab family name of the body serif; ``<b>``/``<i>`` in Paragraphs map to the styles below.
SERIF = "NotoSerif"
SERIF_BOLD = "NotoSerif-Bold"
SERIF_ITALIC = "NotoSerif-Italic"
SERIF_BOLD_ITALIC = "NotoSerif-BoldItalic"
#: Be Vietnam Pro styles for certificate titles.
TITLE = "BeVietnamPro-Regular"
TITLE_SEMIBOLD = "BeVietnamPro-SemiBold"
TITLE_BOLD = "BeVietnamPro-Bold"

#: Environment variable overriding the cache folder of the derived static fonts.
CACHE_ENV = "REGISTRY_FONT_CACHE"

# Bumped when the way the static files are derived changes, so stale caches are not reused.
_RECIPE = "r1"

# (reportlab name, source file in the package, wght, file name in the cache)
_SERIF_STYLES = (
    (SERIF, "NotoSerif[wdth,wght].ttf", 400, "NotoSerif-Regular.ttf"),
    (SERIF_BOLD, "NotoSerif[wdth,wght].ttf", 700, "NotoSerif-Bold.ttf"),
    (SERIF_ITALIC, "NotoSerif-Italic[wdth,wght].ttf", 400, "NotoSerif-Italic.ttf"),
    (SERIF_BOLD_ITALIC, "NotoSerif-Italic[wdth,wght].ttf", 700, "NotoSerif-BoldItalic.ttf"),
)
_TITLE_STYLES = (
    (TITLE, "BeVietnamPro-Regular.ttf"),
    (TITLE_SEMIBOLD, "BeVietnamPro-SemiBold.ttf"),
    (TITLE_BOLD, "BeVietnamPro-Bold.ttf"),
)

_lock = threading.Lock()
_registered: FontReport | None = None


@dataclass(frozen=True)
class FontReport:
    """What the first registration in this process did and how long it took."""

    cache_dir: Path
    instanced: tuple[str, ...]  #: cache files created by this call (empty when the cache was warm)
    instancing_seconds: float
    registration_seconds: float


def default_cache_dir() -> Path:
    """The cache folder: $REGISTRY_FONT_CACHE, else $XDG_CACHE_HOME or ~/.cache, /registry-fonts."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "registry-fonts"


def _versioned_dir(cache_dir: Path) -> Path:
    version = metadata.version("fontpkg-noto-serif")
    return cache_dir / f"noto-serif-{version}-{_RECIPE}"


def _instantiate(source: Path, weight: int, target: Path) -> None:
    """Write the static instance wdth=100, wght=weight of a variable font atomically to target."""
    font = FontToolsFont(source)
    # reportlab reads only the outline, metric and mapping tables; instancing the layout tables
    # (kerning above all) would take three quarters of the time for data it never uses.
    for tag in ("GSUB", "GPOS", "GDEF"):
        if tag in font:
            del font[tag]
    static = instancer.instantiateVariableFont(
        font, {"wdth": 100, "wght": weight}, updateFontNames=True
    )
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=target.stem, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            static.save(handle)
        os.chmod(temp_name, 0o644)  # mkstemp creates 0600; the cache may be shared by users
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


@contextlib.contextmanager
def _cache_lock(folder: Path):
    """Serialise instancing between processes sharing the cache folder (when the OS allows)."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    with open(folder / ".lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def static_serif_files(cache_dir: Path | None = None) -> tuple[dict[str, Path], tuple[str, ...]]:
    """Paths of the four static Noto Serif files, deriving missing ones; also the names created."""
    folder = _versioned_dir(Path(cache_dir) if cache_dir else default_cache_dir())
    paths = {name: folder / file_name for name, _, _, file_name in _SERIF_STYLES}
    if all(path.is_file() for path in paths.values()):
        return paths, ()
    folder.mkdir(parents=True, exist_ok=True)
    created: list[str] = []
    with _cache_lock(folder):
        for name, source, weight, file_name in _SERIF_STYLES:
            # Another process may have finished this file while we waited for the lock.
            if not paths[name].is_file():
                _instantiate(fontpkg_noto_serif.ROOT / "files" / source, weight, paths[name])
                created.append(file_name)
    return paths, tuple(created)


def register_fonts(cache_dir: Path | str | None = None) -> FontReport:
    """Register Noto Serif (as a family) and Be Vietnam Pro with reportlab; later calls are free.

    It also turns off reportlab's ASCII85 wrapping of compressed streams: without reportlab's
    optional C accelerator it costs a third of the time of a certificate page, and it only makes
    binary PDFs a quarter bigger.
    """
    global _registered
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is not None:
            return _registered
        rl_config.useA85 = 0
        started = time.perf_counter()
        paths, created = static_serif_files(Path(cache_dir) if cache_dir else None)
        instanced_at = time.perf_counter()
        for name, _, _, _ in _SERIF_STYLES:
            pdfmetrics.registerFont(TTFont(name, str(paths[name])))
        pdfmetrics.registerFontFamily(
            SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC, boldItalic=SERIF_BOLD_ITALIC
        )
        for name, file_name in _TITLE_STYLES:
            path = fontpkg_be_vietnam_pro.ROOT / "files" / file_name
            pdfmetrics.registerFont(TTFont(name, str(path)))
        finished = time.perf_counter()
        _registered = FontReport(
            cache_dir=next(iter(paths.values())).parent,
            instanced=created,
            instancing_seconds=instanced_at - started,
            registration_seconds=finished - instanced_at,
        )
        return _registered
