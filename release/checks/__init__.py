"""Preflight checks: the CheckResult every check returns, and the checks of versions, C API and notes."""
