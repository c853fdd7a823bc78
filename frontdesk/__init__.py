"""Frontdesk: the front desk of an acupuncture and Traditional Chinese Medicine clinic."""

__version__ = "0.1.0"
