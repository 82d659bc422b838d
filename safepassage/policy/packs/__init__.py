"""Rule packs, by name. A deployment adds or replaces one in settings.POLICY_PACKS, without a
change to the engine or to the services that consult it."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from safepassage.policy.engine import RulePack


@cache
def get_pack(name: str | None = None) -> RulePack:
    name = name or settings.POLICY_PACK
    try:
        path = settings.POLICY_PACKS[name]
    except KeyError:
        raise LookupError(f"no rule pack called {name!r}") from None
    pack = import_string(path)
    if not isinstance(pack, RulePack):
        raise TypeError(f"{path} is not a RulePack")
    return pack
