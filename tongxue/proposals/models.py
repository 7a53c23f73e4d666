"""Models of the proposals app (issue 5)."""
