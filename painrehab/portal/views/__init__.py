"""The family portal's views, one module per part of the portal."""
