#!/bin/sh
# The checkpoint-db one-shot of docker-compose.yml: creates the workers' checkpoint database and its role on the
# PostgreSQL service (apart from Temporal's databases), or brings the role's password up to date. Safe to run at every
# `docker compose up`, on a new volume or an existing one.
#
# In: PGHOST, PGPORT, PGUSER (a superuser) and ADMIN_PASSWORD, its password; CHECKPOINT_DB and CHECKPOINT_ROLE, the
# names to create; PGPASSWORD (from checkpoint-db.env, the file the workers read it from too): the role's password.
set -eu
: "${ADMIN_PASSWORD:?set ADMIN_PASSWORD, the password of PGUSER}"
: "${CHECKPOINT_DB:?set CHECKPOINT_DB, the checkpoint database}"
: "${CHECKPOINT_ROLE:?set CHECKPOINT_ROLE, the role the workers log in as}"
: "${PGPASSWORD:?checkpoint-db.env must set PGPASSWORD, the password the workers log in to the checkpoint database with}"

# The role's password reaches psql through its environment (\getenv), not its command line.
CHECKPOINT_PASSWORD=$PGPASSWORD PGPASSWORD=$ADMIN_PASSWORD exec psql -X -q -v ON_ERROR_STOP=1 -d postgres \
  -v db="$CHECKPOINT_DB" -v role="$CHECKPOINT_ROLE" <<'SQL'
\getenv password CHECKPOINT_PASSWORD
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
\connect :"db"
-- pgvector, for elements with their vectors (the pgvector image has it; a server without it is left as it is).
SELECT 'CREATE EXTENSION IF NOT EXISTS vector' WHERE EXISTS (SELECT FROM pg_available_extensions WHERE name = 'vector') \gexec
\echo checkpoint database :"db" ready for role :"role"
SQL
