"""Commendation rounds (biểu dương, khen thưởng) of workers and of their studious children."""
