"""Benchmarks of the approvals core at province scale; run with ``python -m bench``."""
