"""The citizen portal at /: the catalogue per commune, online submission, tracking by code and phone, rating."""
