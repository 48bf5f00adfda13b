"""The running Neuvo service: app factory, settings, hub, sockets, HTTP API, broker, CLI."""
