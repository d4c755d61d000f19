"""Requests (群众诉求): the closed loop accept → dispatch → handle → resolve → rate → close."""
