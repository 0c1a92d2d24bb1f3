/** Safe quoting for the commands we generate: they run in a POSIX shell (`!pip`) or IPython magics. */

const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quote one argument. `bitsandbytes>=0.43.1` must be quoted, or the shell reads `>=0.43.1` as a
 * redirection. Double quotes work in sh and in Windows' cmd (where IPython runs `!` lines);
 * `!=` is safe in them because `sh -c` does no history expansion. IPython expands `{…}` and
 * `$name` in `!`/`%` lines even inside quotes, so those characters are refused, never passed on.
 */
export function quoteArg(arg: string): string {
  if (BARE.test(arg)) {
    return arg;
  }
  if (/[$`{}\\"\n]/.test(arg)) {
    throw new Error(
      `Refusing to generate a command with an unsafe argument: ${JSON.stringify(arg)}`
    );
  }
  return `"${arg}"`;
}

export function joinArgs(args: string[]): string {
  return args.map(quoteArg).join(' ');
}
