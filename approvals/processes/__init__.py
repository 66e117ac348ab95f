"""Processes as graphs: critical paths of every process at once, one process as a networkx DAG.

May import: the foundation.
"""
