"""The validation engine: a partner's workbook checked against its Table Schema, in plain French.

Pure Python (no Django): `validate_workbook` for the checks, `iter_table` to read a validated file,
`parse_schema` for the spec format. Findings carry a code (Frictionless's where it has one), a French
message, and their place: sheet, cell, row, field.
"""

from uploads.validation.container import Limits
from uploads.validation.engine import ExpectedTable, iter_table, row_key, validate_workbook
from uploads.validation.findings import Finding, Report
from uploads.validation.schema import Schema, SchemaError, parse_schema

__all__ = [
    "ExpectedTable",
    "Finding",
    "Limits",
    "Report",
    "Schema",
    "SchemaError",
    "iter_table",
    "parse_schema",
    "row_key",
    "validate_workbook",
]
