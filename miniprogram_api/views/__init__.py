"""Blueprints of the HTTP API. Each module defines one blueprint and its thin views."""
