"""议事 consultations (微协商): topics residents discuss, comment on and vote on before staff
publish what was decided and why."""
