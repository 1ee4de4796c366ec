"""Home feature."""
