"""The scheduling app's pages, one module per area; each lists its own URLs."""
