/** Hosted runtimes (Colab-style): what the runtime shipped preinstalled. */
import { IContext } from '../context';
import { IHostedRow } from '../table';

/**
 * The baseline of this runtime: the newest table row for it dated on or before its release tag
 * (Colab's tag looks like release-colab_20240626-060133_RC00); without a tag, the newest row
 * (for live facts; a pasted report without a tag has no known baseline).
 */
export function hostedBaseline(ctx: IContext): IHostedRow | null {
  const hosted = ctx.facts.platform.hosted;
  if (!hosted) {
    return null;
  }
  const rows = ctx.table['hosted-runtimes'].rows
    .filter(r => r.runtime === hosted.name)
    .sort((a, b) => a.date.localeCompare(b.date));
  const tag = /(\d{4})(\d{2})(\d{2})/.exec(hosted.release ?? '');
  const until = tag
    ? `${tag[1]}-${tag[2]}-${tag[3]}`
    : (ctx.facts.as_of ?? null);
  if (!until && ctx.facts.partial) {
    return null; // a pasted report of unknown date: the runtime's release is not known
  }
  const eligible = until ? rows.filter(r => r.date <= until) : rows;
  return eligible[eligible.length - 1] ?? null;
}
