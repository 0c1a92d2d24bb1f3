/**
 * A lexer for the shell lines IPython runs (`!cmd`, `%pip …`, `%%bash` cells): words, quotes,
 * operators and redirections, with their positions. `%pip` goes through the shell too, so
 * `%pip install bitsandbytes>=0.43.1` redirects pip's output to a file named `=0.43.1`.
 *
 * One pass, no backtracking: time is linear in the input.
 */

export interface ISpan {
  /** Offsets into the cell's text; `to` is exclusive. */
  from: number;
  to: number;
}

export interface IWord extends ISpan {
  kind: 'word';
  /** The text the command receives: quotes removed, escapes applied. */
  text: string;
  /** Some part was quoted or escaped. */
  quoted: boolean;
  /** Contains an IPython `{expr}` or a `$variable`: its value is only known when it runs. */
  dynamic: boolean;
}

export interface IOperator extends ISpan {
  kind: 'op';
  text: '&&' | '||' | ';' | '|' | '&' | '>' | '>>' | '<' | '>&' | '&>';
  /** Written straight after a word with no space, as in `pkg>=1.0`. */
  glued: boolean;
}

export type Token = IWord | IOperator;

export interface ILexed {
  tokens: Token[];
  /** Why the line could not be read to its end (an unterminated quote, …). */
  error: string | null;
}

/** A logical line: its text and, for every character, its offset in the cell. */
export interface ILogicalLine {
  text: string;
  offsets: number[];
}

const SPACE = /\s/;
const TWO_CHAR_OPERATORS = new Set(['&&', '||', '>>', '>&', '&>']);
// Every two-character operator starts with a one-character one.
const ONE_CHAR_OPERATORS = new Set(['>', '<', ';', '|', '&']);

export function lex(line: ILogicalLine): ILexed {
  const { text, offsets } = line;
  const at = (i: number) => offsets[i] ?? 0;
  /** The cell offset just after the character at i - 1 (continuation lines make offsets jump). */
  const end = (i: number) => (offsets[i - 1] ?? -1) + 1;
  const tokens: Token[] = [];
  let word: IWord | null = null;
  let i = 0;

  const wordAt = (start: number): IWord =>
    (word ??= {
      kind: 'word',
      text: '',
      quoted: false,
      dynamic: false,
      from: at(start),
      to: at(start)
    });
  const endWord = (stop: number) => {
    if (word) {
      word.to = end(stop);
      tokens.push(word);
      word = null;
    }
  };
  const operator = (op: IOperator['text'], start: number) => {
    const glued = word !== null;
    // `2>/dev/null`: a number glued to `>` is a file descriptor, not an argument.
    if (word && !word.quoted && /^\d+$/.test(word.text) && op[0] === '>') {
      word = null;
      tokens.push({
        kind: 'op',
        text: op,
        glued: false,
        from: at(start - 1),
        to: end(start + op.length)
      });
      return;
    }
    endWord(start);
    tokens.push({
      kind: 'op',
      text: op,
      glued,
      from: at(start),
      to: end(start + op.length)
    });
  };

  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (SPACE.test(c)) {
      endWord(i);
      i++;
    } else if (c === '#' && word === null) {
      break; // a comment runs to the end of the line
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) {
        return { tokens, error: 'unterminated single quote' };
      }
      const w = wordAt(i);
      w.text += text.slice(i + 1, close);
      w.quoted = true;
      i = close + 1;
    } else if (c === '"') {
      const w = wordAt(i);
      w.quoted = true;
      i++;
      while (i < text.length && text[i] !== '"') {
        if (
          text[i] === '\\' &&
          i + 1 < text.length &&
          '"\\$`'.includes(text[i + 1])
        ) {
          w.text += text[i + 1];
          i += 2;
        } else {
          if (text[i] === '$' || text[i] === '{' || text[i] === '`') {
            w.dynamic = true;
          }
          w.text += text[i++];
        }
      }
      if (i >= text.length) {
        return { tokens, error: 'unterminated double quote' };
      }
      i++;
    } else if (c === '\\') {
      const w = wordAt(i);
      w.quoted = true;
      w.text += next ?? '';
      i += 2;
    } else if (c === '{') {
      // IPython replaces {expr} with its value before the shell runs: keep it whole.
      let depth = 0;
      let j = i;
      for (; j < text.length; j++) {
        depth += text[j] === '{' ? 1 : text[j] === '}' ? -1 : 0;
        if (depth === 0) {
          break;
        }
      }
      if (j >= text.length) {
        return { tokens, error: 'unbalanced {' };
      }
      const w = wordAt(i);
      w.text += text.slice(i, j + 1);
      w.dynamic = true;
      i = j + 1;
    } else if (c === '$' || c === '`') {
      const w = wordAt(i);
      w.dynamic = true;
      w.text += c;
      i++;
    } else if (ONE_CHAR_OPERATORS.has(c)) {
      const op = TWO_CHAR_OPERATORS.has(c + next) ? c + next : c;
      operator(op as IOperator['text'], i);
      i += op.length;
    } else {
      wordAt(i).text += c;
      i++;
    }
  }
  endWord(i);
  return { tokens, error: null };
}
