"""三资 ledger (咱厝家底): the collective's funds, assets and resources, kept by staff, imported
from and exported to Excel, and made public only through finance disclosures. See
:mod:`app.supervision`."""
