"""Merging units (the 2025 reform) and the ``flask units`` commands that carry merges out: above both tenancy (the
unit files) and dossiers (the open dossiers a merge moves), so neither imports the other."""
