"""What the screens, the report and the command line show, computed once: tables with Chinese
headers, the records of one item's process or redesign, the JSON contract.

May import: everything up to approvals.workspace; never streamlit, plotly or a writer.
"""
