/**
 * A newer compatibility table than the bundled one, from a setting: an http(s) URL, or a path
 * served by the Jupyter server. Whatever comes back is validated against the table's schema.
 */
import { Contents } from '@jupyterlab/services';
import { Parsed } from './engine/facts';
import { bundledTable, ICompatTable, parseTable } from './engine/table';

export async function loadTable(
  source: string,
  contents: Contents.IManager
): Promise<Parsed<ICompatTable>> {
  if (!source) {
    return { ok: true, value: bundledTable() };
  }
  let text: string;
  try {
    if (/^https?:\/\//i.test(source)) {
      const response = await fetch(source);
      if (!response.ok) {
        return {
          ok: false,
          error: `HTTP ${response.status} ${response.statusText}`
        };
      }
      text = await response.text();
    } else {
      const file = await contents.get(source, {
        content: true,
        format: 'text',
        type: 'file'
      });
      text = String(file.content);
    }
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not JSON (${(error as Error).message})` };
  }
  return parseTable(value);
}
