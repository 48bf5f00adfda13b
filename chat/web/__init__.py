"""The web edges: the public HTTP API, the two WebSocket endpoints, sign-in and sessions, the
console and coordinator pages with their templates, static files and catalogs, and the ASGI
middleware. Endpoints translate requests into calls on `chat.live` and `chat.admin`; they decide
nothing themselves."""
