"""Outreach figures a network sees (step 2's escort-site log): counts over the member
organisations' records, read through `network_access`, never a row of theirs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from uppsok.core.capabilities import Cap
from uppsok.core.decorators import in_network
from uppsok.network.access import active_network

from .network_access import network_escort_log


@in_network(Cap.NETWORK_VIEW)
def escort_log(request: HttpRequest, network_id: Any) -> HttpResponse:
    network = active_network(request)
    return render(request, "outreach/network_escort_log.html", {"network": network, "log": network_escort_log(network)})
