"""The cache (rate limits, TOTP codes already used) while Redis cannot be reached."""

import socket

from odpe.cache import FallbackRedisCache


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_cache_goes_on_in_memory_while_redis_is_unreachable():
    cache = FallbackRedisCache(
        f"redis://127.0.0.1:{unused_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1}}
    )

    assert cache.add("code-used", True, timeout=30) is True
    assert cache.add("code-used", True, timeout=30) is False  # a TOTP code is still refused twice
    cache.set("attempts", [1, 2], timeout=30)
    assert cache.get("attempts") == [1, 2]
    assert cache.get("never-set", "default") == "default"
