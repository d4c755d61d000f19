"""Figures for the staff dashboards, aggregated in SQL over each feature's own scoped query
(so the feature's permission check and scope rules apply): disclosure cadence compliance,
volunteer hours and points by village. Request figures come from ``app.requests.stats``.
Reads only; nothing here writes.
"""
