"""The OpenAPI description of the JSON API: the document (``document``) and where it is served (``views``)."""
