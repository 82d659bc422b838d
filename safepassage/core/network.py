"""Where a request comes from, as a keyed digest: enough to count requests from one network,
never an address we keep (an address is personal data, and the applicant's may say where they
are hiding)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def client_address_digest(request: HttpRequest) -> str:
    address, _routable = get_client_ip(
        request, proxy_count=getattr(settings, "AXES_IPWARE_PROXY_COUNT", None)
    )
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"address:{address or ''}".encode(), hashlib.sha256).hexdigest()[:32]
