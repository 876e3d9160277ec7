// The checker must fail when docker-compose.yml is wrong: each case breaks one thing in a copy of the real
// files (in memory) and expects the error that names it. The first case proves the real files pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { check, toMiB } from '../cross-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const compose = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
const envExample = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');

function replaced(text, from, to) {
  assert.ok(text.includes(from), `the test's mutation does not apply: "${from}" is not in the file`);
  return text.replace(from, to);
}

function errorsOf(override) {
  return check(root, override).errors;
}

function assertError(errors, pattern) {
  assert.ok(errors.some((error) => pattern.test(error)),
    `expected an error matching ${pattern}, got:\n  ${errors.join('\n  ') || '(no errors)'}`);
}

test('the repository passes', () => {
  assert.deepEqual(errorsOf({}), []);
});

const composeMutations = [
  ['a version key', (t) => `version: "3.9"\n${t}`, /remove the obsolete top-level "version:"/],
  ['a latest tag', (t) => replaced(t, 'image: redis:7.4-alpine', 'image: redis:latest'), /redis: image redis:latest uses the tag "latest"/],
  ['an image without tag', (t) => replaced(t, 'image: grafana/grafana:12.2.0', 'image: grafana/grafana'), /grafana: image grafana\/grafana has no tag/],
  ['a built image tagged latest', (t) => replaced(t, 'image: shop-platform/order-service:local', 'image: shop-platform/order-service'), /order-service: built image .* tagged latest/],
  ['a container without health check', (t) => replaced(t, `      test: ["CMD", "redis-cli", "ping"]\n`, ''), /redis: no healthcheck/],
  ['a dependency without condition', (t) => replaced(t, `      mailpit:\n        condition: service_healthy`, `      mailpit:\n        required: true`), /notification-service: depends_on mailpit without a condition/],
  ['depends_on as a list', (t) => replaced(t, `    depends_on:\n      prometheus:\n        condition: service_healthy`, `    depends_on:\n      - prometheus`), /grafana: depends_on is a list/],
  ['a dependency that is no service', (t) => replaced(t, `      mailpit:\n        condition: service_healthy`, `      smtp:\n        condition: service_healthy`), /depends_on smtp, which is not a service/],
  ['a container without memory limit', (t) => replaced(t, '          memory: 640M\n', '          cpus: "1"\n'), /kafka: no memory limit/],
  ['memory limits over the budget', (t) => replaced(t, 'memory: 640M', 'memory: 1G'), /more than the 7168 MiB budget/],
  ['a variable the service does not read', (t) => replaced(t, '      INVENTORY_DB_URL: jdbc:postgresql://postgres:5432/inventory\n', '      INVENTORY_DB_URL: jdbc:postgresql://postgres:5432/inventory\n      PRODUCT_DB_URL: jdbc:postgresql://postgres:5432/product\n'), /inventory-service: sets PRODUCT_DB_URL, which inventory-service never reads/],
  ['a loopback server address', (t) => replaced(t, '  SERVER_ADDRESS: 0.0.0.0\n', '  SERVER_ADDRESS: 127.0.0.1\n'), /order-service: SERVER_ADDRESS must be 0.0.0.0/],
  ['a gRPC server on loopback', (t) => replaced(t, '      GRPC_HOST: 0.0.0.0\n    ports:\n      - "127.0.0.1:8081:8081"', '    ports:\n      - "127.0.0.1:8081:8081"'), /product-service: GRPC_HOST must be 0.0.0.0/],
  ['a default pointing at the container itself', (t) => replaced(t, '      REDIS_HOST: redis\n', ''), /product-service: REDIS_HOST is not set, so product-service uses its default 127.0.0.1/],
  // Read through libs/service-defaults (shop/service-defaults.yml), not the service's own application.yml.
  ['a shared default pointing at the container itself', (t) => replaced(t, '  ZIPKIN_ENDPOINT: http://zipkin:9411/api/v2/spans\n', ''), /product-service: ZIPKIN_ENDPOINT is not set, so product-service uses its default http:\/\/127\.0\.0\.1:9411/],
  ['the gateway advertising loopback', (t) => replaced(t, '      EUREKA_INSTANCE_IP_ADDRESS: $${spring.cloud.client.ip-address}\n', ''), /api-gateway: EUREKA_INSTANCE_IP_ADDRESS is not set, so api-gateway uses its default 127.0.0.1/],
  ['localhost in a value', (t) => replaced(t, 'SMTP_HOST: mailpit', 'SMTP_HOST: localhost'), /notification-service: SMTP_HOST=localhost points at the container itself/],
  // The issuer URI may name 127.0.0.1 (it is compared with the tokens' iss); the keys' URI is an address and may not.
  ['the realm\'s keys on loopback', (t) => replaced(t, 'SHOP_JWK_SET_URI: http://keycloak:8180', 'SHOP_JWK_SET_URI: http://127.0.0.1:8180'), /SHOP_JWK_SET_URI=http:\/\/127\.0\.0\.1:8180\S* points at the container itself/],
  ['a host that is no service', (t) => replaced(t, 'KAFKA_BOOTSTRAP_SERVERS: kafka:29092\n      GRPC_HOST', 'KAFKA_BOOTSTRAP_SERVERS: broker:29092\n      GRPC_HOST'), /product-service: KAFKA_BOOTSTRAP_SERVERS=broker:29092 names host "broker"/],
  ['a used host not waited for', (t) => replaced(t, `      redis:\n        condition: service_healthy\n`, ''), /product-service: uses redis \(REDIS_HOST\) but does not depend_on it/],
  // The storefront calls the gateway without waiting for it only because the gateway waits for the storefront.
  ['a mutual caller that waits for neither', (t) => replaced(t, `      storefront:\n        condition: service_healthy\n`, ''), /storefront: uses api-gateway \(STOREFRONT_GATEWAY_URL\) but does not depend_on it/],
  ['a database the init script does not create', (t) => replaced(t, 'postgres:5432/orders', 'postgres:5432/order'), /order-service: ORDERS_DB_URL uses database "order"/],
  ['a host port published twice', (t) => replaced(t, '"127.0.0.1:8084:8084"', '"127.0.0.1:8083:8084"'), /order-service: host port 8083 is also published by payment-service/],
  ['a port published on every interface', (t) => replaced(t, '"127.0.0.1:8084:8084"', '"8084:8084"'), /payment-service: port 8084:8084 is published on every interface/],
  ['a module that does not exist', (t) => replaced(t, 'SERVICE: payment-service', 'SERVICE: payments'), /build.args.SERVICE=payments is no Spring Boot module/],
  ['a module compose does not run', (t) => replaced(t, 'SERVICE: payment-service', 'SERVICE: payments'), /payment-service: a Spring Boot module of the root pom that docker-compose.yml does not run/],
  ['a build target that does not exist', (t) => replaced(t, 'target: service', 'target: runtime'), /build target "runtime" is no stage of Dockerfile/],
  ['a build context that does not exist', (t) => replaced(t, '      context: .\n', '      context: ./docker\n'), /build context .\/docker does not exist/],
  ['a bind mount that does not exist', (t) => replaced(t, './deploy/postgres/init:', './deploy/postgres/initdb:'), /postgres: mounts .\/deploy\/postgres\/initdb, which does not exist/],
  ['a required variable .env.example lacks', (t) => replaced(t, 'GF_SECURITY_ADMIN_USER: admin', 'GF_SECURITY_ADMIN_USER: ${GRAFANA_ADMIN_USER:?set it}'), /requires GRAFANA_ADMIN_USER, which .env.example does not set/],
];

