"""Settings: every table of words and every threshold, the targets, the calendar and the year.

May import: the other foundation modules (errors, text, model, workdays) only.
"""
