"""Raw tables → the canonical Dataset: limits parsed, decisions classified, items keyed, steps linked.

May import: the foundation and approvals.read.
"""
