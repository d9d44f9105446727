"""Một cửa: software for a Vietnamese commune Public Administration Service Center."""

__version__ = "0.1.0"
