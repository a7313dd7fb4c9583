"""Reads of the family portal: each takes a ``PortalChild`` (the child already
passed ``portal.access.child_get``) and returns plain dataclasses for a page."""
