"""The advisors' duty console."""

from __future__ import annotations

from starlette.routing import BaseRoute

routes: list[BaseRoute] = []
