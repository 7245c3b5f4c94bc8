import type { ResourceDefinition } from '../resource.js';
import { clusterRoleBindings } from './clusterrolebindings.js';
import { clusterRoles } from './clusterroles.js';
import { roleBindings } from './rolebindings.js';
import { roles } from './roles.js';

/** Every resource of the rbac.authorization.k8s.io group served, preferred version first, in discovery order. */
export const RBAC_RESOURCES: ResourceDefinition[] = [clusterRoleBindings, clusterRoles, roleBindings, roles];
