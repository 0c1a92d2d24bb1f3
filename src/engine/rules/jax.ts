/** JAX: jax-cuda-mismatch. */
import { IContext } from '../context';
import { fix, pip, RESTART, VERIFY } from '../fixes';
import { IFinding } from '../types';
import { publicVersion } from '../versions';
import { unmetRequirements } from './requirements';

export function jaxCudaMismatch(ctx: IContext): IFinding[] {
  const jax = ctx.facts.frameworks.jax;
  if (!jax?.jaxlib || !Object.keys(jax.plugins).length) {
    return [];
  }
  const jaxlib = publicVersion(jax.jaxlib);
  const problems: string[] = [];
  const evidence = [
    { label: 'jaxlib', value: jax.jaxlib },
    ...Object.entries(jax.plugins).map(([name, v]) => ({
      label: name,
      value: v
    }))
  ];
  let major: string | null = null;
  for (const [plugin, version] of Object.entries(jax.plugins)) {
    major = /jax-cuda(\d+)-/.exec(plugin)?.[1] ?? major;
    if (publicVersion(version) !== jaxlib) {
      problems.push(
        `${plugin} ${version} is not jaxlib ${jaxlib}: the plugin must be the same version as jaxlib`
      );
    }
  }
  const row = ctx.table.jax.rows.find(
    r => r.version === publicVersion(jax.version ?? jaxlib)
  );
  const floors =
    major === '13' ? row?.cuda13 : major === '12' ? row?.cuda12 : null;
  const unmet =
    ctx.os === 'linux'
      ? unmetRequirements(ctx, floors ?? []).filter(u => u.installed)
      : [];
  for (const u of unmet) {
    problems.push(`${u.name} ${u.installed} does not meet ${u.specifier}`);
    evidence.push({
      label: u.name,
      value: `${u.installed} (JAX wants ${u.specifier})`
    });
  }
  if (!problems.length) {
    return [];
  }
  const cuda = major ?? '12';
  return [
    {
      id: 'jax-cuda-mismatch',
      severity: 'error',
      title: `JAX's CUDA plugin does not match: ${problems[0]}`,
      explanation: `${problems.join('; ')}. JAX then fails to initialise its CUDA backend and falls back to the CPU ("An NVIDIA GPU may be present on this machine, but a CUDA-enabled jaxlib is not installed").`,
      evidence,
      fixes: [
        fix(
          `Reinstall JAX with matching CUDA ${cuda} plugins`,
          pip(
            '-U',
            `jax[cuda${cuda}]==${publicVersion(jax.version ?? jaxlib)}`
          ),
          RESTART
        )
      ],
      verify: VERIFY.jax,
      sources: row ? [row.source] : [],
      restart: true
    }
  ];
}
