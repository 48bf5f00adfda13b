"""Neuvo's routing core: pure decisions about opening hours, the roster, the queue and who
serves which chat. Standard library only; "now" is always an argument, never read here."""
