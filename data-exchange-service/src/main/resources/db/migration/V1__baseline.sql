-- data-exchange-service schema baseline. Tables arrive with the features that need them.
CREATE TABLE service_metadata (
    key    VARCHAR(100) PRIMARY KEY,
    value  VARCHAR(1000) NOT NULL
);
INSERT INTO service_metadata (key, value) VALUES ('schema.owner', 'data-exchange-service');
