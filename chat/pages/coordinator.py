"""Coordinator pages: people and settings, hours and roster, coverage, statistics.

Every route here needs the coordinator role (see `coordinator_base.coordinator`); the pages are
split by concern into the coordinator_* modules beside this one.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from chat.pages import coordinator_reports

routes: list[BaseRoute] = [*coordinator_reports.routes]
