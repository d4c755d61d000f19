"""微星光 stars: an append-only double-entry points ledger, versioned rules, the points-event
inbox other features write to, redemption at the village 爱心超市, star levels and rankings."""
