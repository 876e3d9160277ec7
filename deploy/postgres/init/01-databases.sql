-- One database per service, owned by the account docker-compose.yml gives every service (POSTGRES_USER,
-- which runs this script). The official postgres image runs the files of /docker-entrypoint-initdb.d
-- once, when its data directory is empty. The same list as ./platform's DATABASES (created there by
-- tools/platform/EnsureDatabases.java).
CREATE DATABASE product;
CREATE DATABASE inventory;
CREATE DATABASE orders;
CREATE DATABASE payment;
CREATE DATABASE notification;
-- Keycloak's own (the identity provider, docs/security.md). A data volume made before it existed lacks it:
-- docker compose exec postgres createdb -U "${POSTGRES_USER:-shop}" keycloak
CREATE DATABASE keycloak;
