/**
 * Ask the kernel's own pip (or uv, for a `uv pip` cell) what an install command will change, without
 * changing anything: `PYTHON -m pip install --dry-run --quiet --report - ARGS` (`uv pip install
 * --dry-run --python PYTHON ARGS`), as a subprocess with an argument list
 * (never a shell), a time limit, and its whole process group killed past it. pip reads its own
 * configuration (indexes, extra index URLs), so private indexes are honoured and nothing goes
 * anywhere pip would not go.
 */
import { spawn } from 'child_process';
import { IInstallCommand } from './engine/pip/parse';
import { PipAnswer, uvPlanReport } from './engine/resolved';

export type Resolution = PipAnswer;

/** The arguments of a resolvable command: `pip install …` / `uv pip install …` without a dynamic word. */
export function pipArguments(command: IInstallCommand): string[] | null {
  if (
    (command.tool !== 'pip' && command.tool !== 'uv') ||
    command.action !== 'install' ||
    !command.argv
  ) {
    return null;
  }
  const [action, ...rest] = command.argv;
  return action === 'install' ? rest.filter(a => a !== '--dry-run') : null;
}

export function resolveWithPip(
  python: string,
  command: IInstallCommand,
  timeoutMs: number
): Promise<Resolution> {
  const args = pipArguments(command);
  if (!args) {
    return Promise.resolve({
      ok: false,
      reason:
        command.argv === null
          ? 'an argument is only known when the cell runs ({var} or $VAR)'
          : `only pip and uv pip install commands are resolved (this is ${command.tool} ${command.action})`
    });
  }
  return new Promise(resolve => {
    // pip colours the JSON it prints when FORCE_COLOR is set, whatever --no-color says.
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    const uv = command.tool === 'uv';
    const child = uv
      ? spawn(
          'uv',
          ['pip', 'install', '--dry-run', '--python', python, ...args],
          {
            detached: true,
            env,
            stdio: ['ignore', 'pipe', 'pipe']
          }
        )
      : spawn(
          python,
          [
            '-m',
            'pip',
            'install',
            '--dry-run',
            '--quiet',
            '--no-color',
            '--report',
            '-',
            ...args
          ],
          { detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] }
        );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => (stdout += String(chunk)));
    child.stderr.on('data', chunk => (stderr += String(chunk)));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the group: pip and whatever it started
      } catch {
        child.kill('SIGKILL');
      }
      resolve({
        ok: false,
        reason: `pip did not answer within ${Math.round(timeoutMs / 1000)} s (an index that does not answer?)`
      });
    }, timeoutMs);
    child.on('error', error => {
      clearTimeout(timer);
      resolve({
        ok: false,
        reason: `could not run ${python}: ${error.message}`
      });
    });
    child.on('close', code => {
      clearTimeout(timer);
      if (code !== 0) {
        resolve({
          ok: false,
          reason: `${command.tool} could not resolve it (exit ${code})`,
          stderr
        });
        return;
      }
      if (uv) {
        resolve({ ok: true, report: uvPlanReport(stdout + stderr) });
        return;
      }
      try {
        resolve({ ok: true, report: JSON.parse(stdout) });
      } catch {
        resolve({ ok: false, reason: "pip's report is not JSON", stderr });
      }
    });
  });
}
