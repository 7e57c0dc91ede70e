"""Domain services: plain functions and dataclasses over storage. Never imports textual or typer."""
