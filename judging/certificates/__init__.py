"""Certificate services: design settings, issuing from frozen results, revoking, verifying.

Views call these functions; the PDF engine itself lives in ``judging.io.certificates.pdfs``
and sees only plain values built by ``context``.
"""