for (const [what, mutate, expected] of composeMutations) {
  test(`fails on ${what}`, () => {
    assertError(errorsOf({ compose: mutate(compose) }), expected);
  });
}

test('fails on replicas that keep the host ports', () => {
  const replicas = fs.readFileSync(path.join(root, 'docker-compose.replicas.yml'), 'utf8');
  const broken = replaced(replicas, '  order-service:\n    ports: !reset []\n', '  order-service:\n');
  assertError(errorsOf({ overlays: { 'docker-compose.replicas.yml': broken } }),
    /docker-compose.replicas.yml: order-service runs 2 replicas but keeps the host ports/);
});

test('fails on an override of a service that does not exist', () => {
  assertError(errorsOf({ overlays: { 'docker-compose.extra.yml': 'services:\n  orders:\n    deploy:\n      replicas: 2\n' } }),
    /docker-compose.extra.yml: orders is no service of docker-compose.yml/);
});

test('fails on a variable in .env.example that compose does not read', () => {
  assertError(errorsOf({ envExample: `${envExample}\nUNUSED_SETTING=1\n` }), /sets UNUSED_SETTING, which docker-compose.yml never reads/);
});

test('fails on a base image with the latest tag', () => {
  const broken = replaced(dockerfile, 'ARG RUNTIME_IMAGE=eclipse-temurin:25-jre-noble', 'ARG RUNTIME_IMAGE=eclipse-temurin:latest');
  assertError(errorsOf({ dockerfile: broken }), /Dockerfile: base image eclipse-temurin:latest uses the tag "latest"/);
});

