-- =============================================================================
-- Orleans ADO.NET schema for SQLite (Main + Persistence; grain persistence only,
-- no clustering). For Microsoft.Data.Sqlite.
--
-- Applied automatically on every silo start (as one batch / one ExecuteNonQuery)
-- before the Orleans AdoNet grain storage initialises. The script is idempotent:
-- tables/indexes use IF NOT EXISTS and the OrleansQuery rows are upserts, so a
-- re-run also repairs stale query text while preserving grain state. No DROP or
-- migration steps.
--
-- Source: github.com/dotnet/orleans (scripts are not shipped in the NuGet
-- packages). Orleans 10.4.2 packages were built from commit
-- 876ffe0338e41bc6339e85ee5696dbee6cf9a4c4 (nuspec); texts taken from:
--   * src/AdoNet/Shared/Sqlite-Main.sql                         @ aa9a257d83ca55c343a464772fd1fe0fc8d29820
--   * src/AdoNet/Orleans.Persistence.AdoNet/Sqlite-Persistence.sql
--                                                               @ 44dbaa2957e765411561345184b8ca0dc414e758
--     (10.4 version, same texts as Migrations/Sqlite-Persistence-10.4.0.sql)
-- Upstream has no DeleteStorageKey for SQLite; ours (at the end) follows the
-- PostgreSQL one, so DeleteStateOnClear=true removes rows (deleted cells and Gun
-- nodes, archive rows). WriteToStorageKey is ours too: three statements with
-- upstream's results instead of its ten (see there). Apart from these, only the
-- idempotency wrappers differ from upstream; query texts are verbatim.
-- =============================================================================


-- -----------------------------------------------------------------------------
-- Main (src/AdoNet/Shared/Sqlite-Main.sql)
-- -----------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT PRIMARY KEY,
    QueryText TEXT NOT NULL
);


-- -----------------------------------------------------------------------------
-- Persistence (src/AdoNet/Orleans.Persistence.AdoNet/Sqlite-Persistence.sql)
-- -----------------------------------------------------------------------------

-- See the upstream script for the table design criteria (hashed narrow index,
-- collisions pruned via the string/N0/N1 columns, columns kept in query order).
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    -- These are for the book keeping. Orleans calculates
    -- these hashes (see RelationalStorageProvide implementation),
    -- which are signed 32 bit integers mapped to the *Hash fields.
    -- The mapping is done in the code. The
    -- *String columns contain the corresponding clear name fields.
    --
    -- If there are duplicates, they are resolved by using GrainIdN0,
    -- GrainIdN1, GrainIdExtensionString and GrainTypeString fields.
    -- It is assumed these would be rarely needed.
    GrainIdHash                INT NOT NULL,
    GrainIdN0                BIGINT NOT NULL,
    GrainIdN1                BIGINT NOT NULL,
    GrainTypeHash            INT NOT NULL,
    GrainTypeString            NVARCHAR(512) NOT NULL,
    GrainIdExtensionString    NVARCHAR(512) NULL,
    ServiceId                NVARCHAR(150) NOT NULL,
    -- Payload
    PayloadBinary    BLOB NULL,
    -- Informational field, no other use.
    ModifiedOn DATETIME NOT NULL,
    -- The version of the stored payload.
    Version INT NULL
    -- The following would in principle be the primary key, but it would be too thick
    -- to be indexed, so the values are hashed and only collisions will be solved
    -- by using the fields. That is, after the indexed queries have pinpointed the right
    -- rows down to [0, n] relevant ones, n being the number of collided value pairs.
);

CREATE INDEX IF NOT EXISTS IX_OrleansStorage ON OrleansStorage(GrainIdHash, GrainTypeHash);


-- Updates an existing grain state with optimistic concurrency control or inserts it if it does not exist.
-- Ours, not upstream's: upstream runs ten statements per write through a TEMP table and trigger (and binds the nine
-- parameters to each); this runs three, with the same results for AdoNet (at most one row in all): the new version
-- when the write took, the caller's own version when another writer had changed or removed the row, nothing when a
-- first write found a row there. Each statement finishes before the next starts, so changes() is the UPDATE's.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', '
    UPDATE OrleansStorage
    SET
        PayloadBinary = @PayloadBinary,
        ModifiedOn = datetime(''now''),
        Version = Version + 1
    WHERE
        GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND (GrainIdExtensionString = @GrainIdExtensionString OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
        AND ServiceId = @ServiceId
        AND @GrainStateVersion IS NOT NULL AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion;

    SELECT @GrainStateVersion AS NewGrainStateVersion
    WHERE @GrainStateVersion IS NOT NULL AND changes() = 0;

    INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @PayloadBinary, datetime(''now''), 1
    WHERE @GrainStateVersion IS NULL
        AND NOT EXISTS (
            SELECT 1 FROM OrleansStorage
            WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
                AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
                AND GrainTypeString = @GrainTypeString
                AND (GrainIdExtensionString = @GrainIdExtensionString OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
                AND ServiceId = @ServiceId)
    RETURNING Version AS NewGrainStateVersion;
')
ON CONFLICT(QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Retrieves the binary payload and the current version of a specific grain state.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES 
('ReadFromStorageKey', '
    SELECT
        PayloadBinary,
        Version AS Version
    FROM
        OrleansStorage
    WHERE
        GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND (GrainIdExtensionString = @GrainIdExtensionString OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
        AND ServiceId = @ServiceId
    LIMIT 1;
')
ON CONFLICT(QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Clears the grain state by setting the payload to null and incrementing the version for consistency.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES 
('ClearStorageKey', '
    UPDATE OrleansStorage
    SET
        PayloadBinary = NULL,
        ModifiedOn = datetime(''now''),
        Version = Version + 1
    WHERE
        GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND (GrainIdExtensionString = @GrainIdExtensionString OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
        AND ServiceId = @ServiceId
        AND Version = @GrainStateVersion;

    SELECT @GrainStateVersion + 1 AS NewGrainStateVersion
    WHERE changes() > 0;

    SELECT @GrainStateVersion AS NewGrainStateVersion
    WHERE changes() = 0
        AND @GrainStateVersion IS NOT NULL;
')
ON CONFLICT(QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Deletes the grain state row (DeleteStateOnClear=true). Not upstream: written for
-- OrleansSync after PostgreSQL's DeleteStorageKey, with the same optimistic
-- version check and the same returned version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE
        GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
        AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
        AND GrainTypeString = @GrainTypeString
        AND (GrainIdExtensionString = @GrainIdExtensionString OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
        AND ServiceId = @ServiceId
        AND Version = @GrainStateVersion;

    SELECT @GrainStateVersion + 1 AS NewGrainStateVersion
    WHERE changes() > 0;

    SELECT @GrainStateVersion AS NewGrainStateVersion
    WHERE changes() = 0
        AND @GrainStateVersion IS NOT NULL;
')
ON CONFLICT(QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
