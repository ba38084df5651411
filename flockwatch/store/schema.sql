-- The canonical store. Table and column names are a contract: readers map every source onto them,
-- detectors read them, and outside checks query them. Add columns freely; never rename.
-- All ids are strings; all times are UTC TIMESTAMPs; platform is a short lower-case name.
-- Every row keeps the ingest it came from (ingest_id -> ingests.ingest_id).

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS accounts (
    platform VARCHAR NOT NULL,
    account_id VARCHAR NOT NULL,
    screen_name VARCHAR,
    display_name VARCHAR,
    description VARCHAR,
    location VARCHAR,
    url VARCHAR,
    lang VARCHAR,
    created_at TIMESTAMP,
    verified BOOLEAN,
    protected BOOLEAN,
    default_profile_image BOOLEAN,
    profile_image_url VARCHAR,
    followers_count BIGINT,
    following_count BIGINT,
    posts_count BIGINT,
    likes_count BIGINT,
    listed_count BIGINT,
    first_seen_at TIMESTAMP,
    last_seen_at TIMESTAMP,
    extra JSON,
    ingest_id INTEGER
);

CREATE TABLE IF NOT EXISTS account_snapshots (
    platform VARCHAR NOT NULL,
    account_id VARCHAR NOT NULL,
    observed_at TIMESTAMP NOT NULL,
    followers_count BIGINT,
    following_count BIGINT,
    posts_count BIGINT,
    likes_count BIGINT,
    screen_name VARCHAR,
    display_name VARCHAR,
    description VARCHAR,
    ingest_id INTEGER,
    status VARCHAR           -- active, deactivated, suspended, takendown, deleted... when reported
);

CREATE TABLE IF NOT EXISTS posts (
    platform VARCHAR NOT NULL,
    post_id VARCHAR NOT NULL,
    account_id VARCHAR,
    created_at TIMESTAMP,
    kind VARCHAR,            -- post, repost, reply, quote
    text VARCHAR,
    lang VARCHAR,
    client VARCHAR,
    target_post_id VARCHAR,  -- what was reposted, replied to or quoted
    target_account_id VARCHAR,
    hashtags VARCHAR[],
    mentions VARCHAR[],
    urls VARCHAR[],
    media VARCHAR[],
    like_count BIGINT,
    repost_count BIGINT,
    reply_count BIGINT,
    quote_count BIGINT,
    time_precision VARCHAR,  -- 'second' or 'minute' (takedown archives): minute times are intervals
    extra JSON,
    ingest_id INTEGER,
    deleted_at TIMESTAMP     -- when the platform reported the post deleted; the row is kept
);

CREATE TABLE IF NOT EXISTS follows (
    platform VARCHAR NOT NULL,
    follower_id VARCHAR NOT NULL,
    followee_id VARCHAR NOT NULL,
    observed_at TIMESTAMP,
    ingest_id INTEGER,
    record_id VARCHAR,       -- the platform's id of the follow record (Bluesky AT-URI), if any
    deleted_at TIMESTAMP     -- when the follow was reported withdrawn; the row is kept
);

-- Likes are not posts: a like has no text and detectors of posting behaviour must not count it.
CREATE TABLE IF NOT EXISTS likes (
    platform VARCHAR NOT NULL,
    like_id VARCHAR NOT NULL,    -- the platform's id of the like record (Bluesky AT-URI)
    account_id VARCHAR,          -- who liked
    target_post_id VARCHAR,      -- what was liked
    target_account_id VARCHAR,
    created_at TIMESTAMP,
    deleted_at TIMESTAMP,
    extra JSON,
    ingest_id INTEGER
);

CREATE TABLE IF NOT EXISTS blocks (
    platform VARCHAR NOT NULL,
    blocker_id VARCHAR NOT NULL,
    blocked_id VARCHAR NOT NULL,
    observed_at TIMESTAMP,
    record_id VARCHAR,
    deleted_at TIMESTAMP,
    ingest_id INTEGER
);

-- Every deletion a source reported, whether or not the deleted record was ever seen: vanishing
-- content is evidence. Posts, likes, follows and blocks whose id matches get deleted_at set.
CREATE TABLE IF NOT EXISTS deletions (
    platform VARCHAR NOT NULL,
    record_id VARCHAR NOT NULL,  -- id of the deleted record (post_id, like_id, follows.record_id)
    account_id VARCHAR,          -- whose record it was
    record_kind VARCHAR,         -- post, repost, like, follow, block, or the source's own name
    deleted_at TIMESTAMP,
    ingest_id INTEGER
);

