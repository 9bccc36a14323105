"""Orders of the First-tier Tribunal and unopposed appeals, and the LA's compliance with them."""
