"""Tests of the assessment feature."""
