"""Plans that move with the family to another LA (reg 15), and changes of the health
commissioning body (reg 16)."""
