"""审批流程精简分析器 — the domain package: read department lists, compute the figures, analyse processes.

Never imports streamlit; the app, the command line and the documents are thin shells over it. The
subpackages follow the data's way, each importing only those before it: the foundation (errors,
text, model, problems, safety, workdays, settings) → read → dataset → figures and processes →
redesign → analysis → workspace → views → charts → report → publish → the command line
(docs/architecture.md).
"""
