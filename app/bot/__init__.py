"""The bot feature's domain: group bindings, the message ledger, the dialog, the outbound queue."""
