"""Coordinator pages: people and settings, hours and roster, coverage, statistics, the
staffing forecast.

Every route here needs the coordinator role (see `coordinator_base.coordinator`), except each
advisor's calendar feed, which a calendar app fetches with the token in its URL. The pages are
split by concern into the coordinator_* modules beside this one.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from chat.web import ical
from chat.web.pages import (
    coordinator_blocks,
    coordinator_forecast,
    coordinator_hours,
    coordinator_people,
    coordinator_report,
    coordinator_reports,
    coordinator_requests,
    coordinator_roster,
    coordinator_settings,
    coordinator_shifts,
    coordinator_survey,
)

routes: list[BaseRoute] = [
    *coordinator_reports.routes,
    *coordinator_report.routes,
    *coordinator_roster.routes,
    *coordinator_shifts.routes,
    *coordinator_requests.routes,
    *coordinator_hours.routes,
    *coordinator_people.routes,
    *coordinator_settings.routes,
    *coordinator_blocks.routes,
    *coordinator_survey.routes,
    *coordinator_forecast.routes,
    Route("/calendar/{username}.ics", ical.calendar_feed, methods=["GET"]),
]
