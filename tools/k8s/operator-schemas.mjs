// JSON Schemas for the operators' custom resources that deploy/k8s uses: Strimzi (Kafka, KafkaNodePool,
// KafkaTopic, KafkaUser), the RabbitMQ Cluster Operator (RabbitmqCluster) and Messaging Topology Operator (User,
// Permission), CloudNativePG (Cluster, Database) and the Keycloak operator (Keycloak, KeycloakRealmImport).
//
// Why hand-written: none of the registries this project can reach (Maven Central, npm, Debian) ships these
// operators' CRDs (io.strimzi:api has the Java model only; there is no kubernetes-models package for them).
// So these are SUBSETS of the real CRD schemas, transcribed from the operators' API references for the fields
// this repository uses, and they are strict: a field that is not listed here is an error. They catch typos,
// misplaced fields, wrong types and missing required fields; they cannot tell whether a field that the real
// CRD has, but this file does not list, would be accepted (add it here, checking the operator's API reference,
// when the manifests start using it). Free-form maps the operators pass through (Kafka broker config, topic
// config, PostgreSQL parameters) are checked for value types only.

const str = { type: "string" };
const int = { type: "integer" };
const bool = { type: "boolean" };
const quantity = { anyOf: [{ type: "string", pattern: "^[0-9.]+([EPTGMk]i?|m)?$" }, { type: "number" }] };
const strict = (properties, required = []) => ({ type: "object", properties, required, additionalProperties: false });
const resources = strict({
  requests: strict({ cpu: quantity, memory: quantity }),
  limits: strict({ cpu: quantity, memory: quantity }),
});
// Affinity is validated against the Kubernetes schema by validate.mjs (it is a core type); here only its shape.
const affinity = { type: "object" };
const metadata = strict(
  {
    name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", maxLength: 253 },
    namespace: str,
    labels: { type: "object", additionalProperties: str },
    annotations: { type: "object", additionalProperties: str },
  },
  ["name"],
);
const resource = (apiVersion, kind, spec) =>
  strict({ apiVersion: { const: apiVersion }, kind: { const: kind }, metadata, spec }, ["apiVersion", "kind", "metadata", "spec"]);
const scalarMap = { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } };

// Strimzi, kafka.strimzi.io/v1beta2 (https://strimzi.io/docs/operators/latest/configuring.html#api_reference).
const kafkaNodePool = resource(
  "kafka.strimzi.io/v1beta2",
  "KafkaNodePool",
  strict(
    {
      replicas: { type: "integer", minimum: 0 },
      roles: { type: "array", minItems: 1, items: { enum: ["controller", "broker"] }, uniqueItems: true },
      storage: strict(
        {
          type: { enum: ["jbod", "persistent-claim", "ephemeral"] },
          volumes: {
            type: "array",
            items: strict(
              {
                id: int,
                type: { enum: ["persistent-claim", "ephemeral"] },
                size: str,
                class: str,
                deleteClaim: bool,
                kraftMetadata: { enum: ["shared"] },
              },
              ["type"],
            ),
          },
        },
        ["type"],
      ),
      resources,
      jvmOptions: { type: "object" },
    },
    ["replicas", "roles", "storage"],
  ),
);
const kafka = resource(
  "kafka.strimzi.io/v1beta2",
  "Kafka",
  strict(
    {
      kafka: strict(
        {
          version: str,
          metadataVersion: str,
          listeners: {
            type: "array",
            minItems: 1,
            items: strict(
              {
                name: { type: "string", pattern: "^[a-z0-9]{1,11}$" },
                port: { type: "integer", minimum: 9092 },
                type: { enum: ["internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip"] },
                tls: bool,
                // KafkaListenerAuthentication*: only the type is used here (oauth and custom take more fields).
                authentication: strict({ type: { enum: ["tls", "scram-sha-512", "oauth", "custom"] } }, ["type"]),
              },
              ["name", "port", "type", "tls"],
            ),
          },
          // KafkaAuthorizationSimple (Kafka's StandardAuthorizer; ACLs come from the KafkaUsers). The other types
          // (keycloak, custom) are not used here.
          authorization: strict({ type: { const: "simple" }, superUsers: { type: "array", items: str } }, ["type"]),
          config: scalarMap,
          template: strict({ pod: strict({ affinity }) }),
        },
        ["listeners"],
      ),
      entityOperator: strict({ topicOperator: { type: "object" }, userOperator: { type: "object" } }),
    },
    ["kafka"],
  ),
);
const kafkaTopic = resource(
  "kafka.strimzi.io/v1beta2",
  "KafkaTopic",
  strict({ topicName: str, partitions: { type: "integer", minimum: 1 }, replicas: { type: "integer", minimum: 1 }, config: scalarMap }),
);

