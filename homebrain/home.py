"""The home as the brain sees it: rooms, sites and entities, derived from the config.

Stages after the config (understanding, dialogue, actions) read this small
view instead of the raw schema, so the schema can grow without touching them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from homebrain.config.schema import DeviceConfig, HomebrainConfig


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    floor: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name.lower(), *(a.lower() for a in self.aliases))


@dataclass(frozen=True)
class Site:
    id: str
    room: str | None
    # a site that hears several rooms (open plan): the cameras tell which one
    rooms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entity:
    entity_id: str
    name: str
    aliases: tuple[str, ...]
    room: str | None
    sensitive: bool
    device_class: str | None = None

    @property
    def domain(self) -> str:
        return self.entity_id.split(".", 1)[0]

    @property
    def object_id(self) -> str:
        return self.entity_id.split(".", 1)[1]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name.lower(), *(a.lower() for a in self.aliases))


def humanise(slug: str) -> str:
    return slug.replace("_", " ").strip().capitalize()


@dataclass
class Home:
    rooms: dict[str, Room] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    default_site: str | None = None

    @classmethod
    def from_config(cls, config: HomebrainConfig) -> Home:
        rooms = {
            rid: Room(rid, r.name or humanise(rid), tuple(r.aliases), r.floor)
            for rid, r in config.rooms.items()
        }
        sites = {sid: Site(sid, s.room, tuple(s.rooms)) for sid, s in config.sites.items()}
        entities = {d.id: entity_from_device(d) for d in config.devices}
        default = config.default_site or (next(iter(sites)) if sites else None)
        return cls(rooms, sites, entities, default)

    def room_of_site(self, site: str | None) -> str | None:
        found = self.sites.get(site or "")
        if found is not None:
            return found.room
        return site if site in self.rooms else None

    def rooms_of_site(self, site: str | None) -> tuple[str, ...]:
        """The rooms a site may be in: its room, or the several it hears (none: unknown)."""
        room = self.room_of_site(site)
        if room is not None:
            return (room,)
        found = self.sites.get(site or "")
        return found.rooms if found is not None else ()

    def in_room(self, room: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.room == room]

    def of_domain(self, domain: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.domain == domain]


def entity_from_device(device: DeviceConfig) -> Entity:
    return Entity(
        entity_id=device.id,
        name=device.name or humanise(device.object_id),
        aliases=tuple(device.aliases),
        room=device.room,
        sensitive=device.is_sensitive,
        device_class=device.device_class,
    )
