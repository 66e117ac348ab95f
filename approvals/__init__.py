"""审批流程精简分析器 — the domain package: read department lists, compute the figures, analyse processes.

Never imports streamlit; the app, the command line and the exports are thin shells over it.
"""
