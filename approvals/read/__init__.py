"""Department files → raw tables: format and header found, columns mapped, every doubt a problem row.

May import: the foundation (errors, text, model, problems, settings).
"""
