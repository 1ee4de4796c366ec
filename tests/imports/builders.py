"""Fixture builders for the import tests: every file is made here, nothing is checked in.

xlsx through openpyxl/xlsxwriter, xls through xlwt, ods as a hand-made zip, OLE2 containers
(encrypted-looking packages, xls with a VBA storage) through a minimal compound-file writer.
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import xlwt

from registry.imports.ole import OleFile

SECTOR = 512
END_OF_CHAIN, FREE, FAT_SECTOR = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def xlsx_bytes(rows: list[list], *, sheet: str = "Danh sách", extra: dict | None = None,
               merges: tuple[str, ...] = (), hidden: tuple[str, ...] = ()) -> bytes:
    """An .xlsx written by openpyxl; extra maps more sheet names to rows."""
    book = openpyxl.Workbook()
    first = book.active
    first.title = sheet
    for row in rows:
        first.append(row)
    for cells in merges:
        first.merge_cells(cells)
    for name, more in (extra or {}).items():
        other = book.create_sheet(name)
        for row in more:
            other.append(row)
        if name in hidden:
            other.sheet_state = "hidden"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def xls_bytes(rows: list[list], *, sheet: str = "Danh sách", hidden: dict | None = None,
              formula_at: tuple[int, int] | None = None) -> bytes:
    """An .xls written by xlwt; hidden maps names of hidden sheets to rows."""
    book = xlwt.Workbook(encoding="utf-8")
    sheets = [(book.add_sheet(sheet), rows)]
    for name, more in (hidden or {}).items():
        other = book.add_sheet(name)
        other.visibility = 1
        sheets.append((other, more))
    for target, data in sheets:
        for r, row in enumerate(data):
            for c, value in enumerate(row):
                if value is not None and value != "":
                    target.write(r, c, value)
    if formula_at:
        sheets[0][0].write(*formula_at, xlwt.Formula("1+2"))
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _ods_cell(value: object) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        flag = "true" if value else "false"
        return (f'<table:table-cell office:value-type="boolean" office:boolean-value="{flag}">'
                f"<text:p>{flag.upper()}</text:p></table:table-cell>")
    if isinstance(value, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>' \
        "</table:table-cell>"


def ods_bytes(sheets: list[tuple[str, list[list], bool]], *, formula: bool = False,
              macros: bool = False) -> bytes:
    """An .ods zip made by hand: mimetype first and stored, manifest, content.xml."""
    tables = []
    for name, rows, hidden in sheets:
        style = ' table:style-name="hid"' if hidden else ' table:style-name="vis"'
        body = "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        if formula and not tables:
            body += ('<table:table-row><table:table-cell table:formula="of:=1+2" '
                     'office:value-type="float" office:value="3"><text:p>3</text:p>'
                     "</table:table-cell></table:table-row>")
        tables.append(f"<table:table table:name={quoteattr(name)}{style}>{body}</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
        'office:version="1.2"><office:automatic-styles>'
        '<style:style style:name="vis" style:family="table">'
        '<style:table-properties table:display="true"/></style:style>'
        '<style:style style:name="hid" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
        "</office:automatic-styles><office:body><office:spreadsheet>"
        + "".join(tables)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        if macros:
            archive.writestr("Basic/Standard/Module1.xml", "<module/>")
    return output.getvalue()


def ole_bytes(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file holding the streams ("Storage/Stream" paths make storages).

    Streams shorter than 4096 bytes are padded with zeros so no mini stream is needed.
    """
    tree: dict = {}
    for path, data in streams.items():
        node = tree
        *storages, name = path.split("/")
        for storage in storages:
            node = node.setdefault(storage, {})
        node[name] = data + b"\0" * max(0, 4096 - len(data))
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "children": tree}]
    queue = [0]
    while queue:
        index = queue.pop(0)
        children = entries[index].get("children") or {}
        previous = None
        for name, value in children.items():
            entry = {"name": name, "type": 1 if isinstance(value, dict) else 2,
                     "children": value if isinstance(value, dict) else None,
                     "data": value if isinstance(value, bytes) else b""}
            entries.append(entry)
            position = len(entries) - 1
            if previous is None:
                entries[index]["child"] = position
            else:
                entries[previous]["right"] = position
            previous = position
            if entry["type"] == 1:
                queue.append(position)
    data_sectors: list[bytes] = []
    for entry in entries:
        payload = entry.get("data") or b""
        if payload:
            entry["start"] = len(data_sectors)
            for offset in range(0, len(payload), SECTOR):
                data_sectors.append(payload[offset:offset + SECTOR].ljust(SECTOR, b"\0"))
    directory = b""
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        directory += struct.pack(
            "<64sHBBIII16sIQQII",
            name, len(name), entry["type"], 1,
            FREE, entry.get("right", FREE), entry.get("child", FREE),
            b"\0" * 16, 0, 0, 0, entry.get("start", END_OF_CHAIN), len(entry.get("data") or b""),
        )[:128].ljust(128, b"\0")
    directory = directory.ljust(-(-len(directory) // SECTOR) * SECTOR, b"\0")
    dir_count = len(directory) // SECTOR
    used = len(data_sectors) + dir_count
    fat_count = 1
    while used + fat_count > fat_count * (SECTOR // 4):
        fat_count += 1
    fat = [FREE] * (fat_count * SECTOR // 4)
    for entry in entries:
        payload = entry.get("data") or b""
        if payload:
            count = -(-len(payload) // SECTOR)
            for i in range(count):
                fat[entry["start"] + i] = entry["start"] + i + 1 if i + 1 < count else END_OF_CHAIN
    dir_start = len(data_sectors)
    for i in range(dir_count):
        fat[dir_start + i] = dir_start + i + 1 if i + 1 < dir_count else END_OF_CHAIN
    fat_start = dir_start + dir_count
    for i in range(fat_count):
        fat[fat_start + i] = FAT_SECTOR
    difat = [fat_start + i for i in range(fat_count)] + [FREE] * (109 - fat_count)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
        0, fat_count, dir_start, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0, *difat,
    )
    return header + b"".join(data_sectors) + directory + struct.pack(f"<{len(fat)}I", *fat)


def xls_workbook_stream(xls: bytes) -> bytes:
    """The Workbook stream of an .xls, read with the reader's own OLE code."""
    compound = OleFile(io.BytesIO(xls))
    return b"".join(compound.iter_stream(compound.find("Workbook")))


def with_filepass(workbook_stream: bytes) -> bytes:
    """The stream with a FILEPASS record (RC4 encryption) right after the first BOF."""
    _, length = struct.unpack_from("<HH", workbook_stream, 0)
    cut = 4 + length
    filepass = struct.pack("<HHH", 0x002F, 2, 1)
    return workbook_stream[:cut] + filepass + workbook_stream[cut:]


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_bytes(text: str) -> bytes:
    """Text as Windows would save it in code page 1258: letters with â/ă/ê/ô/ơ/ư/đ composed,
    tone marks as separate combining characters."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
        tones = "".join(p for p in parts if p in _TONES)
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)
