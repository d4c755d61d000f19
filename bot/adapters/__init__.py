"""One module per WeChat surface: verify, decrypt, normalise to InboundMessage, render answers."""
