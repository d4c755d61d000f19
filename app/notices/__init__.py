"""事前公示 (notices) of major decisions under 四议两公开: the proposal is published with an
objection period, residents object, staff answer each objection, and the decision result is
published only after the period. See :mod:`app.supervision`."""
