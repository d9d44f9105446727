"""Catalog files: JSON (procedures -> versions -> components/fees/steps) and CSV (one row per version).

Both formats carry the same values and are written in one canonical order, so
export -> import into an empty database -> export gives the same bytes. Reading collects every
problem with its place ('row 3, field "limit": ...' for CSV data rows, 'item 2, version 1' for
the JSON procedure list and its versions, both 1-based) so a file is fixed in one pass.
CSV is UTF-8 with a byte order mark: without it Excel shows Vietnamese as mojibake.
"""

from .format import FORMATS, CatalogEntry, ProcedureRecord
from .reading import parse_csv, parse_json, parse_text, read_catalog_file
from .writing import detect_format, dump_csv, dump_json, export_catalog, records_from_db, write_catalog_file

__all__ = [
    "FORMATS",
    "CatalogEntry",
    "ProcedureRecord",
    "detect_format",
    "dump_csv",
    "dump_json",
    "export_catalog",
    "parse_csv",
    "parse_json",
    "parse_text",
    "read_catalog_file",
    "records_from_db",
    "write_catalog_file",
]
