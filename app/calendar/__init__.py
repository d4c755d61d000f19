"""The working-day calendar: Chinese holidays, makeup working days (调休) and deadline maths."""
