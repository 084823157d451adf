import { parseArgs } from 'node:util';
import { CommandError, EXIT, message } from './shared';

/** What a backup or restore command was given: its one file and its flags. */
export interface CommandArguments<F extends string> {
  file: string;
  flags: Record<F, boolean>;
}

/**
 * The command line of a command that takes one file and some boolean flags; null after printing
 * the usage for --help. Anything else is a usage error (exit 64).
 */
export function commandArguments<F extends string>(
  usage: string,
  flags: readonly F[],
  missingFile: string,
): CommandArguments<F> | null {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        ...Object.fromEntries(flags.map((f) => [f, { type: 'boolean' as const, default: false }])),
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new CommandError(EXIT.usage, message(error));
  }
  if (parsed.values.help) {
    process.stdout.write(usage);
    return null;
  }
  if (parsed.positionals.length !== 1) {
    throw new CommandError(
      EXIT.usage,
      parsed.positionals.length === 0
        ? missingFile
        : `Give one file (got ${parsed.positionals.length})`,
    );
  }
  const values = parsed.values as Record<string, boolean | undefined>;
  return {
    file: parsed.positionals[0],
    flags: Object.fromEntries(flags.map((f) => [f, values[f] === true])) as Record<F, boolean>,
  };
}

/** Runs a command: a failure's message on stderr (with the usage after a usage error) and its exit code. */
export function runCommand(usage: string, main: () => void | Promise<void>): void {
  const fail = (error: unknown) => {
    process.stderr.write(`${message(error)}\n`);
    if (error instanceof CommandError && error.exitCode === EXIT.usage) {
      process.stderr.write(`\n${usage}`);
    }
    process.exitCode = error instanceof CommandError ? error.exitCode : 1;
  };
  try {
    Promise.resolve(main()).catch(fail);
  } catch (error) {
    fail(error);
  }
}
