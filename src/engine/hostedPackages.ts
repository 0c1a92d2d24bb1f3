/**
 * The hosted runtimes' whole package lists (src/compat/hosted-packages.json): large, so kept out
 * of the bundled table; the CLI imports this module, the extension loads it when a target is chosen.
 */
import published from '../compat/hosted-packages.json';
import { IRuntimePackages } from './targets';

export function hostedPackages(): IRuntimePackages {
  return published as unknown as IRuntimePackages;
}
