/**
 * keycloak_role_check (policies.md §5.17): a scope matches when method and
 * resource match and ALL its realm roles are in `realm_access.roles` and all
 * its client roles in `resource_access[client].roles`. whitelist: no
 * matching scope ⇒ deny; blacklist: a matching scope ⇒ deny. Denial = the
 * service's auth-failed response.
 */
import type { PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { compileTemplateValue, liquidScope, type TemplateValue } from '../../src/shared/liquid/index.js';
import { compileResource, type CompiledResource } from '../../src/shared/resources/index.js';
import { jwtClaims } from '../../src/shared/oidc/claims.js';
import type { KeycloakRoleCheckConfig } from './config.generated.js';

interface Scope {
  realmRoles: TemplateValue[];
  clientRoles: { name: TemplateValue; client: TemplateValue }[];
  resource: CompiledResource;
}

function rolesOf(value: unknown): string[] {
  const roles = (value as { roles?: unknown } | undefined)?.roles;
  return Array.isArray(roles) ? roles.map(String) : [];
}

const factory: PolicyFactory<KeycloakRoleCheckConfig> = (configuration, build) => {
  const warn = (m: string) => {
    build.log.warn(m);
  };
  const blacklist = configuration.type === 'blacklist';
  const scopes: Scope[] = (configuration.scopes ?? []).map((s, i) => ({
    realmRoles: (s.realm_roles ?? []).map((r) => compileTemplateValue(r.name, r.name_type, warn)),
    clientRoles: (s.client_roles ?? []).map((r) => ({
      name: compileTemplateValue(r.name, r.name_type, warn),
      client: compileTemplateValue(r.client, r.client_type, warn),
    })),
    resource: compileResource(s.resource ?? '/', s.resource_type, s.methods, `scopes[${i}]`, warn),
  }));

  function scopeMatches(scope: Scope, ctx: PolicyContext, liquid: object, jwt: Record<string, unknown>): boolean {
    if (!scope.resource.matches(liquid, ctx.request.method, ctx.getUri())) return false;
    const realm = rolesOf(jwt['realm_access']);
    if (!scope.realmRoles.every((r) => realm.includes(r.render(liquid)))) return false;
    const resourceAccess = (jwt['resource_access'] ?? {}) as Record<string, unknown>;
    return scope.clientRoles.every((r) => rolesOf(resourceAccess[r.client.render(liquid)]).includes(r.name.render(liquid)));
  }

  return {
    access(ctx: PolicyContext) {
      const jwt = jwtClaims(ctx.jwt);
      const liquid = liquidScope(ctx);
      // No JWT ⇒ no scope matches.
      const matched = jwt !== undefined && scopes.some((s) => scopeMatches(s, ctx, liquid, jwt));
      if (blacklist ? matched : !matched) {
        const error = ctx.service?.errors.authFailed ?? {
          status: 403,
          body: 'Authentication failed',
          contentType: 'text/plain; charset=us-ascii',
        };
        ctx.exit(error.status, { body: error.body, headers: { 'Content-Type': error.contentType } });
      }
    },
  };
};

export default factory;
