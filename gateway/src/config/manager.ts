/**
 * One entry point for every configuration source: validate (ajv) → filter →
 * compile → store. Never throws on bad input: returns the error, and the
 * store keeps its last good configuration.
 */
import type { Ajv, ValidateFunction } from 'ajv';
import { createAjv, describeErrors } from '../chain/ajv.js';
import type { CompiledConfiguration } from './compiled.js';
import { compileConfiguration, type CompileDependencies } from './compile.js';
import { ConfigurationError } from './errors.js';
import { CONFIGURATION_SCHEMA } from './schema.js';
import type { ConfigurationStore, StoreOptions } from './store.js';
import type { ConfigurationJson } from './types.js';

export type ApplyResult = { ok: true; services: number; configuration: CompiledConfiguration } | { ok: false; error: ConfigurationError };

export class ConfigurationManager {
  private readonly ajv: Ajv = createAjv({ trusted: true });
  private readonly validateSchema: ValidateFunction;

  constructor(
    readonly store: ConfigurationStore,
    private readonly deps: CompileDependencies,
  ) {
    this.validateSchema = this.ajv.compile(CONFIGURATION_SCHEMA);
  }

  /** Validates and compiles without storing. Throws ConfigurationError. */
  async compile(json: unknown): Promise<CompiledConfiguration> {
    if (json === null || json === undefined) throw new ConfigurationError('(configuration)', 'no configuration (empty or null)');
    if (!this.validateSchema(json)) {
      throw new ConfigurationError('(configuration)', describeErrors(this.validateSchema.errors, 'configuration'));
    }
    return compileConfiguration(json as ConfigurationJson, this.deps);
  }

  /** Validates, compiles and stores (merging, gateway.md §5.3). */
  async apply(json: unknown, origin: string, ttlSeconds?: number, options: StoreOptions = {}): Promise<ApplyResult> {
    try {
      const configuration = await this.compile(json);
      this.store.store(configuration, ttlSeconds ?? this.deps.settings.configurationCache, options);
      this.deps.log.info({ origin }, `configuration from ${origin} stored: ${configuration.services.length} services`);
      return { ok: true, services: configuration.services.length, configuration };
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      this.deps.log.error({ origin }, `configuration from ${origin} rejected, the previous one keeps serving: ${error.message}`);
      return { ok: false, error };
    }
  }

  /** Parses JSON text first; a decoder error is reported like any other. */
  async applyText(text: string, origin: string, ttlSeconds?: number): Promise<ApplyResult> {
    let json: unknown;
    try {
      json = text.trim() === '' ? null : JSON.parse(text);
    } catch (error) {
      const failure = new ConfigurationError('(json)', (error as Error).message);
      this.deps.log.error({ origin }, `configuration from ${origin} is not valid JSON: ${failure.reason}`);
      return { ok: false, error: failure };
    }
    return this.apply(json, origin, ttlSeconds);
  }
}
