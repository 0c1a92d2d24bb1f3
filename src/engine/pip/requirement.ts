/** One requirement argument of `pip install` (PEP 508) or `conda install` (a match spec). */
import { validRange } from '@renovatebot/pep440';
import { normalizeName } from '../rules/requirements';

export interface IRequirementSpec {
  /** PEP 503-normalized name; null when it cannot be known before running (a path, a URL). */
  name: string | null;
  extras: string[];
  /** A PEP 440 specifier set; '' for any version. */
  specifier: string;
  marker: string | null;
  url: string | null;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
/** `torch-2.2.0+cu121-cp311-cp311-linux_x86_64.whl`: the name and version of a wheel file. */
function wheelName(url: string): [string, string] | null {
  const file = url.split(/[?#]/)[0].split('/').pop() ?? '';
  const parts = file.split('-');
  return file.endsWith('.whl') && (parts.length === 5 || parts.length === 6)
    ? [parts[0], parts[1]]
    : null;
}

function fromUrl(url: string): IRequirementSpec {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(url)?.[1];
  const wheel = wheelName(url);
  const name = egg ?? wheel?.[0] ?? null;
  return {
    name: name ? normalizeName(name) : null,
    extras: [],
    specifier: wheel ? `==${wheel[1].replace(/%2B/gi, '+')}` : '',
    marker: null,
    url
  };
}

/** A PEP 508 requirement, a URL or a path; a string that is none of these gives an error message. */
export function parsePipRequirement(text: string): IRequirementSpec | string {
  const trimmed = text.trim();
  const urlOrPath =
    /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ||
    /^[./~]/.test(trimmed) ||
    (/\.(whl|tar\.gz|zip)$/i.test(trimmed) && !trimmed.includes('@'));
  if (urlOrPath) {
    return fromUrl(trimmed);
  }
  const name = NAME.exec(trimmed);
  if (!name) {
    return `"${text}" is not a requirement`;
  }
  let rest = trimmed.slice(name[1].length).trimStart();
  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) {
      return `"${text}": unclosed [extras]`;
    }
    extras = rest
      .slice(1, close)
      .split(',')
      .map(e => normalizeName(e.trim()))
      .filter(Boolean);
    rest = rest.slice(close + 1).trimStart();
  }
  const semicolon = rest.indexOf(';');
  const marker = semicolon >= 0 ? rest.slice(semicolon + 1).trim() : null;
  let specifier = (semicolon >= 0 ? rest.slice(0, semicolon) : rest).trim();
  if (specifier.startsWith('@')) {
    return {
      ...fromUrl(specifier.slice(1).trim()),
      name: normalizeName(name[1]),
      extras,
      marker
    };
  }
  if (specifier.startsWith('(') && specifier.endsWith(')')) {
    specifier = specifier.slice(1, -1);
  }
  specifier = specifier.replace(/\s+/g, '');
  if (specifier && !validRange(specifier)) {
    return `"${specifier}" is not a valid version specifier`;
  }
  return { name: normalizeName(name[1]), extras, specifier, marker, url: null };
}

/** conda's package names that differ from the Python distribution's. */
const CONDA_NAMES: Record<string, string> = {
  pytorch: 'torch',
  'pytorch-gpu': 'torch',
  'pytorch-cpu': 'torch',
  'tensorflow-gpu': 'tensorflow'
};

/** A conda match spec: `name`, `name=1.2` (meaning 1.2.*), `name>=1.2,<2`, `name 1.2.*`, `channel::name`. */
export function parseCondaSpec(text: string): IRequirementSpec | string {
  const spec = text.trim().replace(/^[^:\s]+::/, '');
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$/.exec(spec);
  if (!match) {
    return `"${text}" is not a conda package spec`;
  }
  const base = normalizeName(match[1]);
  // `name=1.2=build`: the build string does not matter here.
  const version = match[2].replace(/\s+/g, '').replace(/^(=?=[^=]+)=.*$/, '$1');
  let specifier = version;
  if (/^=[^=]/.test(version)) {
    specifier = `==${version.slice(1)}${version.endsWith('*') ? '' : '.*'}`;
  } else if (/^[0-9]/.test(version)) {
    specifier = `==${version}`;
  }
  if (specifier && !validRange(specifier)) {
    return `"${version}" is not a version spec conda would read the same way`;
  }
  return {
    name: CONDA_NAMES[base] ?? base,
    extras: [],
    specifier,
    marker: null,
    url: null
  };
}
