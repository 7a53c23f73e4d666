"""Tongxue (同学): the platform of a reformed university student union."""