test('fails on a Maven in the image other than the wrapper\'s', () => {
  const broken = replaced(dockerfile, 'maven:3.9.11-', 'maven:3.9.9-');
  assertError(errorsOf({ dockerfile: broken }), /builds with Maven 3.9.9 .* but .\/mvnw uses Maven 3.9.11/);
});

test('reads sizes', () => {
  assert.equal(toMiB('512M'), 512);
  assert.equal(toMiB('1g'), 1024);
  assert.equal(toMiB('64mb'), 64);
  assert.ok(Number.isNaN(toMiB('lots')));
});

// The schema stage (dclint with the Compose Specification's schema) fails on what the schema forbids.
test('the schema validation rejects an invalid file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-check-'));
  try {
    const file = path.join(dir, 'docker-compose.yml');
    fs.writeFileSync(file, replaced(compose, '  stop_grace_period: 30s', '  stop_grace_period: 30s\n  restart_policy: always'));
    const dclint = path.join(here, '../../node_modules/.bin/dclint');
    const run = spawnSync(dclint, ['-c', path.join(here, '../dclintrc.json'), file],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.notEqual(run.status, 0, `dclint accepted an invalid file:\n${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /invalid-schema/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The Compose implementation (Compose 1.29) fails on a broken reference, when it is installed.
test('docker-compose config rejects an invalid file', (t) => {
  if (spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status !== 0) {
    t.skip('docker-compose is not installed');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-check-'));
  try {
    const file = path.join(dir, 'docker-compose.yml');
    fs.writeFileSync(file, replaced(compose, '    depends_on:\n      prometheus:', '    depends_on:\n      prometheus-server:'));
    const run = spawnSync('docker-compose', ['--project-directory', root, '-f', file, '--env-file', path.join(root, '.env.example'), 'config', '--quiet'], { encoding: 'utf8' });
    assert.notEqual(run.status, 0, 'docker-compose accepted a dependency on a service that does not exist');
    assert.match(run.stderr, /prometheus-server/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// A copy of what the checker reads, to change a service's own configuration.
function copyOfRepository() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-check-repo-'));
  const copy = (relative) => fs.cpSync(path.join(root, relative), path.join(dir, relative), { recursive: true });
  for (const file of ['pom.xml', 'Dockerfile', 'docker-compose.yml', 'docker-compose.replicas.yml',
    '.env.example', '.mvn', 'deploy']) copy(file);
  const pom = fs.readFileSync(path.join(root, 'pom.xml'), 'utf8');
  for (const [, module] of pom.matchAll(/<module>([^<]+)<\/module>/g)) {
    if (fs.existsSync(path.join(root, module, 'src/main/resources'))) copy(path.join(module, 'src/main/resources'));
    // Whether a module takes libs/service-defaults is in its pom.
    if (fs.existsSync(path.join(root, module, 'pom.xml'))) copy(path.join(module, 'pom.xml'));
  }
  return dir;
}

test('fails on a placeholder without default that compose does not set', () => {
  const dir = copyOfRepository();
  try {
    assert.deepEqual(check(dir, {}).errors, [], 'the copy itself must pass');
    const yml = path.join(dir, 'payment-service/src/main/resources/application.yml');
    fs.writeFileSync(yml, fs.readFileSync(yml, 'utf8').replace('  payment:\n', '  payment:\n    api-key: ${PAYMENT_PROVIDER_API_KEY}\n'));
    assertError(check(dir, {}).errors, /payment-service: payment-service needs \$\{PAYMENT_PROVIDER_API_KEY\} \(no default\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a bind-mounted file that does not exist is an error', () => {
  const dir = copyOfRepository();
  try {
    fs.rmSync(path.join(dir, 'deploy/prometheus/prometheus.yml'));
    assertError(check(dir, {}).errors, /prometheus: mounts .\/deploy\/prometheus\/prometheus.yml, which does not exist/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
