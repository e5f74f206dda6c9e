"""Fairway: managed moves and off-site directions for English councils."""
