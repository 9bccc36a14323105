"""EHC plans: versions (draft, final, amendment notice, re-issue) with sections A–K, and diffs."""
