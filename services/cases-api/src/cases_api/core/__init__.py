"""Cross-cutting pieces: database, errors, problem details, logging, pagination."""
