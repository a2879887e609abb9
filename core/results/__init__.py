"""Electronic results (issue 11, items 4 and 5): signed on approval, delivered on return, verifiable by anyone.

- ``issue.py``: on ``approve``, every output document of the procedure (the plugin result documents that apply to
  a dossier with a result) is rendered to PDF with core.documents, given a QR code to its verification page, signed
  by the deciding (competent) unit through core.signing, stored in the "results" storage and recorded as a
  ``DossierResult`` row. All of it runs inside the approval's own transaction (``services.on_action``): the files
  are written first, the rows commit with the approval, and a unit that cannot sign makes the approval fail with a
  clear message, the dossier unchanged. On ``return_result`` the applicant gets a message with each result's link.
- ``verify.py``: whether a PDF is a result this deployment issued, intact and signed by a trusted certificate.
- ``views.py``: ``GET /ket-qua/<code>/<key>.pdf`` (download), ``POST /api/v1/verify``, ``/xac-thuc`` (upload
  form) and ``/xac-thuc/<sha256>`` (the record behind a QR code).

The access check of every download is ``core.dossiers.results.can_download_result``.
"""