// KafkaUser (the User Operator; AclRule as in the CRD's kafka.strimzi.io/v1beta2 schema, with `operations`, not the
// deprecated singular `operation`).
const aclRule = strict(
  {
    type: { enum: ["allow", "deny"] },
    resource: strict(
      {
        type: { enum: ["topic", "group", "cluster", "transactionalId"] },
        name: str,
        patternType: { enum: ["literal", "prefix"] },
      },
      ["type"],
    ),
    host: str,
    operations: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: {
        enum: ["Read", "Write", "Create", "Delete", "Alter", "Describe", "ClusterAction", "AlterConfigs", "DescribeConfigs", "IdempotentWrite", "All"],
      },
    },
  },
  ["resource", "operations"],
);
const kafkaUser = resource(
  "kafka.strimzi.io/v1beta2",
  "KafkaUser",
  strict({
    authentication: strict({ type: { enum: ["tls", "tls-external", "scram-sha-512"] } }, ["type"]),
    authorization: strict({ type: { const: "simple" }, acls: { type: "array", items: aclRule } }, ["type", "acls"]),
    quotas: strict({ producerByteRate: int, consumerByteRate: int, requestPercentage: int, controllerMutationRate: { type: "number" } }),
  }),
);

// RabbitMQ Cluster Operator, rabbitmq.com/v1beta1 (https://www.rabbitmq.com/kubernetes/operator/using-operator).
const rabbitmqCluster = resource(
  "rabbitmq.com/v1beta1",
  "RabbitmqCluster",
  strict({
    replicas: { type: "integer", minimum: 0 },
    image: str,
    resources,
    persistence: strict({ storageClassName: str, storage: quantity }),
    rabbitmq: strict({ additionalConfig: str, advancedConfig: str, envConfig: str, additionalPlugins: { type: "array", items: str } }),
    affinity,
    terminationGracePeriodSeconds: int,
  }),
);

// RabbitMQ Messaging Topology Operator, rabbitmq.com/v1beta1 (its api/v1beta1 user_types.go, permission_types.go,
// rabbitmq_cluster_reference.go; https://www.rabbitmq.com/kubernetes/operator/using-topology-operator).
const localObjectReference = strict({ name: str }, ["name"]);
const rabbitmqClusterReference = strict({ name: str, namespace: str, connectionSecret: localObjectReference });
const rabbitUser = resource(
  "rabbitmq.com/v1beta1",
  "User",
  strict(
    {
      tags: { type: "array", items: { enum: ["management", "policymaker", "monitoring", "administrator"] } },
      rabbitmqClusterReference,
      importCredentialsSecret: localObjectReference,
    },
    ["rabbitmqClusterReference"],
  ),
);
const rabbitPermission = resource(
  "rabbitmq.com/v1beta1",
  "Permission",
  {
    ...strict(
      {
        user: str,
        userReference: localObjectReference,
        vhost: str,
        permissions: strict({ configure: str, write: str, read: str }),
        rabbitmqClusterReference,
      },
      ["vhost", "permissions", "rabbitmqClusterReference"],
    ),
    // "must provide user or userReference", not both (the operator's webhook).
    oneOf: [
      { properties: { user: str }, required: ["user"] },
      { properties: { userReference: localObjectReference }, required: ["userReference"] },
    ],
  },
);

// CloudNativePG, postgresql.cnpg.io/v1 (https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/).
const cnpgCluster = resource(
  "postgresql.cnpg.io/v1",
  "Cluster",
  strict(
    {
      instances: { type: "integer", minimum: 1 },
      imageName: str,
      postgresql: strict({
        parameters: { type: "object", additionalProperties: str },
        synchronous: strict({ method: { enum: ["any", "first"] }, number: { type: "integer", minimum: 1 } }, ["method", "number"]),
      }),
      bootstrap: strict({ initdb: strict({ database: str, owner: str, secret: strict({ name: str }, ["name"]) }) }),
      storage: strict({ size: quantity, storageClass: str }),
      resources,
      affinity: strict({ enablePodAntiAffinity: bool, topologyKey: str, podAntiAffinityType: { enum: ["preferred", "required"] } }),
    },
    ["instances"],
  ),
);
const cnpgDatabase = resource(
  "postgresql.cnpg.io/v1",
  "Database",
  strict({ cluster: strict({ name: str }, ["name"]), name: str, owner: str, ensure: { enum: ["present", "absent"] } }, ["cluster", "name", "owner"]),
);

