"""The channels frames travel on: one per chat for its visitor's sockets, one per advisor for
theirs (all their tabs, in whichever process)."""


def visitor_channel(chat_id: str) -> str:
    return f"visitor:{chat_id}"


def advisor_channel(username: str) -> str:
    return f"advisor:{username}"
