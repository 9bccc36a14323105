"""The audit trail: an append-only record of every read, write and export of a child's data."""
