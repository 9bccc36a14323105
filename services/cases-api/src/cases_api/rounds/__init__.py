"""Allocation rounds: a cohort, proposals from the matching service, officers' decisions,
consultations with schools, and the placements and plan versions that follow."""
