"""Assessment feature: the "Công dân học tập" criteria, scores, evidence and eligibility."""
