// Proves that the check can fail: each case breaks one rule in a temporary copy of deploy/k8s, renders the
// overlay and expects validate.mjs to reject it with the named problem. Run by tools/k8s/check after the real
// overlays passed, so a validator that stopped catching something fails CI.
//
//   node selftest.mjs <deploy/k8s dir> <render command...>     e.g. node selftest.mjs deploy/k8s kubectl kustomize

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const [source, ...render] = process.argv.slice(2);
if (!source || render.length === 0) {
  console.error("usage: node selftest.mjs <deploy/k8s dir> <render command...>");
  process.exit(2);
}

// [what breaks, overlay, file under deploy/k8s, text, replacement, problem expected in the output]
const cases = [
  ["a misspelt field", "local", "base/order-service.yaml", "          readinessProbe:", "          readinesProbe:",
    "unknown field /spec/template/spec/containers/0/readinesProbe"],
  ["a missing readiness probe", "local", "base/order-service.yaml", "          readinessProbe:", "          readinesProbe:",
    "container order-service has no readinessProbe"],
  ["a wrong type", "local", "base/notification-service.yaml", "containerPort: 8085", 'containerPort: "8085"',
    "containerPort must be integer"],
  ["the tag latest", "local", "overlays/local/kustomization.yaml", "    newName: shop-platform/payment-service\n    newTag: local",
    "    newName: shop-platform/payment-service\n    newTag: latest", "image 'shop-platform/payment-service:latest' uses the tag latest"],
  ["no memory limit", "local", "infra/redis/redis.yaml", "              cpu: 500m\n              memory: 256Mi", "              cpu: 500m",
    "container redis has no resources.limits.memory"],
  ["an unnamed container port", "local", "base/api-gateway.yaml", "            - name: http\n              containerPort: 8080",
    "            - containerPort: 8080", "container api-gateway port 8080 has no name"],
  ["a Service selecting nothing", "local", "base/product-service.yaml", "  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: product-service",
    "  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: product-svc", "Service/product-service: selector"],
  ["a NetworkPolicy selecting nothing", "local", "base/storefront.yaml", "spec:\n  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: storefront",
    "spec:\n  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: store-front", "NetworkPolicy/storefront: podSelector"],
  ["an HPA without its Deployment", "local", "base/inventory-service.yaml", "    kind: Deployment\n    name: inventory-service",
    "    kind: Deployment\n    name: inventory", "scaleTargetRef Deployment/inventory does not exist"],
  ["a PDB selecting nothing", "local", "base/payment-service.yaml", "  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: payment-service",
    "  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: payments", "PodDisruptionBudget/payment-service: selector"],
  ["a Secret nobody creates", "production", "base/payment-service.yaml", "                  name: shop-postgres-app\n                  key: password",
    "                  name: shop-postgres-ap\n                  key: password", "refers to Secret shop-postgres-ap, which does not exist"],
  ["Eureka left on", "local", "base/kustomization.yaml", "SPRING_PROFILES_ACTIVE=kubernetes", "SPRING_PROFILES_ACTIVE=default",
    "lacks the profile kubernetes"],
  ["a misspelt KafkaTopic field", "production", "infra/production/kafka-topics.yaml", "  partitions: 3", "  partition: 3",
    "must NOT have additional properties 'partition'"],
  ["a wrong type in RabbitmqCluster", "production", "infra/production/rabbitmq.yaml", "  replicas: 3", "  replicas: three",
    "RabbitmqCluster/shop-rabbitmq: /spec/replicas must be integer"],
  ["an unknown field in Kafka's pod affinity (a core type)", "production", "infra/production/kafka.yaml",
    "                  topologyKey: kubernetes.io/hostname",
    "                  topologyKey: kubernetes.io/hostname\n                  topologyKeys: [kubernetes.io/hostname]",
    "unknown field /spec/kafka/template/pod/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm/topologyKeys"],
  ["an unknown field in a ServiceMonitor (CRD schema)", "production", "overlays/production/service-monitor.yaml", "      interval: 15s",
    "      intervall: 15s", "unknown field /spec/endpoints/0/intervall"],
  ["a misspelt field of a realm's client", "production", "infra/production/keycloak.yaml", "        redirectUris:",
    "        redirectUri:", "must NOT have additional properties 'redirectUri'"],
  ["Keycloak's pod without a readiness probe", "local", "infra/keycloak/keycloak.yaml", "          readinessProbe:\n            httpGet:\n              path: /health/ready",
    "          readinesProbe:\n            httpGet:\n              path: /health/ready", "container keycloak has no readinessProbe"],
  ["a RabbitMQ Permission whose write differs from deploy/rabbitmq/permissions", "production", "infra/production/rabbitmq-users.yaml",
    "    write: '^(payment\\.replies|payment\\.commands(\\..+)?)$'", "    write: '^(payment\\.replies|payment\\.commands(\\..+)?|order\\.payment-replies)$'",
    "Permission/payment-service: write '^(payment\\.replies|payment\\.commands(\\..+)?|order\\.payment-replies)$' differs from deploy/rabbitmq/permissions"],
  ["the local overlay's copy of the RabbitMQ permissions out of step", "local", "infra/local/rabbitmq-permissions",
    "notification-service  ^notification\\.email(\\..+)?$ ", "notification-service  ^notification\\..+$ ",
    "permissions: configure of notification-service '^notification\\..+$' differs from deploy/rabbitmq/permissions"],
  ["a misspelt KafkaUser ACL field", "production", "infra/production/kafka-users.yaml", "          patternType: prefix", "          patterntype: prefix",
    "KafkaUser/inventory-service: /spec/authorization/acls/6/resource must NOT have additional properties 'patterntype'"],
  ["a KafkaUser ACL for a topic that does not exist", "production", "infra/production/kafka-users.yaml", "          name: orders.events\n        operations: [Write, Describe]",
    "          name: order.events\n        operations: [Write, Describe]", "KafkaUser/order-service: ACL for topic order.events, which is no KafkaTopic of the render"],
];

