"""Who may do what with the bot: bind groups, forward messages, configure channels, announce."""

from __future__ import annotations

from app.policy import register

FRONTLINE = {"grid_worker", "cadre", "town_admin"}

BIND = register("bot.bind_group", FRONTLINE)
MANAGE_GROUPS = register("bot.manage_groups", FRONTLINE | {"sysadmin"})
FORWARD = register("bot.forward_messages", FRONTLINE)
CONFIGURE = register("bot.configure", {"town_admin", "sysadmin"})
EDIT_DICTIONARY = register("bot.edit_dictionary", {"town_admin", "sysadmin"})
EDIT_DEFAULT_DICTIONARY = register("bot.edit_default_dictionary", {"sysadmin"})
ANNOUNCE = register("bot.announce", FRONTLINE | {"sysadmin"})
