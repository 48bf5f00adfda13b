"""Coordinator pages: people and settings, hours and roster, coverage, statistics."""

from __future__ import annotations

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
