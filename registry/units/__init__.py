"""Units feature."""
