"""Plotly figures of the figures and of one process, and their export to HTML and images.

May import: everything up to approvals.views.
"""
