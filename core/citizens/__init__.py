"""Citizens signed in with VNeID through OpenID Connect (issue 11, item 1).

A citizen is not a ``User``: officers have accounts, roles and units; a citizen has an identity the national identity
provider vouches for (Decree 69/2024 on electronic identification) and sees only their own dossiers, found by their
personal ID number in every unit of the deployment. The citizen's session key (``citizen``) is separate from
Flask-Login's, so a citizen session never opens an officer page and an officer login never makes anyone a citizen.
"""
