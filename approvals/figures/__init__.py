"""The headline figures over the canonical item table: 精简率, 缩短率, targets and benchmarks.

May import: the foundation.
"""
