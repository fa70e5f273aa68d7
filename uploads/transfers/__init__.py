"""Pseudonymised transfers under data-transfer conventions (PIPASE annex 1 and 2): the hashing keys, the
datasets a recipient receives, their linkage. A package of the uploads floor."""
