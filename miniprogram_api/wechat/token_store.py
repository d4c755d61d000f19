"""Where the WeChat access token lives so all processes share one: Redis, else the database.

Both implement wechatpy's ``SessionStorage`` interface (get/set/delete with a TTL).
"""

from __future__ import annotations

import json

from wechatpy.session import SessionStorage
from wechatpy.session.redisstorage import RedisStorage

from app import kvstore


class DatabaseStorage(SessionStorage):
    """wechatpy session storage on the ``key_value`` table."""

    def __init__(self, prefix: str = "wechat"):
        self.prefix = prefix

    def _key(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    def get(self, key, default=None):
        raw = kvstore.get_value(self._key(key))
        return default if raw is None else json.loads(raw)

    def set(self, key, value, ttl=None):
        if value is None:
            return
        kvstore.set_value(self._key(key), json.dumps(value), ttl)

    def delete(self, key):
        kvstore.delete_value(self._key(key))


def build_storage(redis_url: str | None) -> SessionStorage:
    if redis_url:
        import redis

        return RedisStorage(redis.Redis.from_url(redis_url), prefix="linli:wechat")
    return DatabaseStorage()
