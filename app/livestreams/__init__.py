"""直播: livestreams of major decisions (asset leases, tenders, small works), announced to the
village's groups before they start, with minutes and result published afterwards as a
disclosure. See :mod:`app.supervision`."""
