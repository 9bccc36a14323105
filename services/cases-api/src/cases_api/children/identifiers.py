"""Pupil identifiers: the DfE Unique Pupil Number (with its check letter) and the ULN's format."""

import re

_UPN_SHAPE = re.compile(r"^[A-Z][0-9]{12}$")
_ULN_SHAPE = re.compile(r"^[0-9]{10}$")
# The DfE's 23 check letters: the alphabet without I, O and S.
_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(digits: str) -> str:
    """The check letter of a permanent UPN's last 12 characters (DfE, 'Unique pupil numbers').

    Character n (n = 2…13) is weighted by n; the sum modulo 23 indexes the check letters.
    """
    total = sum(int(char) * weight for weight, char in enumerate(digits, start=2))
    return _CHECK_LETTERS[total % 23]


def validate_upn(value: str) -> str:
    """The UPN in upper case; ValueError unless it is a letter, 12 digits and the right letter."""
    upn = value.upper()
    if not _UPN_SHAPE.match(upn):
        raise ValueError("a UPN is a check letter followed by 12 digits")
    expected = upn_check_letter(upn[1:])
    if upn[0] != expected:
        raise ValueError(f"the UPN's check letter should be {expected}")
    return upn


def validate_uln(value: str) -> str:
    """The ULN; ValueError unless it is 10 digits (its check digit is not verified)."""
    if not _ULN_SHAPE.match(value):
        raise ValueError("a ULN is 10 digits")
    return value
