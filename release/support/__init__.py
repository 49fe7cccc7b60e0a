"""Which Pythons a release supports: CPython's dates, NEP 29 and SPEC 0 windows, and the checks."""
