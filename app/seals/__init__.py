"""公章监管: village seals and the log of every use, with pure anomaly rules whose findings go
to the discipline officers and every entry on the transparency log. See
:mod:`app.supervision`."""
