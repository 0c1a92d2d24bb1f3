#!/usr/bin/env node
/**
 * jupyterlab-gpu-compat diagnose --facts FILE|- [--json]
 *
 * The engine from the command line, for CI and container images:
 *   python -m jupyterlab_gpu_compat.probe | npx jupyterlab-gpu-compat diagnose -
 * Exit status: 0 nothing wrong, 1 errors found, 2 bad input.
 */
import { readFileSync } from 'fs';
import { diagnose } from './engine/diagnose';
import { parseFacts } from './engine/facts';
import { renderShell } from './engine/fixes';
import { bundledTable, tableDate } from './engine/table';
import { IFinding } from './engine/types';

const USAGE = `usage: jupyterlab-gpu-compat diagnose --facts FILE|- [--json]
  FILE holds the JSON printed by \`python -m jupyterlab_gpu_compat.probe\`; - reads it from stdin.`;

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function readInput(path: string): unknown {
  const text = readFileSync(path === '-' ? 0 : path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `${path === '-' ? 'stdin' : path} is not JSON: ${(error as Error).message}`
    );
  }
}

function report(findings: IFinding[]): string {
  if (!findings.length) {
    return 'No problems found.';
  }
  return findings
    .map(f => {
      const lines = [
        `${f.severity.toUpperCase()} ${f.id}: ${f.title}`,
        `  ${f.explanation}`
      ];
      f.evidence.forEach(e => lines.push(`  - ${e.label}: ${e.value}`));
      f.fixes.forEach(fix =>
        lines.push(
          `  fix: ${fix.title}`,
          ...renderShell(fix)
            .split('\n')
            .map(l => `    ${l}`)
        )
      );
      return lines.join('\n');
    })
    .join('\n\n');
}

export function main(argv: string[]): number {
  const [command, ...args] = argv;
  try {
    if (command !== 'diagnose') {
      throw new UsageError(
        command ? `unknown command: ${command}` : 'no command given'
      );
    }
    const source =
      option(args, '--facts') ??
      args.find(a => a === '-' || !a.startsWith('--'));
    if (!source) {
      throw new UsageError('diagnose needs --facts FILE or -');
    }
    const parsed = parseFacts(readInput(source));
    if (!parsed.ok) {
      throw new UsageError(parsed.error);
    }
    const findings = diagnose(parsed.value, bundledTable());
    if (args.includes('--json')) {
      process.stdout.write(
        JSON.stringify(
          { table_date: tableDate(bundledTable()), findings },
          null,
          2
        ) + '\n'
      );
    } else {
      process.stdout.write(report(findings) + '\n');
    }
    return findings.some(f => f.severity === 'error') ? 1 : 0;
  } catch (error) {
    process.stderr.write(
      `jupyterlab-gpu-compat: ${(error as Error).message}\n${error instanceof UsageError ? USAGE + '\n' : ''}`
    );
    return 2;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
