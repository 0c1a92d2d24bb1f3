/**
 * The engine's words as gettext messages: the English source text as the message id, with %1, %2 …
 * for the values it names, and those values. Findings carry messages, not sentences; they are
 * rendered in the reader's language only where they are shown — through JupyterLab's translator in
 * the sidebar, through a catalogue in the same JSON format
 * (jupyterlab_gpu_compat/locale/<lang>/LC_MESSAGES/jupyterlab_gpu_compat.json) in report.js and the
 * CLI. scripts/extract_messages.py finds every `t('…')` literal, so a message id is always a literal.
 */

export interface IText {
  msgid: string;
  args?: Arg[];
}

/** A value a message names: a version, path or package name as is, or another message. */
export type Arg = string | number | IText;

/** Looks up a message id and puts the (already rendered) values in: JupyterLab's `trans.__`. */
export type Translate = (msgid: string, ...args: string[]) => string;

/** A message. */
export function t(msgid: string, ...args: Arg[]): IText {
  return args.length ? { msgid, args } : { msgid };
}

/** Sentences one after another, as one message (a language without spaces between them drops it). */
export function sentences(
  ...parts: (IText | null | false | undefined)[]
): IText {
  const present = parts.filter((p): p is IText => !!p);
  return present.reduce((all, part) => t('%1 %2', all, part));
}

/** Items as one list ("a; b; c"), so a language can use its own separator. */
export function listed(items: Arg[]): Arg {
  return items.length
    ? items.reduce((all, item) => t('%1; %2', all, item))
    : '';
}

/** JupyterLab's placeholder rule (Gettext.strfmt): %N is the Nth value, %% a percent sign. */
export function fillIn(template: string, args: string[]): string {
  return template
    .replace(/%%/g, '%% ')
    .replace(/%(\d+)/g, (_, n) => args[Number(n) - 1] ?? '')
    .replace(/%% /g, '%');
}

/** The source text: English. */
export const english: Translate = (msgid, ...args) => fillIn(msgid, args);

/** A translator from a catalogue in JupyterLab's JSON format ({"msgid": ["translation"], "": meta}). */
export function catalogueTranslator(
  catalogue: Record<string, unknown> | null | undefined
): Translate {
  if (!catalogue) {
    return english;
  }
  return (msgid, ...args) => {
    const entry = catalogue[msgid];
    const translated =
      Array.isArray(entry) && typeof entry[0] === 'string' && entry[0]
        ? entry[0]
        : msgid;
    return fillIn(translated, args);
  };
}

export function render(arg: Arg, tr: Translate = english): string {
  if (typeof arg === 'string') {
    return arg;
  }
  if (typeof arg === 'number') {
    return String(arg);
  }
  return tr(arg.msgid, ...(arg.args ?? []).map(a => render(a, tr)));
}

/**
 * The catalogue's language for a locale name as browsers, `LANG` and JupyterLab write it
 * ("zh-CN", "zh_CN.UTF-8", "zh-Hans"), or null for English and the languages without one.
 */
export function catalogueLanguage(
  locale: string | null | undefined,
  available: readonly string[]
): string | null {
  const name = (locale ?? '').split('.')[0].replace('-', '_').toLowerCase();
  const wanted = /^zh(_cn|_sg|_hans.*)?$/.test(name) ? 'zh_CN' : name;
  return available.find(a => a.toLowerCase() === wanted.toLowerCase()) ?? null;
}

/** Words many findings use for a value that is not there. */
export const UNKNOWN = t('unknown');
export const NONE = t('none');
