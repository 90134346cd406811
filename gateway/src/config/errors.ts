/** A configuration that cannot be used: `field` is a JSON path like `services[0].proxy.policy_chain[1].configuration.rules`. */
export class ConfigurationError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'ConfigurationError';
  }
}
