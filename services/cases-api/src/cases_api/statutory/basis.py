"""Legal bases: the regulation or rule a deadline comes from, as the API shows it.

A ``LegalBasis`` is a citation string an officer can look up ("SEND Regulations 2014 reg 20(3)").
The constants below name the instruments once, so every citation spells them the same way.
"""

from __future__ import annotations

from typing import TypeAlias

__all__ = ["CFA_2014", "HESC_RULES_2008", "SEND_REGS_2014", "LegalBasis", "send_reg"]

LegalBasis: TypeAlias = str

SEND_REGS_2014 = "SEND Regulations 2014"
CFA_2014 = "Children and Families Act 2014"
HESC_RULES_2008 = "Tribunal Procedure (First-tier Tribunal) (HESC) Rules 2008"


def send_reg(citation: str) -> LegalBasis:
    """The citation of a regulation of the SEND Regulations 2014: ``send_reg("20(3)")``."""
    return f"{SEND_REGS_2014} reg {citation}"
