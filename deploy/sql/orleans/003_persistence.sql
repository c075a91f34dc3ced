-- Orleans grain storage (Microsoft.Orleans.Persistence.AdoNet, Invariant=Npgsql) for Storage:Kind=PostgreSql.
-- Needs the OrleansQuery table of 001_main.sql. Every statement is idempotent: running it twice is a no-op.
--
-- The provider reads its statements from OrleansQuery by key and binds @GrainIdHash, @GrainIdN0, @GrainIdN1,
-- @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion and @PayloadBinary.
-- The version is the grain state's ETag: a write names the version it read, and gets back the next one; getting
-- back no version, or the same one, is a version conflict (InconsistentStateException).

CREATE TABLE IF NOT EXISTS OrleansStorage (
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,
    ModifiedOn             timestamptz  NOT NULL DEFAULT now(),
    Version                integer      NOT NULL,
    -- One row per grain: two first writers race on this, and the loser inserts nothing.
    CONSTRAINT UX_OrleansStorage_Grain UNIQUE NULLS NOT DISTINCT
        (ServiceId, GrainTypeHash, GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString)
);

-- Returns the new version, or the version passed in (or NULL for a first write) when another writer got there first.
CREATE OR REPLACE FUNCTION ofs_orleans_write_state(
    grain_id_hash integer, grain_id_n0 bigint, grain_id_n1 bigint, grain_type_hash integer,
    grain_type varchar, grain_id_extension varchar, service_id varchar, expected_version integer, payload bytea)
RETURNS TABLE (NewGrainStateVersion integer)
LANGUAGE plpgsql AS $$
DECLARE
    written integer;
BEGIN
    IF expected_version IS NULL THEN
        INSERT INTO OrleansStorage AS s (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
                                         GrainIdExtensionString, ServiceId, PayloadBinary, Version)
        VALUES (grain_id_hash, grain_id_n0, grain_id_n1, grain_type_hash, grain_type,
                grain_id_extension, service_id, payload, 1)
        ON CONFLICT ON CONSTRAINT UX_OrleansStorage_Grain DO NOTHING
        RETURNING s.Version INTO written;
    ELSE
        UPDATE OrleansStorage AS s
        SET PayloadBinary = payload, ModifiedOn = now(), Version = s.Version + 1
        WHERE s.ServiceId = service_id AND s.GrainTypeHash = grain_type_hash AND s.GrainIdHash = grain_id_hash
          AND s.GrainIdN0 = grain_id_n0 AND s.GrainIdN1 = grain_id_n1 AND s.GrainTypeString = grain_type
          AND s.GrainIdExtensionString IS NOT DISTINCT FROM grain_id_extension
          AND s.Version = expected_version
        RETURNING s.Version INTO written;
    END IF;
    RETURN QUERY SELECT COALESCE(written, expected_version);
END
$$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', '
    SELECT NewGrainStateVersion FROM ofs_orleans_write_state(
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
'),
('ReadFromStorageKey', '
    SELECT PayloadBinary, now() AS ReadOn, Version
    FROM OrleansStorage
    WHERE ServiceId = @ServiceId AND GrainTypeHash = @GrainTypeHash AND GrainIdHash = @GrainIdHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString;
'),
-- Clearing keeps the row (and so the version sequence): DeleteStateOnClear stays false.
('ClearStorageKey', '
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, ModifiedOn = now(), Version = Version + 1
    WHERE ServiceId = @ServiceId AND GrainTypeHash = @GrainTypeHash AND GrainIdHash = @GrainIdHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;
'),
-- Asked for instead of ClearStorageKey by a provider configured with DeleteStateOnClear.
('DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE ServiceId = @ServiceId AND GrainTypeHash = @GrainTypeHash AND GrainIdHash = @GrainIdHash
      AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1 AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
      AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
