"""Phase transfers: who moves when, and the plans still naming no setting for the new phase."""
