"""Benchmarks of the matching engine against the baselines: `python -m send_matching.bench`."""
