"""Public pages (``/p``): no login, no staff chrome, readable in WeChat's in-app browser
(mobile-first, large text). What they show is what was published — see ``app.public.board``
for why that may be shown to anyone.

Layout
------
``blueprint.py``  the ``bp`` object, security headers (CSP 'self' only: our own CSS/JS, no
                  CDN), the Chinese HTML error pages for ``/p``.
``pages.py``      a village's disclosure board, a disclosure, the notices open for objection,
                  a notice. Each record page carries a proof box that ``proof.js`` fills: it
                  fetches the record, the signed checkpoint and the inclusion proof from the
                  public ``/api/v1/transparency`` endpoints and checks them in the browser
                  (WebCrypto SHA-256 for RFC 6962, Ed25519 for the checkpoint signature).
``project_pages.py`` published 微实事 vote results (rounds of a village, one round).
``printing.py``   A4 pages for the paper notice board with a QR code (segno SVG, made here)
                  that opens the public page and its proof.
Templates: ``miniprogram_api/templates/public/``; CSS/JS: ``miniprogram_api/static/public/``.

Every page that reads the database is ``@public_read``: served from the read replica when
``DATABASE_REPLICA_URL`` is set (a page may then be a few seconds behind the console), from
the primary otherwise or when the replica is down.
"""

# Importing the page modules registers their routes on ``bp``.
from miniprogram_api.public_pages import pages, printing, project_pages  # noqa: F401
from miniprogram_api.public_pages.blueprint import bp

__all__ = ["bp"]
