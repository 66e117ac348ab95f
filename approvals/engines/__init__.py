"""Engines for the bulk path: one machine (approvals.analysis) and a Dask cluster (cluster)."""
