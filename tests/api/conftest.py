"""API fixtures: the rights desk (`desk`) on top of `world`, shared with tests/rights."""
from tests.rights.conftest import desk  # noqa: F401
