"""The roof: what spans the apps, composed above the floors it touches.

Floors, lowest first: the rest of `odpe` (ground: accounts and roles, audit, files, workflow helpers,
errors) ← `conventions` ← `uploads` ← `dashboards` ← `odpe.roof`. A floor imports only the floors below it,
never one above, not even inside a function. A process that touches several floors (a withdrawal taking
effect: rights, files, consent requests) is written here, calling each floor's own transition; the floors
never reach up for it. The home page, the audit log (filtered by partner), the invitation page (which
offers the partners) and the demo seeding live here for the same reason. `odpe.settings`, `odpe.urls` and
`odpe.wsgi` are wiring, on the roof too; `odpe.celery` (the Celery app) imports no app and stays on the
ground, and the apps enqueue through `odpe.queue`, which finds their tasks by name. `tests/test_layers.py`
checks all of it.
"""
