-- R17 (条例第二十八条): objections (校核) and security incidents are handled by the 主管部门 of the lowest region
-- containing their parties, found when they are filed, as for disputes. Rows filed before this migration get their
-- region at the next start (the rule needs the catalogue replica's entries; see ObjectionService/IncidentService).
ALTER TABLE objection ADD COLUMN region_code varchar(12);
ALTER TABLE security_incident ADD COLUMN region_code varchar(12);
CREATE INDEX objection_region_idx ON objection (region_code, id DESC);
CREATE INDEX security_incident_region_idx ON security_incident (region_code, id DESC);
