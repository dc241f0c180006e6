-- Half-year rosters (名录) and the runs of the roster-republish job.
-- A roster's entries are one JSON array (one object per chain, as compiled); published rosters never change.

CREATE TABLE rosters (
    period         NCHAR(6)       NOT NULL PRIMARY KEY,
    status         NVARCHAR(20)   NOT NULL,
    entries        NVARCHAR(MAX)  NOT NULL,
    entry_count    INT            NOT NULL,
    compiled_at    DATETIME2(7)   NOT NULL,
    compiled_by    NVARCHAR(40)   NOT NULL,
    reviewed_at    DATETIME2(7)   NULL,
    reviewed_by    NVARCHAR(40)   NULL,
    review_comment NVARCHAR(2000) NULL,
    version        BIGINT         NOT NULL
);

CREATE INDEX ix_rosters_status ON rosters (status, period);
GO

-- A published roster is final.
CREATE TRIGGER rosters_published_final ON rosters
AFTER UPDATE, DELETE
AS
BEGIN
    IF EXISTS (SELECT 1 FROM deleted WHERE status = N'published')
        THROW 50002, 'published rosters never change', 1;
END;
GO

CREATE TABLE roster_job_runs (
    id           NVARCHAR(40) NOT NULL PRIMARY KEY,
    period       NCHAR(6)     NOT NULL,
    ran_at       DATETIME2(7) NOT NULL,
    trigger_kind NVARCHAR(20) NOT NULL,
    outcome      NVARCHAR(20) NOT NULL
);

CREATE INDEX ix_roster_job_runs_period ON roster_job_runs (period, outcome);
CREATE INDEX ix_roster_job_runs_ran_at ON roster_job_runs (ran_at);
