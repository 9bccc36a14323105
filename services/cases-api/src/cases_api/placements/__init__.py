"""Placements of children at provisions, never beyond a provision's places."""
