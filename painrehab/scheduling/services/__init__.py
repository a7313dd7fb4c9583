"""Writes of the scheduling app: one module per area, keyword-only, atomic, audited."""
