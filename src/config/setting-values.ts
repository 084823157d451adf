/** Reading single settings from an environment: given values, booleans, whole numbers, the port. */

/** The variables a configuration is read from (process.env, or a test's own). */
export type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value, trimmed; undefined when it is missing or blank. */
export function given(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export interface WholeNumberSetting {
  variable: string;
  default: number;
  min: number;
}

export function parseWholeNumbers<K extends string>(
  env: Env,
  settings: Record<K, WholeNumberSetting>,
  problems: string[],
): Record<K, number> {
  const values = {} as Record<K, number>;
  for (const [key, setting] of Object.entries(settings) as [K, WholeNumberSetting][]) {
    const raw = given(env, setting.variable);
    const value = raw === undefined ? setting.default : Number(raw);
    if (
      raw !== undefined &&
      (!/^\d+$/.test(raw) || value < setting.min || !Number.isSafeInteger(value))
    ) {
      problems.push(
        `${setting.variable} must be a whole number of at least ${setting.min} (got "${raw}")`,
      );
    }
    values[key] = value;
  }
  return values;
}

export function parsePort(raw: string, problems: string[], name = 'PORT'): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    problems.push(`${name} must be a whole number from 0 to 65535 (got "${raw}")`);
  }
  return port;
}

export function parseBoolean(name: string, raw: string, problems: string[]): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return false;
}
