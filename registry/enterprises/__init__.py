"""Enterprises feature."""
