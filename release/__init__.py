"""Checked, rehearsable release steps for NumPy-style projects."""

__version__ = "0.1.0"
