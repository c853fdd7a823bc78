"""What every service shares: the database, the acting user and the clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from frontdesk.db.engine import Database
from frontdesk.services.context import Actor

if TYPE_CHECKING:
    from datetime import datetime

    from frontdesk.services.hub import Services


class ServiceBase:
    def __init__(self, hub: Services) -> None:
        self.hub = hub

    @property
    def db(self) -> Database:
        return self.hub.db

    @property
    def actor(self) -> Actor:
        return self.hub.actor

    def now(self) -> datetime:
        return self.hub.clock()
