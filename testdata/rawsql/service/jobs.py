"""A local job queue on sqlite3, next to things that look like queries and are not."""
import itertools
import sqlite3
from concurrent.futures import ThreadPoolExecutor

from flask import request

from .app import app

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY, kind TEXT, state TEXT, owner TEXT);
"""


def queue():
    conn = sqlite3.connect("jobs.db")
    conn.executescript(SCHEMA)
    return conn


@app.get("/jobs")
def list_jobs():
    clauses, params = [], []
    if request.args.get("kind"):
        clauses.append("kind = ?")
        params.append(request.args["kind"])
    if request.args.get("state"):
        clauses.append("state = ?")
        params.append(request.args["state"])
    where = " AND ".join(clauses) or "1 = 1"
    conn = queue()
    # The table comes from SCHEMA, run by queue(); the WHERE clause is built at
    # runtime, so no column is known to judge.
    rows = conn.execute(f"SELECT id, kind, state FROM jobs WHERE {where} LIMIT 100", params).fetchall()  # ok: db/sql-injection, db/missing-index
    return {"jobs": rows}


@app.post("/jobs/run")
def run_jobs():
    pool = ThreadPoolExecutor()
    runner = JobRunner()
    for name in request.json["jobs"]:
        runner.execute(name)  # ok: db/n-plus-one
        pool.submit(print, name)
    return {"queued": True}, 202


class JobRunner:
    def execute(self, name):
        return name


@app.get("/jobs/mine")
def my_jobs():
    conn = queue()
    rows = conn.execute("SELECT id, kind FROM jobs WHERE owner = ? LIMIT 50", (request.args["owner"],)).fetchall()  # expect: db/missing-index
    return {"jobs": rows}


def poll(handle):
    # Polls until stopped: a query per poll, not per item.
    conn = queue()
    last = 0
    for _tick in itertools.count():
        job = conn.execute("SELECT id, kind FROM jobs WHERE id > ? ORDER BY id LIMIT 1", (last,)).fetchone()  # ok: db/n-plus-one
        if job is None:
            break
        last = handle(job)


def cancel(jobs, job_id):
    # Looks the job up in a list in memory: one UPDATE, for the match.
    conn = queue()
    for job in jobs:
        if job.id == job_id:
            conn.execute("UPDATE jobs SET state = 'cancelled' WHERE id = ?", (job.id,))  # ok: db/n-plus-one
