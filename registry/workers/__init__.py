"""Workers feature."""