-- Engagement of a post over time (CrowdTangle post histories, repeated exports).
CREATE TABLE IF NOT EXISTS post_snapshots (
    platform VARCHAR NOT NULL,
    post_id VARCHAR NOT NULL,
    observed_at TIMESTAMP NOT NULL,
    like_count BIGINT,
    repost_count BIGINT,
    reply_count BIGINT,
    quote_count BIGINT,
    view_count BIGINT,
    extra JSON,
    ingest_id INTEGER
);

CREATE TABLE IF NOT EXISTS reports (
    platform VARCHAR NOT NULL,
    report_id VARCHAR NOT NULL,
    reporter_id VARCHAR,
    target_account_id VARCHAR,
    target_post_id VARCHAR,
    reason VARCHAR,
    comment VARCHAR,
    created_at TIMESTAMP,
    client VARCHAR,
    extra JSON,
    ingest_id INTEGER
);

CREATE TABLE IF NOT EXISTS groups (
    platform VARCHAR NOT NULL,
    group_id VARCHAR NOT NULL,
    kind VARCHAR,            -- page, group, channel, chat
    name VARCHAR,
    description VARCHAR,
    created_at TIMESTAMP,
    members_count BIGINT,
    extra JSON,
    ingest_id INTEGER
);

CREATE TABLE IF NOT EXISTS memberships (
    platform VARCHAR NOT NULL,
    group_id VARCHAR NOT NULL,
    account_id VARCHAR NOT NULL,
    role VARCHAR,            -- admin, member, owner
    ingest_id INTEGER
);

CREATE TABLE IF NOT EXISTS ingests (
    ingest_id INTEGER PRIMARY KEY,
    path VARCHAR,
    sha256 VARCHAR,
    format VARCHAR,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    rows_read BIGINT,
    rows_stored BIGINT,
    rows_rejected BIGINT,
    size_bytes BIGINT,
    tables JSON,             -- new rows per canonical table
    assumptions JSON         -- e.g. time zone assumed for local times
);

CREATE TABLE IF NOT EXISTS rejected_rows (
    ingest_id INTEGER,
    path VARCHAR,
    line BIGINT,
    reason VARCHAR,
    raw VARCHAR
);

-- Detector output. One row per finding; every run's findings are kept (see detector_runs), and
-- readers use the latest run of each detector (view latest_findings).
CREATE TABLE IF NOT EXISTS detector_runs (
    run_id VARCHAR PRIMARY KEY,
    detector VARCHAR,
    detector_version VARCHAR,
    params JSON,
    seed BIGINT,
    input_ingests JSON,      -- ingest ids present in the store when the run started
    input_hash VARCHAR,      -- hash of the input tables' row counts and ingest ids
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    n_findings BIGINT,
    status VARCHAR,          -- ok, failed
    message VARCHAR
);

CREATE TABLE IF NOT EXISTS findings (
    run_id VARCHAR,
    finding_id VARCHAR,      -- run_id/subject_kind/platform/subject_id
    detector VARCHAR,
    detector_version VARCHAR,
    subject_kind VARCHAR,    -- account, post, cluster, edge, pool, ...
    subject_id VARCHAR,
    platform VARCHAR,
    score DOUBLE,            -- in [0, 1]
    label VARCHAR,
    explanation VARCHAR,     -- one plain sentence with the numbers behind it
    evidence JSON,           -- {"posts": [...], "accounts": [...], ...}: rows that support it
    details JSON,            -- detector-specific figures (feature contributions, members...)
    params JSON,
    created_at TIMESTAMP
);

-- Columns added after stores of this schema version were first created: an older store gains them
-- when opened for writing (they are nullable, so nothing else changes).
ALTER TABLE account_snapshots ADD COLUMN IF NOT EXISTS status VARCHAR;
ALTER TABLE posts ADD COLUMN IF NOT EXISTS deleted_at TIMESTAMP;
ALTER TABLE follows ADD COLUMN IF NOT EXISTS record_id VARCHAR;
ALTER TABLE follows ADD COLUMN IF NOT EXISTS deleted_at TIMESTAMP;

CREATE OR REPLACE VIEW latest_findings AS
SELECT f.* FROM findings f
JOIN (SELECT detector, arg_max(run_id, finished_at) AS run_id FROM detector_runs
      WHERE status = 'ok' GROUP BY detector) r USING (detector, run_id);
