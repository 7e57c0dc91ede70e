"""collectui: lawful, humane debt-collection phone work for a small rural bank."""

__version__ = "0.1.0"
