"""Demo data for the embedded default: a realistic, entirely fictional county."""
