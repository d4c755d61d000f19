"""Staff console accounts: creation, login with lockout and optional TOTP.

(Login, lockout and TOTP services are added below ``create_staff_account``.)
"""

from __future__ import annotations

from app.accounts.models import StaffCredential, User
from app.accounts.passwords import hash_password
from app.db import database
from app.errors import Conflict


def create_staff_account(*, username: str, password: str, display_name: str,
                         user: User | None = None) -> User:
    """Create a console login (and the user, unless ``user`` is given).

    Called by sysadmin services, the demo seeder and tests. Raises staff.username_taken.
    """
    with database.atomic():
        if StaffCredential.select().where(StaffCredential.username == username).exists():
            raise Conflict("staff.username_taken", "该用户名已被使用")
        if user is None:
            user = User.create(display_name=display_name)
        StaffCredential.create(user=user, username=username,
                               password_hash=hash_password(password))
    return user
