"""What anyone may read without logging in: the public pages' reading services (``board``).

Only records already published — and already public through the transparency log — are
served here; the feature packages keep every rule about who may write them.
"""
