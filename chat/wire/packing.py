"""Values as text between processes: frames, commands and their answers, packed so that the other
side rebuilds the same typed value (frozen dataclasses, tuples and lists of them, None and plain
JSON scalars). A value names its kind; `unpack` builds only the kinds it is given, so a packed
text can make nothing else.

This is not the wire format for clients (that is chat.wire.outgoing.encode): it is how the
broker and the command queue of a several-process service carry values through Redis.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints


class Kinds:
    """The dataclasses a packed text may name, by class name."""

    def __init__(self, *roots: type[Any], extra: Iterable[type[Any]] = ()) -> None:
        self._by_name: dict[str, type[Any]] = {}
        for kind in extra:
            self._by_name[kind.__name__] = kind
        stack = list(roots)
        while stack:
            kind = stack.pop()
            self._by_name[kind.__name__] = kind
            stack.extend(kind.__subclasses__())

    def __getitem__(self, name: str) -> type[Any]:
        return self._by_name[name]


def pack(value: Any) -> str:
    return json.dumps(_packed(value), ensure_ascii=False, separators=(",", ":"))


def unpack(text: str, kinds: Kinds) -> Any:
    return _unpacked(json.loads(text), kinds)


def _packed(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"kind": type(value).__name__,
                "fields": {spec.name: _packed(getattr(value, spec.name)) for spec in dataclasses.fields(value)}}
    if isinstance(value, tuple | list):
        return [_packed(item) for item in value]
    return value


def _unpacked(data: Any, kinds: Kinds) -> Any:
    if isinstance(data, list):
        return [_unpacked(item, kinds) for item in data]
    if isinstance(data, dict) and "kind" in data:
        return _build(kinds[data["kind"]], data["fields"])
    return data


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(kind: type[Any]) -> dict[str, Any]:
    # Resolving a class's annotations took a seventh of a process's time at 1,000 chats; the
    # classes never change while the process runs.
    hints = _HINTS.get(kind)
    if hints is None:
        hints = _HINTS[kind] = get_type_hints(kind)
    return hints


def _build(kind: type[Any], data: Mapping[str, Any]) -> Any:
    hints = _hints(kind)
    return kind(**{name: _typed(hints[name], value) for name, value in data.items()})


def _typed(hint: Any, value: Any) -> Any:
    """The packed value rebuilt as the field's type says: nested dataclasses, tuples of them."""
    if value is None:
        return None
    options = [h for h in get_args(hint) if h is not type(None)] if get_origin(hint) in (Union, UnionType) else [hint]
    for option in options:
        if isinstance(option, type) and dataclasses.is_dataclass(option) and isinstance(value, dict):
            return _build(option, value["fields"])
        if get_origin(option) is tuple:
            return tuple(_typed(get_args(option)[0], entry) for entry in value)
    return value
