-- Orleans grain storage on PostgreSQL (Microsoft.Orleans.Persistence.AdoNet, Invariant Npgsql).
-- One row per grain state. Version is the ETag: a write names the version it read and succeeds only if the row
-- still has it; a write of a state never read inserts only if no row exists. A write that changed nothing returns
-- the old version, which the provider reports as a version conflict.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer       NOT NULL,
    GrainIdN0              bigint        NOT NULL,
    GrainIdN1              bigint        NOT NULL,
    GrainTypeHash          integer       NOT NULL,
    GrainTypeString        varchar(512)  NOT NULL,
    GrainIdExtensionString varchar(512)  NULL,
    ServiceId              varchar(150)  NOT NULL,
    PayloadBinary          bytea         NULL,
    ModifiedOn             timestamp     NOT NULL,
    Version                integer       NULL
);

CREATE INDEX IF NOT EXISTS IX_OrleansStorage ON OrleansStorage USING btree (GrainIdHash, GrainTypeHash);

-- The row of one grain state. The hashes narrow it through the index; the strings and ids make it exact.
CREATE OR REPLACE FUNCTION ofs_storage_matches(
    row_storage OrleansStorage, grain_id_hash integer, grain_id_n0 bigint, grain_id_n1 bigint,
    grain_type_hash integer, grain_type varchar, grain_id_extension varchar, service_id varchar)
RETURNS boolean LANGUAGE sql IMMUTABLE AS
$func$
    SELECT row_storage.GrainIdHash = grain_id_hash AND row_storage.GrainTypeHash = grain_type_hash
       AND row_storage.GrainIdN0 = grain_id_n0 AND row_storage.GrainIdN1 = grain_id_n1
       AND row_storage.GrainTypeString = grain_type AND row_storage.ServiceId = service_id
       AND row_storage.GrainIdExtensionString IS NOT DISTINCT FROM grain_id_extension
$func$;

CREATE OR REPLACE FUNCTION ofs_write_to_storage(
    grain_id_hash integer, grain_id_n0 bigint, grain_id_n1 bigint, grain_type_hash integer, grain_type varchar,
    grain_id_extension varchar, service_id varchar, grain_state_version integer, payload bytea)
RETURNS TABLE (NewGrainStateVersion integer) LANGUAGE plpgsql AS
$func$
DECLARE
    affected integer;
BEGIN
    IF grain_state_version IS NOT NULL THEN
        UPDATE OrleansStorage s
        SET PayloadBinary = payload, ModifiedOn = (now() AT TIME ZONE 'utc'), Version = s.Version + 1
        WHERE s.GrainIdHash = grain_id_hash AND s.GrainTypeHash = grain_type_hash
          AND ofs_storage_matches(s, grain_id_hash, grain_id_n0, grain_id_n1, grain_type_hash, grain_type,
                                  grain_id_extension, service_id)
          AND s.Version = grain_state_version;
        GET DIAGNOSTICS affected = ROW_COUNT;
        RETURN QUERY SELECT CASE WHEN affected > 0 THEN grain_state_version + 1 ELSE grain_state_version END;
        RETURN;
    END IF;
    -- Never read: the first insert wins. The lock serialises concurrent first writes of the same grain.
    PERFORM pg_advisory_xact_lock(grain_id_hash, grain_type_hash);
    INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
                                GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT grain_id_hash, grain_id_n0, grain_id_n1, grain_type_hash, grain_type, grain_id_extension, service_id,
           payload, (now() AT TIME ZONE 'utc'), 1
    WHERE NOT EXISTS (
        SELECT 1 FROM OrleansStorage s
        WHERE s.GrainIdHash = grain_id_hash AND s.GrainTypeHash = grain_type_hash
          AND ofs_storage_matches(s, grain_id_hash, grain_id_n0, grain_id_n1, grain_type_hash, grain_type,
                                  grain_id_extension, service_id));
    GET DIAGNOSTICS affected = ROW_COUNT;
    RETURN QUERY SELECT CASE WHEN affected > 0 THEN 1 ELSE NULL::integer END;
END
$func$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', '
    SELECT NewGrainStateVersion FROM ofs_write_to_storage(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash,
        @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);
'),
('ReadFromStorageKey', '
    SELECT s.PayloadBinary, (now() AT TIME ZONE ''utc''), s.Version
    FROM OrleansStorage s
    WHERE s.GrainIdHash = @GrainIdHash AND s.GrainTypeHash = @GrainTypeHash
      AND ofs_storage_matches(s, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                              @GrainIdExtensionString, @ServiceId);
'),
('ClearStorageKey', '
    UPDATE OrleansStorage s
    SET PayloadBinary = NULL, Version = s.Version + 1
    WHERE s.GrainIdHash = @GrainIdHash AND s.GrainTypeHash = @GrainTypeHash
      AND ofs_storage_matches(s, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                              @GrainIdExtensionString, @ServiceId)
      AND s.Version = @GrainStateVersion
    RETURNING s.Version AS NewGrainStateVersion;
'),
('DeleteStorageKey', '
    DELETE FROM OrleansStorage s
    WHERE s.GrainIdHash = @GrainIdHash AND s.GrainTypeHash = @GrainTypeHash
      AND ofs_storage_matches(s, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                              @GrainIdExtensionString, @ServiceId)
      AND s.Version = @GrainStateVersion
    RETURNING s.Version AS NewGrainStateVersion;
')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
