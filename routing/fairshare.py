"""Fair share: each organisation should get this week's chats in proportion to the hours its
advisors are rostered."""

from __future__ import annotations

import math
from collections.abc import Mapping

from routing.types import OrganisationId


def hour_shares(rostered_hours: Mapping[OrganisationId, float]) -> dict[OrganisationId, float]:
    """Each organisation's fraction of all rostered hours; organisations with no (or negative)
    hours are left out, so their share is 0."""
    positive = {org: hours for org, hours in rostered_hours.items() if hours > 0}
    total = math.fsum(positive.values())
    return {org: hours / total for org, hours in positive.items()}


def deficits(
    week_counts: Mapping[OrganisationId, int], rostered_hours: Mapping[OrganisationId, float]
) -> dict[OrganisationId, float]:
    """For every organisation in either mapping: the chats it should have had this week minus
    those it had. Should have had = its share of rostered hours × all chats this week, 0 with no
    rostered hours. Positive means behind its share; the deficits sum to 0 whenever anyone is
    rostered."""
    shares = hour_shares(rostered_hours)
    total = sum(week_counts.values())
    return {
        org: shares.get(org, 0.0) * total - week_counts.get(org, 0)
        for org in week_counts.keys() | rostered_hours.keys()
    }
