"""Recognition: decisions awarding the "Công dân học tập" title, certificates and verification."""
