/**
 * Where loaded configurations go. The gateway core implements it over its
 * store: validate, compile, then add (gateway.md §5.3) — or change nothing and
 * say why. The portal loaders never touch the store directly, so "a bad new
 * configuration keeps the last good one" is decided in exactly one place.
 */
import type { ConfigurationJson } from '../config/types.js';

export type ApplyResult = { ok: true; services: number } | { ok: false; error: string };

export interface ConfigurationSink {
  /**
   * @param origin  human words for logs, e.g. "portal (configs by host)".
   * @param forHost set by the lazy loader: the configuration is the portal's
   *                whole answer for this host.
   */
  apply(configuration: ConfigurationJson, origin: string, forHost?: string): ApplyResult | Promise<ApplyResult>;
}
