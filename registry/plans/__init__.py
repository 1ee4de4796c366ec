"""Plans (kế hoạch) with their targets, and the progress dashboard of the five indicators."""
