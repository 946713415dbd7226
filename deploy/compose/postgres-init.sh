#!/bin/sh
# Run by the postgres image once, when its data volume is still empty: one role and
# one database per service, each service the owner of its own database only.
set -e

: "${SSM_DB_PASSWORD:?set SSM_DB_PASSWORD}"
: "${MYHANDICAP_DB_PASSWORD:?set MYHANDICAP_DB_PASSWORD}"

psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v ssm_password="$SSM_DB_PASSWORD" \
    -v myhandicap_password="$MYHANDICAP_DB_PASSWORD" <<'SQL'
CREATE ROLE ssm LOGIN PASSWORD :'ssm_password';
CREATE DATABASE ssm OWNER ssm;
REVOKE ALL ON DATABASE ssm FROM PUBLIC;

CREATE ROLE myhandicap LOGIN PASSWORD :'myhandicap_password';
CREATE DATABASE myhandicap OWNER myhandicap;
REVOKE ALL ON DATABASE myhandicap FROM PUBLIC;
SQL
