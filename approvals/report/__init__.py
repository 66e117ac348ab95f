"""The analysis as the office hands it on: the analysis workbook and the offline HTML report.

May import: everything up to approvals.charts.
"""
