"""Placeholder blueprint; filled in by its feature."""

from flask import Blueprint

bp = Blueprint("admin_auth", __name__)
