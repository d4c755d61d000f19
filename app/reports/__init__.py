"""我要举报: whistleblowing reports that protect the reporter (see ``services`` for the flow)."""
