/**
 * fapi (policies.md §5.42, FAPI 1.0 Baseline and Advanced):
 * - header_filter: the response carries `x-fapi-interaction-id` — the
 *   client's value, else the upstream's, else a UUID v4 generated in rewrite
 *   (and forwarded upstream).
 * - `validate_x_fapi_interaction_id` (our extension): a value that is not a
 *   UUID → 400 `{"error": "invalid_request"}`.
 * - `validate_x_fapi_customer_ip_address`: a header that is not one IPv4/IPv6
 *   address → 403 `{"error": "invalid_request"}`.
 * - `validate_oauth2_certificate_bound_access_token` (RFC 8705): ctx.jwt's
 *   `cnf["x5t#S256"]` must be the thumbprint of the TLS client certificate;
 *   otherwise (no token, no cnf, no or another certificate) 401
 *   `{"error": "invalid_token"}`.
 */
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { Policy, PolicyContext, PolicyFactory } from '../../src/chain/policy.js';
import { certificateThumbprint, confirmationThumbprint } from '../oauth_mtls/index.js';
import type { FapiConfig } from './config.generated.js';

export const INTERACTION_ID = 'x-fapi-interaction-id';
export const CUSTOMER_IP_ADDRESS = 'x-fapi-customer-ip-address';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function refuse(ctx: PolicyContext, status: number, error: string): void {
  ctx.exit(status, { body: `{"error": "${error}"}`, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const factory: PolicyFactory<FapiConfig> = (configuration) => {
  const validateIp = configuration.validate_x_fapi_customer_ip_address === true;
  const validateCertificate = configuration.validate_oauth2_certificate_bound_access_token === true;
  const validateInteractionId = configuration.validate_x_fapi_interaction_id === true;
  /** Per request: the id from the client (accepted) or the one generated for it. */
  const ids = new WeakMap<PolicyContext, { id: string; fromClient: boolean }>();

  return {
    rewrite(ctx: PolicyContext) {
      const values = ctx.request.headers.getAll(INTERACTION_ID).filter((v) => v !== '');
      const sent = values.at(0);
      if (sent !== undefined && (!validateInteractionId || (values.length === 1 && isUuid(sent)))) {
        ids.set(ctx, { id: sent, fromClient: true });
        return;
      }
      const id = randomUUID();
      ids.set(ctx, { id, fromClient: false });
      ctx.request.headers.set(INTERACTION_ID, id);
      if (sent !== undefined) {
        ctx.log.warn('fapi: invalid x-fapi-interaction-id');
        refuse(ctx, 400, 'invalid_request');
      }
    },

    access(ctx: PolicyContext) {
      if (validateCertificate) {
        const expected = confirmationThumbprint(ctx.jwt);
        const pem = ctx.request.tlsClientCertificate;
        const actual = pem ? certificateThumbprint(pem) : undefined;
        if (typeof expected !== 'string' || actual === undefined || expected !== actual) {
          ctx.log.warn({ service: ctx.service?.id }, 'fapi: certificate-bound access token check failed');
          refuse(ctx, 401, 'invalid_token');
          return;
        }
      }
      if (validateIp) {
        const values = ctx.request.headers.getAll(CUSTOMER_IP_ADDRESS);
        // Several values (or a list) are refused: the header names one customer.
        if (values.length > 1 || (values.length === 1 && isIP(values[0].trim()) === 0)) {
          ctx.log.warn('fapi: invalid x-fapi-customer-ip-address');
          refuse(ctx, 403, 'invalid_request');
          return;
        }
      }
    },

    header_filter(ctx: PolicyContext) {
      const known = ids.get(ctx);
      if (known?.fromClient) {
        ctx.response.headers.set(INTERACTION_ID, known.id);
        return;
      }
      const fromUpstream = ctx.response.headers.get(INTERACTION_ID);
      if (fromUpstream !== undefined && fromUpstream !== '') return;
      ctx.response.headers.set(INTERACTION_ID, known?.id ?? randomUUID());
    },
  } satisfies Policy;
};

export default factory;
