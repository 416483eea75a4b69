"""homebrain: offline smart-home daemon."""

__version__ = "0.1.0"
