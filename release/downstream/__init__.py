"""For projects that depend on NumPy: their pins checked against NumPy's downstream guide."""
