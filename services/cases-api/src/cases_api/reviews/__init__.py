"""Annual reviews of final EHC plans and their statutory milestones."""
