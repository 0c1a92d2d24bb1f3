/** Safe quoting for the commands we generate: they run in a POSIX shell (`!pip`) or IPython magics. */

const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quote one argument. `bitsandbytes>=0.43.1` must be quoted, or the shell reads `>=0.43.1` as a
 * redirection. Single quotes are safe in sh, but IPython expands `{…}` and `$name` in `!`/`%` lines
 * even inside them, so those characters are refused rather than passed through.
 */
export function quoteArg(arg: string): string {
  if (BARE.test(arg)) {
    return arg;
  }
  if (/[$`{}\\"!\n]/.test(arg)) {
    throw new Error(
      `Refusing to generate a command with an unsafe argument: ${JSON.stringify(arg)}`
    );
  }
  return `"${arg}"`;
}

export function joinArgs(args: string[]): string {
  return args.map(quoteArg).join(' ');
}
