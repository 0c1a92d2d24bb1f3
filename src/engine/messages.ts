/**
 * The catalogue of real log lines (src/messages/*.json): what each means, the parameters it carries,
 * where the framework prints it, and a real example. One pass finds the candidate lines of a whole
 * log (needles.ts), and only those are matched against their entries' patterns.
 */
import core from '../messages/core.json';
import jaxBnbPip from '../messages/jax-bnb-pip.json';
import tensorflow from '../messages/tensorflow.json';
import torch from '../messages/torch.json';
import messagesSchema from '../schemas/messages.schema.json';
import { ISchema, validate } from './jsonSchema';
import { literalNeedles, NeedleSet } from './needles';
import { FindingId, Severity } from './types';

export type ParamKind =
  | 'cuda-int'
  | 'cuda'
  | 'version'
  | 'cudnn-tuple'
  | 'cudnn-int'
  | 'sm'
  | 'arch-list'
  | 'library'
  | 'package'
  | 'text';

export interface IMessageEntry {
  id: string;
  pattern: string;
  /** A finding id, or 'benign': a line that looks alarming and needs no action. */
  finding: FindingId | 'benign';
  severity: Severity;
  /** The finding's title when only the log line speaks. */
  title: string;
  why: string;
  params?: Record<string, ParamKind>;
  expect_params?: Record<string, string>;
  /** Literal parts of the line (found before the pattern is tried); derived from the pattern when absent. */
  needles?: string[];
  /** A generic entry: tried only when no specific one matches the line. */
  fallback?: boolean;
  emitted_by?: string;
  examples: { line: string; url: string }[];
}

export interface IMessageMatch {
  entry: IMessageEntry;
  /** 1-based line number in the text. */
  line: number;
  text: string;
  /** The parameters, read as their kinds say (found version 12080 -> "12.8"). */
  params: Record<string, string>;
}

/** A parameter as its kind reads it. */
export function readParam(kind: ParamKind, raw: string): string {
  const n = Number(raw);
  switch (kind) {
    case 'cuda-int':
      return Number.isFinite(n)
        ? `${Math.floor(n / 1000)}.${Math.floor((n % 1000) / 10)}`
        : raw;
    case 'cudnn-int':
      // cuDNN 9 encodes major*10000 + minor*100 + patch; cuDNN 8 major*1000 + minor*100 + patch.
      return !Number.isFinite(n)
        ? raw
        : n >= 10000
          ? `${Math.floor(n / 10000)}.${Math.floor((n % 10000) / 100)}.${n % 100}`
          : `${Math.floor(n / 1000)}.${Math.floor((n % 1000) / 100)}.${n % 100}`;
    case 'cudnn-tuple':
      return raw
        .split(/\s*,\s*/)
        .map(s => s.trim())
        .join('.');
    case 'sm': {
      const digits = /^(?:sm_|compute_)?(\d+)(\d)$/.exec(raw.trim());
      return digits ? `${digits[1]}.${digits[2]}` : raw.trim();
    }
    case 'arch-list':
      return raw
        .split(/[\s,]+/)
        .filter(Boolean)
        .join(' ');
    default:
      return raw.trim();
  }
}

export interface ICatalogue {
  entries: IMessageEntry[];
  patterns: RegExp[];
  needles: NeedleSet;
  /** For each needle, the entry it belongs to. */
  needleEntry: number[];
}

/** Check and compile a catalogue; a file that fails its schema or a pattern without needles is a build defect. */
export function compileCatalogue(files: unknown[]): ICatalogue {
  const entries: IMessageEntry[] = [];
  for (const file of files) {
    const errors = validate(file, messagesSchema as ISchema);
    if (errors.length) {
      throw new Error(
        `A message catalogue does not match its schema: ${errors
          .slice(0, 3)
          .map(e => `${e.path} ${e.message}`)
          .join('; ')}`
      );
    }
    entries.push(...(file as { entries: IMessageEntry[] }).entries);
  }
  // Specific entries first, in catalogue order; the generic ones after them.
  entries.sort((a, b) => Number(!!a.fallback) - Number(!!b.fallback));
  const needles: string[] = [];
  const needleEntry: number[] = [];
  entries.forEach((entry, index) => {
    const own = entry.needles ?? literalNeedles(entry.pattern);
    if (!own) {
      throw new Error(
        `Message ${entry.id}: its pattern has no literal part of 5 characters; give it "needles"`
      );
    }
    for (const needle of own) {
      needles.push(needle);
      needleEntry.push(index);
    }
  });
  return {
    entries,
    patterns: entries.map(e => new RegExp(e.pattern)),
    needles: new NeedleSet(needles),
    needleEntry
  };
}

let bundled: ICatalogue | null = null;

/** The catalogue bundled with the engine (compiled once). */
export function bundledCatalogue(): ICatalogue {
  bundled ??= compileCatalogue([torch, tensorflow, jaxBnbPip, core]);
  return bundled;
}

/** Long lines are cut before matching, so time stays linear in the input. */
const MAX_LINE = 4000;

/** Every catalogued message in a text, in line order; a line matches at most one entry (the first). */
export function findMessages(
  text: string,
  catalogue: ICatalogue = bundledCatalogue()
): IMessageMatch[] {
  // One pass over the whole text finds the lines holding a needle, and which entries they may be.
  const candidates = new Map<number, Set<number>>();
  const starts = lineStarts(text);
  let line = 0;
  catalogue.needles.scan(text, (needle, end) => {
    while (line + 1 < starts.length && starts[line + 1] < end) {
      line++;
    }
    const entries = candidates.get(line) ?? new Set<number>();
    entries.add(catalogue.needleEntry[needle]);
    candidates.set(line, entries);
  });
  const matches: IMessageMatch[] = [];
  for (const [index, entries] of [...candidates].sort((a, b) => a[0] - b[0])) {
    const end = index + 1 < starts.length ? starts[index + 1] - 1 : text.length;
    const raw = text.slice(starts[index], end).replace(/\r$/, '');
    const lineText = raw.length > MAX_LINE ? raw.slice(0, MAX_LINE) : raw;
    for (const entryIndex of [...entries].sort((a, b) => a - b)) {
      const match = catalogue.patterns[entryIndex].exec(lineText);
      if (!match) {
        continue;
      }
      const entry = catalogue.entries[entryIndex];
      const params: Record<string, string> = {};
      for (const [name, kind] of Object.entries(entry.params ?? {})) {
        const value = match.groups?.[name];
        if (value !== undefined) {
          params[name] = readParam(kind, value);
        }
      }
      matches.push({ entry, line: index + 1, text: lineText.trim(), params });
      break;
    }
  }
  return matches;
}

/** The index where each line of `text` starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}