let failed = 0;
for (const [what, overlay, file, text, replacement, expected] of cases) {
  const copy = mkdtempSync(join(tmpdir(), "k8s-selftest-"));
  try {
    // deploy/k8s with its siblings deploy/keycloak, which the overlays read (the realm file, kept once for
    // ./platform, docker compose and Kubernetes), and deploy/rabbitmq, whose permissions file the overlays must
    // state: the copy keeps their relative places.
    const k8s = join(copy, basename(source));
    cpSync(source, k8s, { recursive: true });
    cpSync(join(source, "..", "keycloak"), join(copy, "keycloak"), { recursive: true });
    cpSync(join(source, "..", "rabbitmq"), join(copy, "rabbitmq"), { recursive: true });
    const path = join(k8s, file);
    const content = readFileSync(path, "utf8");
    if (!content.includes(text)) {
      console.log(`SELFTEST ${what}: the text to break is no longer in ${file}; update tools/k8s/selftest.mjs`);
      failed++;
      continue;
    }
    // A function, so that "$'" or "$&" in a replacement (regular expressions) are taken literally.
    writeFileSync(path, content.replace(text, () => replacement));
    const rendered = spawnSync(render[0], [...render.slice(1), join(k8s, "overlays", overlay)], { encoding: "utf8" });
    if (rendered.status !== 0) {
      console.log(`SELFTEST ${what}: rendering failed: ${rendered.stderr.trim()}`);
      failed++;
      continue;
    }
    const output = join(copy, "rendered.yaml");
    writeFileSync(output, rendered.stdout);
    const result = spawnSync(
      "node",
      [join(here, "validate.mjs"), overlay, output, join(k8s, "overlays", overlay, "external-objects.txt"), join(copy, "rabbitmq", "permissions")],
      { encoding: "utf8" },
    );
    if (result.status === 1 && result.stdout.includes(expected)) {
      console.log(`caught: ${what} -> ${result.stdout.split("\n").find((l) => l.includes(expected)).replace(/^PROBLEM /, "")}`);
    } else {
      console.log(`SELFTEST ${what}: NOT caught (exit ${result.status}; expected "${expected}")\n${result.stdout}${result.stderr}`);
      failed++;
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
console.log(`selftest: ${cases.length - failed} of ${cases.length} broken copies rejected`);
process.exit(failed > 0 ? 1 : 0);
