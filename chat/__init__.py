"""The running Neuvo service, in layers; each may import only those below it (import-linter
checks this in the test command):

    ops      the command line and the demo seed              chat.ops
    app      the application factory                         chat.app
    web      HTTP API, sockets, pages, sign-in, middleware   chat.web
    admin    organisations, people, hours, roster, settings  chat.admin
    cluster  the live service across several processes       chat.cluster
    live     the live service: queue, assignment, lines      chat.live
    broker   fan-out of frames between processes             chat.broker
    wire     the frames and error codes of PROTOCOL.md       chat.wire
    base     settings, clock, metrics, rate limits, logs     chat.base

`admin` and `live` do not import each other (nor `admin` and `cluster`). Only `storage` speaks
SQL: nothing here imports SQLAlchemy or SQLModel (storage.errors and storage.database.Session
stand in for them).
"""
