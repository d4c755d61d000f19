"""Actions of the accounts feature and the roles that may perform them.

A resident's own binding request needs no action: any logged-in user may ask for themselves.
"""

from app.policy import STAFF_ROLES, register

REGION_READ = register("region.read", STAFF_ROLES)
REGION_MANAGE = register("region.manage", {"sysadmin"})
USER_READ = register("user.read", {"grid_worker", "cadre", "town_admin", "sysadmin"})
USER_SET_FLAGS = register("user.set_flags", {"grid_worker", "cadre", "sysadmin"})
ROLE_GRANT = register("user.grant_role", {"sysadmin"})
BINDING_DECIDE = register("household.decide_binding", {"grid_worker", "cadre"})
AUDIT_READ = register("audit.read", {"town_admin", "sysadmin"})
