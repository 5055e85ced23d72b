-- Who changed the working-day calendar, when, and why: every change of calendar_day made through the API (an admin
-- setting or removing a day) and the initial calendar shipped with the service, written in the transaction of the
-- change. `before_*` is the day as it was (none: the day was not in the calendar), `after_*` as it is now (none: the
-- day was removed). Statutory deadlines are counted with this calendar, so its history is evidence: never updated.
CREATE TABLE calendar_change (
    id           BIGSERIAL     PRIMARY KEY,
    day          DATE          NOT NULL,
    action       VARCHAR(10)   NOT NULL CHECK (action IN ('SET', 'REMOVE', 'SEED')),
    before_kind  VARCHAR(10)   CHECK (before_kind IN ('holiday', 'workday')),
    before_name  VARCHAR(100),
    after_kind   VARCHAR(10)   CHECK (after_kind IN ('holiday', 'workday')),
    after_name   VARCHAR(100),
    reason       VARCHAR(2000) NOT NULL,
    actor        VARCHAR(100)  NOT NULL,
    actor_name   VARCHAR(200),
    actor_role   VARCHAR(40),
    request_id   VARCHAR(128),
    changed_at   TIMESTAMPTZ   NOT NULL
);
CREATE INDEX calendar_change_day ON calendar_change (day, id);
