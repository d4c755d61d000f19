"""Actions of the calendar feature and the roles that may perform them.

The calendar is one for the whole deployment, so these actions are checked for "any grant of
an allowed role" rather than against a region node.
"""

from app.policy import STAFF_ROLES, register

CALENDAR_READ = register("calendar.read", STAFF_ROLES)
CALENDAR_MANAGE = register("calendar.manage", {"town_admin", "sysadmin"})
