-- One counter per kind of admin-curated reference data (the working-day calendar, the search synonyms). Every
-- statement that changes the data bumps its counter in the same transaction (triggers below, so also a change made
-- by hand or by another replica); each replica polls the counters and reloads its in-memory copy when one moved.
CREATE TABLE reference_data_generation (
    name        VARCHAR(20) PRIMARY KEY,
    generation  BIGINT      NOT NULL
);
INSERT INTO reference_data_generation (name, generation) VALUES ('calendar', 1), ('synonyms', 1);

CREATE FUNCTION bump_reference_data_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reference_data_generation SET generation = generation + 1 WHERE name = TG_ARGV[0];
    RETURN NULL;
END;
$$;

CREATE TRIGGER calendar_day_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_day
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_data_generation('calendar');
CREATE TRIGGER search_synonym_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON search_synonym
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_data_generation('synonyms');
