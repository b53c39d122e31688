"""SQLite, with the writers of several processes queued on a file lock (see base.py)."""
