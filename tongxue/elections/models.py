"""Models of the elections app (issue 5)."""
