/**
 * GPU names as NVIDIA's tools print them ("NVIDIA GeForce RTX 5090 D", "NVIDIA A100-SXM4-80GB",
 * "Tesla T4") to compute capability, from the table's `gpu-names` subject: for pasted reports,
 * which name the GPU but do not say its compute capability.
 */
import { ICompatTable } from './table';

const compiled = new WeakMap<object, { test: RegExp; cc: string }[]>();

export function capabilityOf(name: string, table: ICompatTable): string | null {
  const rows = table['gpu-names'].rows;
  let patterns = compiled.get(rows);
  if (!patterns) {
    patterns = rows.map(r => ({
      test: new RegExp(r.pattern, 'i'),
      cc: r.compute_capability
    }));
    compiled.set(rows, patterns);
  }
  const trimmed = name.trim();
  return patterns.find(p => p.test.test(trimmed))?.cc ?? null;
}
