"""Widgets and renderables of the supervisor dashboard."""
