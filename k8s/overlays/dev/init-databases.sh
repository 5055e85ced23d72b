#!/bin/bash
# Runs once, when the volume is empty: one role and one database per service, the passwords from the services'
# database Secrets (identity-db, catalog-db, exchange-db), never from this file.
set -euo pipefail
for db in identity catalog exchange; do
  user_var="${db^^}_DB_USERNAME"
  pass_var="${db^^}_DB_PASSWORD"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v role="${!user_var}" -v pass="${!pass_var}" -v db="$db" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'pass';
CREATE DATABASE :"db" OWNER :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
done