// Keycloak operator, k8s.keycloak.org/v2alpha1 (https://www.keycloak.org/operator/advanced-configuration; the CRDs
// of keycloak/keycloak-k8s-resources).
const secretKey = strict({ name: str, key: str, optional: bool }, ["name", "key"]);
const keycloak = resource(
  "k8s.keycloak.org/v2alpha1",
  "Keycloak",
  strict({
    instances: { type: "integer", minimum: 1 },
    image: str,
    db: strict(
      {
        vendor: { enum: ["dev-file", "dev-mem", "postgres", "mariadb", "mysql", "mssql", "oracle"] },
        host: str,
        port: int,
        database: str,
        schema: str,
        url: str,
        usernameSecret: secretKey,
        passwordSecret: secretKey,
        poolInitialSize: int,
        poolMinSize: int,
        poolMaxSize: int,
      },
      ["vendor"],
    ),
    http: strict({ httpEnabled: bool, httpPort: int, httpsPort: int, tlsSecret: str }),
    hostname: strict({ hostname: str, admin: str, strict: bool, backchannelDynamic: bool }),
    proxy: strict({ headers: { enum: ["forwarded", "xforwarded"] } }),
    ingress: strict({ enabled: bool, className: str, annotations: { type: "object", additionalProperties: str } }),
    bootstrapAdmin: strict({ user: strict({ secret: str }, ["secret"]), service: strict({ secret: str }, ["secret"]) }),
    resources,
    additionalOptions: { type: "array", items: strict({ name: str, value: str, secret: secretKey }, ["name"]) },
    features: strict({ enabled: { type: "array", items: str }, disabled: { type: "array", items: str } }),
  }),
);
// The realm is Keycloak's RealmRepresentation (hundreds of fields): strict for the parts this repository writes, so a
// misspelt client or scope field is caught; values are checked for their types.
const stringList = { type: "array", items: str };
const protocolMapper = strict(
  { name: str, protocol: { const: "openid-connect" }, protocolMapper: str, consentRequired: bool, config: { type: "object", additionalProperties: str } },
  ["name", "protocol", "protocolMapper"],
);
const realmRepresentation = strict(
  {
    realm: str,
    displayName: str,
    enabled: bool,
    sslRequired: { enum: ["all", "external", "none"] },
    accessTokenLifespan: int,
    bruteForceProtected: bool,
    registrationAllowed: bool,
    loginWithEmailAllowed: bool,
    duplicateEmailsAllowed: bool,
    resetPasswordAllowed: bool,
    editUsernameAllowed: bool,
    roles: strict({ realm: { type: "array", items: strict({ name: str, description: str }, ["name"]) } }),
    clientScopes: {
      type: "array",
      items: strict(
        {
          name: str,
          description: str,
          protocol: { const: "openid-connect" },
          attributes: { type: "object", additionalProperties: str },
          protocolMappers: { type: "array", items: protocolMapper },
        },
        ["name", "protocol"],
      ),
    },
    defaultDefaultClientScopes: stringList,
    defaultOptionalClientScopes: stringList,
    clients: {
      type: "array",
      items: strict(
        {
          clientId: str,
          name: str,
          description: str,
          enabled: bool,
          protocol: { const: "openid-connect" },
          publicClient: bool,
          clientAuthenticatorType: str,
          secret: str,
          standardFlowEnabled: bool,
          implicitFlowEnabled: bool,
          directAccessGrantsEnabled: bool,
          serviceAccountsEnabled: bool,
          frontchannelLogout: bool,
          redirectUris: stringList,
          webOrigins: stringList,
          attributes: { type: "object", additionalProperties: str },
          defaultClientScopes: stringList,
          optionalClientScopes: stringList,
        },
        ["clientId"],
      ),
    },
  },
  ["realm"],
);
const keycloakRealmImport = resource(
  "k8s.keycloak.org/v2alpha1",
  "KeycloakRealmImport",
  strict(
    {
      keycloakCRName: str,
      realm: realmRepresentation,
      placeholders: { type: "object", additionalProperties: strict({ secret: secretKey }, ["secret"]) },
      resources,
    },
    ["keycloakCRName", "realm"],
  ),
);

export const operatorSchemas = {
  "kafka.strimzi.io/v1beta2 Kafka": kafka,
  "kafka.strimzi.io/v1beta2 KafkaNodePool": kafkaNodePool,
  "kafka.strimzi.io/v1beta2 KafkaTopic": kafkaTopic,
  "kafka.strimzi.io/v1beta2 KafkaUser": kafkaUser,
  "rabbitmq.com/v1beta1 RabbitmqCluster": rabbitmqCluster,
  "rabbitmq.com/v1beta1 User": rabbitUser,
  "rabbitmq.com/v1beta1 Permission": rabbitPermission,
  "postgresql.cnpg.io/v1 Cluster": cnpgCluster,
  "postgresql.cnpg.io/v1 Database": cnpgDatabase,
  "k8s.keycloak.org/v2alpha1 Keycloak": keycloak,
  "k8s.keycloak.org/v2alpha1 KeycloakRealmImport": keycloakRealmImport,
};

// Parts of these custom resources that are Kubernetes core types, validated strictly by validate.mjs with the
// official schema: [path inside the resource, core definition].
export const embeddedCoreTypes = {
  "kafka.strimzi.io/v1beta2 Kafka": [[["spec", "kafka", "template", "pod", "affinity"], "IoK8sApiCoreV1Affinity"]],
  "rabbitmq.com/v1beta1 RabbitmqCluster": [[["spec", "affinity"], "IoK8sApiCoreV1Affinity"]],
};
