"""权力清单 (the power list): the powers a village exercises, each with its legal basis and
procedure steps (a step may require evidence), kept per village and copied from a town-level
template. Seal uses cite a power item. See :mod:`app.supervision`."""
