"""SEND case management API."""
