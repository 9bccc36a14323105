"""Requests to reassess a child or young person with a plan (CFA 2014 s44(2); reg 27)."""
