-- One database per service; no service reads another's tables. Run once, on an empty data directory.
CREATE DATABASE product;
CREATE DATABASE inventory;
CREATE DATABASE orders;
CREATE DATABASE payment;
CREATE DATABASE notification;
-- Keycloak's own (infra/keycloak).
CREATE DATABASE keycloak;
