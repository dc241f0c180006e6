-- Half-year rosters (名录) and the runs of the roster-republish job.
-- A roster's entries are one JSON array (one object per chain, as compiled); published rosters never change.

CREATE TABLE rosters (
    period         TEXT    NOT NULL PRIMARY KEY,   -- '2026H1'
    status         TEXT    NOT NULL,               -- draft | returned | published
    entries        TEXT    NOT NULL,               -- JSON array of entries
    entry_count    INTEGER NOT NULL,
    compiled_at    TEXT    NOT NULL,
    compiled_by    TEXT    NOT NULL,               -- API key id, or roster-republish for the job
    reviewed_at    TEXT    NULL,
    reviewed_by    TEXT    NULL,
    review_comment TEXT    NULL,
    version        INTEGER NOT NULL                -- bumped on every change; conditional updates
);

CREATE INDEX ix_rosters_status ON rosters (status, period);

-- A published roster is final.
CREATE TRIGGER rosters_published_no_update BEFORE UPDATE ON rosters
WHEN OLD.status = 'published'
BEGIN
    SELECT RAISE(ABORT, 'published rosters never change');
END;

CREATE TRIGGER rosters_published_no_delete BEFORE DELETE ON rosters
WHEN OLD.status = 'published'
BEGIN
    SELECT RAISE(ABORT, 'published rosters never change');
END;

CREATE TABLE roster_job_runs (
    id           TEXT NOT NULL PRIMARY KEY,
    period       TEXT NOT NULL,   -- the period the run was for
    ran_at       TEXT NOT NULL,
    trigger_kind TEXT NOT NULL,   -- scheduled | catchUp | manual
    outcome      TEXT NOT NULL    -- compiled | alreadyCompiled | published
);

CREATE INDEX ix_roster_job_runs_period ON roster_job_runs (period, outcome);
CREATE INDEX ix_roster_job_runs_ran_at ON roster_job_runs (ran_at);
