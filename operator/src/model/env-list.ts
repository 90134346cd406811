/** A container env entry with a literal value (the operator's own settings; secret refs are built elsewhere). */
export interface LiteralEnvVar {
  name: string;
  value: string;
}

/**
 * An ordered env list where unset settings leave no entry: the CR fields are optional, and an env var
 * the user did not ask for must not appear (it would override the image's default with an empty string).
 */
export class EnvList {
  readonly vars: LiteralEnvVar[] = [];

  add(name: string, value: string | number | boolean | undefined): void {
    if (value !== undefined) this.vars.push({ name, value: String(value) });
  }
}
