-- OrleansFs master journal on PostgreSQL.
-- Applied by the silo at first use and by `ofs format --postgres` (never by `ofs journal dump`: it only reads),
-- once, recorded in ofs_schema_version, inside one transaction holding an advisory lock. Every statement is
-- idempotent anyway, so running this file by hand with psql is safe too.

-- The fence: one row holding the newest epoch ever taken. Taking an epoch is an UPDATE of this row (so two
-- masters never get the same one), and every record batch locks it FOR SHARE and checks it in the same
-- transaction as its INSERT, so a stale master's batch can never commit after a newer epoch was taken.
CREATE TABLE IF NOT EXISTS ofs_journal_fence (
    id    integer PRIMARY KEY CHECK (id = 1),
    epoch bigint  NOT NULL
);
INSERT INTO ofs_journal_fence (id, epoch) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

-- Every epoch taken, with its seal: the last sequence of the epochs before it (null until it sealed).
CREATE TABLE IF NOT EXISTS ofs_journal_epochs (
    epoch    bigint      PRIMARY KEY,
    seal     bigint      NULL,
    taken_at timestamptz NOT NULL DEFAULT now()
);

-- One row per record. Sequences are dense and increase across epochs. crc is the CRC-32C (as a signed
-- 32-bit integer) of u64 seq | u64 epoch | u16 type | payload, little-endian: the part of the directory
-- journal's frame its checksum covers.
CREATE TABLE IF NOT EXISTS ofs_journal_records (
    seq     bigint  PRIMARY KEY,
    epoch   bigint  NOT NULL,
    type    integer NOT NULL,
    crc     integer NOT NULL,
    payload bytea   NOT NULL
);

-- A checkpoint: its header row is written last, in the same transaction as its chunks.
CREATE TABLE IF NOT EXISTS ofs_journal_checkpoints (
    seq         bigint      PRIMARY KEY,
    epoch       bigint      NOT NULL,
    body_length bigint      NOT NULL,
    body_crc    integer     NOT NULL,
    chunks      integer     NOT NULL,
    written_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS ofs_journal_checkpoint_chunks (
    seq   bigint  NOT NULL,
    chunk integer NOT NULL,
    data  bytea   NOT NULL,
    PRIMARY KEY (seq, chunk)
);
