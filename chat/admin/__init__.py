"""Administration of a service: organisations, people and passwords, opening hours, the roster
(templates, one-off changes, CSV import) and settings, used alike by the CLI and the coordinator
pages. Imports `chat.wire`, `chat.base`, `storage`, `routing`; never `chat.web` or `chat.live`."""
