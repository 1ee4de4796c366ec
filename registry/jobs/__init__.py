"""Background jobs: one table, one worker loop, a handler per kind (imports, batch printing).

See registry.jobs.runner for how jobs are queued, claimed, run and watched.
"""
