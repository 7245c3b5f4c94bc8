/**
 * tskube's own descriptions of rbac.authorization.k8s.io/v1 types and fields ('Type' or
 * 'Type.field' → text), merged into the generated v1.ts by scripts/gen-api-types.mjs.
 */
export const RBAC_V1_DESCRIPTIONS: Record<string, string> = {
  Role: 'A set of permissions within one namespace.',
  'Role.rules': 'The permissions the role grants.',
  RoleBinding: 'Grants the permissions of a role, or of a cluster role within this namespace, to subjects.',
  'RoleBinding.subjects': 'The users, groups and service accounts granted the role.',
  'RoleBinding.roleRef': 'The role granted; cannot change once set.',
  ClusterRole: 'A set of permissions, cluster-wide or for use in role bindings in any namespace.',
  'ClusterRole.rules': 'The permissions the role grants.',
  'ClusterRole.aggregationRule': 'Selects other cluster roles whose rules are merged into this one by a controller.',
  ClusterRoleBinding: 'Grants the permissions of a cluster role to subjects across the cluster.',
  'ClusterRoleBinding.subjects': 'The users, groups and service accounts granted the role.',
  'ClusterRoleBinding.roleRef': 'The cluster role granted; cannot change once set.',
  PolicyRule: 'One permission: verbs allowed on resources or on non-resource URLs.',
  'PolicyRule.verbs': 'The verbs allowed, such as get, list and watch; * for all.',
  'PolicyRule.apiGroups': 'The API groups of the resources; "" for the core group, * for all.',
  'PolicyRule.resources': 'The resources, such as pods or pods/log; * for all.',
  'PolicyRule.resourceNames': 'The objects, by name, the rule is limited to; all when empty.',
  'PolicyRule.nonResourceURLs': 'URL paths outside the resource API, such as /healthz; cluster roles only.',
  Subject: 'A user, group or service account a binding grants permissions to.',
  'Subject.kind': 'User, Group or ServiceAccount.',
  'Subject.apiGroup': 'rbac.authorization.k8s.io for users and groups; empty for service accounts.',
  'Subject.name': 'The name of the subject.',
  'Subject.namespace': 'The namespace of a service account.',
  RoleRef: 'A reference to the role a binding grants.',
  'RoleRef.apiGroup': 'The API group of the role, rbac.authorization.k8s.io.',
  'RoleRef.kind': 'Role or ClusterRole.',
  'RoleRef.name': 'The name of the role.',
  AggregationRule: 'How a cluster role gathers the rules of others.',
  'AggregationRule.clusterRoleSelectors': 'Label selectors of the cluster roles whose rules are merged in.',
};
