"""Codes defined by the DfE (SEN2, school census) and the provision kinds both services use."""

from enum import StrEnum


class NeedCode(StrEnum):
    """Primary and secondary need codes of SEN2 and the school census (EHC plans)."""

    SPLD = "SPLD"  # specific learning difficulty
    MLD = "MLD"  # moderate learning difficulty
    SLD = "SLD"  # severe learning difficulty
    PMLD = "PMLD"  # profound and multiple learning difficulty
    SEMH = "SEMH"  # social, emotional and mental health
    SLCN = "SLCN"  # speech, language and communication needs
    HI = "HI"  # hearing impairment
    VI = "VI"  # visual impairment
    MSI = "MSI"  # multi-sensory impairment
    PD = "PD"  # physical disability
    ASD = "ASD"  # autistic spectrum disorder
    OTH = "OTH"  # other difficulty or disability


class ProvisionKind(StrEnum):
    """What kind of place a provision offers; drives admissibility in matching."""

    MAINSTREAM = "mainstream"
    RESOURCE_BASE = "resource_base"
    SPECIAL_SCHOOL = "special_school"
    INDEPENDENT = "independent"
    ALTERNATIVE = "alternative"
    EARLY_YEARS = "early_years"
    POST16 = "post16"
