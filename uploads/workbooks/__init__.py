"""Partner workbooks: the blank template to fill, and the filled one handed back with its findings shown."""

from uploads.workbooks.annotate import annotate_workbook, report_workbook
from uploads.workbooks.template import TemplateInfo, TemplateTable, build_template

__all__ = ["TemplateInfo", "TemplateTable", "annotate_workbook", "build_template", "report_workbook"]
