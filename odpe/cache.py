"""Redis as the cache, and this process's memory while Redis is unreachable.

The cache holds rate-limit counters (sign-in, uploads, invitations) and the TOTP codes already used.
Django's Redis backend raises when Redis is down, which would turn every sign-in and every upload into
a server error: here the same call goes to a per-process memory cache instead. Limits then count per
web process until Redis is back — looser, never absent.
"""

import logging

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _with_fallback(name: str):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(FallbackRedisCache, self), name)(*args, **kwargs)
        except UNREACHABLE:
            logger.warning("Redis unreachable: cache %s done in this process's memory", name)
            return getattr(self.fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.fallback = LocMemCache(f"fallback-{server}", {"TIMEOUT": params.get("TIMEOUT", 300)})

    add = _with_fallback("add")
    get = _with_fallback("get")
    set = _with_fallback("set")
    touch = _with_fallback("touch")
    delete = _with_fallback("delete")
    get_many = _with_fallback("get_many")
    has_key = _with_fallback("has_key")
    incr = _with_fallback("incr")
    set_many = _with_fallback("set_many")
    delete_many = _with_fallback("delete_many")
    clear = _with_fallback("clear")
