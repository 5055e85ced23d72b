-- The webhook lease names its holder (one sender run of one replica): only the holder renews it and gives it back, so
-- a sender that stalled past its lease can no longer extend or clear the lease another replica took over meanwhile.
ALTER TABLE webhook_subscription ADD COLUMN lease_holder VARCHAR(36);
