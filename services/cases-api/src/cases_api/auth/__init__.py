"""Authentication: bearer JWTs from the council's identity provider (or a local development key)."""
