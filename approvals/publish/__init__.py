"""The documents the tool hands out: the published catalogs (xlsx, docx, csv) and every other file by name.

May import: everything up to approvals.report.
"""
