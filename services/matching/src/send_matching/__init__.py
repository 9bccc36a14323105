"""SEND placement matching service: a thin HTTP layer over a pure solver."""
