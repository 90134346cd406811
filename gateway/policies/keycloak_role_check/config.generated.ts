// generated from apicast-policy.json by gateway/policies/generate-config-types.ts (make policy-types), do not edit

export type KeycloakRoleCheckType = 'whitelist' | 'blacklist';
export type ValueType = 'plain' | 'liquid';
export type KeycloakRoleCheckScopeMethod =
  'ANY' | 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'TRACE' | 'CONNECT';

export interface KeycloakRoleCheckConfig {
  type?: KeycloakRoleCheckType;
  scopes?: KeycloakRoleCheckScope[];
  [k: string]: unknown;
}
export interface KeycloakRoleCheckScope {
  realm_roles?: KeycloakRoleCheckScopeRealmRole[];
  client_roles?: KeycloakRoleCheckScopeClientRole[];
  resource?: string;
  resource_type?: ValueType;
  methods?: KeycloakRoleCheckScopeMethod[];
  [k: string]: unknown;
}
export interface KeycloakRoleCheckScopeRealmRole {
  name?: string;
  name_type?: ValueType;
  [k: string]: unknown;
}
export interface KeycloakRoleCheckScopeClientRole {
  name?: string;
  name_type?: ValueType;
  client?: string;
  client_type?: ValueType;
  [k: string]: unknown;
}
