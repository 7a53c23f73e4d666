"""The versioned REST API (/api/v1/), one module per app, with the same scopes as the pages."""
