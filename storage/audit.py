"""The audit log: who did what that an auditor may ask about later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.tables import AuditEntry


async def audit(session: AsyncSession, *, actor: str, action: str, detail: str, now: datetime) -> None:
    session.add(AuditEntry(at=now, actor=actor, action=action, detail=detail))
