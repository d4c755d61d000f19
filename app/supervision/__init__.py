"""小微权力监督 (minor-power supervision): what the feature packages share.

The supervision platform is split by idea, one package per glossary name:

* :mod:`app.disclosures` — 村务/党务/财务公开: review, publication, corrections, questions,
  the cadence of required disclosures and "要求公开" complaints;
* :mod:`app.assets_ledger` — 三资 (咱厝家底): funds, assets, resources, Excel import/export,
  publication through finance disclosures;
* :mod:`app.notices` — 事前公示 with objections and the decision result;
* :mod:`app.powers` — 权力清单 with procedure steps and town templates;
* :mod:`app.seals` — 公章 and the seal-use log with its anomaly rules;
* :mod:`app.livestreams` — livestreamed major decisions.

This package holds only :mod:`app.supervision.places` (villages, towns, who lives where, which
staff to tell), used by all six.
"""
