"""Subject access exports, retention rules, legal holds and purging what is due."""
