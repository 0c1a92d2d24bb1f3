/**
 * Many literal needles found in one pass over a text (Aho-Corasick), so that a catalogue of a few
 * hundred message patterns is tried only on the lines that contain one of their literal parts:
 * time linear in the text, whatever the catalogue's size.
 */

interface INode {
  /** Transitions by UTF-16 code unit. */
  next: Map<number, number>;
  fail: number;
  /** Needle indexes that end here (including through fail links). */
  out: number[];
}

export class NeedleSet {
  private nodes: INode[] = [{ next: new Map(), fail: 0, out: [] }];

  constructor(needles: string[]) {
    needles.forEach((needle, index) => {
      let state = 0;
      for (let i = 0; i < needle.length; i++) {
        const ch = needle.charCodeAt(i);
        let target = this.nodes[state].next.get(ch);
        if (target === undefined) {
          target = this.nodes.length;
          this.nodes.push({ next: new Map(), fail: 0, out: [] });
          this.nodes[state].next.set(ch, target);
        }
        state = target;
      }
      this.nodes[state].out.push(index);
    });
    // Breadth-first: each node's fail link is the longest proper suffix that is also a prefix.
    const queue = [...this.nodes[0].next.values()];
    while (queue.length) {
      const state = queue.shift()!;
      for (const [ch, target] of this.nodes[state].next) {
        let fail = this.nodes[state].fail;
        while (fail && !this.nodes[fail].next.has(ch)) {
          fail = this.nodes[fail].fail;
        }
        const candidate = this.nodes[fail].next.get(ch);
        this.nodes[target].fail =
          candidate !== undefined && candidate !== target ? candidate : 0;
        this.nodes[target].out.push(...this.nodes[this.nodes[target].fail].out);
        queue.push(target);
      }
    }
  }

  /**
   * Every occurrence in `text`: `found(needle, end)` with the index just past it. One pass, so
   * the time is linear in the text whatever the number of needles.
   */
  scan(text: string, found: (needle: number, end: number) => void): void {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      let next = this.nodes[state].next.get(ch);
      while (next === undefined && state) {
        state = this.nodes[state].fail;
        next = this.nodes[state].next.get(ch);
      }
      state = next ?? 0;
      const out = this.nodes[state].out;
      for (let k = 0; k < out.length; k++) {
        found(out[k], i + 1);
      }
    }
  }
}

const META = new Set('[](){}|*+?^$.\\');

/**
 * The literal parts a regular expression cannot match without: for each top-level alternative, its
 * longest run of literal characters (escapes like `\(` count as literals; `\d`, classes, groups
 * and quantified characters end a run). An alternative without a literal of `min` characters
 * gives null: the caller must name its needles itself.
 */
export function literalNeedles(pattern: string, min = 5): string[] | null {
  const alternatives: string[][] = [[]];
  let run = '';
  let depth = 0;
  const end = () => {
    alternatives[alternatives.length - 1].push(run);
    run = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    const following = pattern[i + 1];
    if (ch === '\\') {
      const escaped = following ?? '';
      i++;
      if (/[A-Za-z0-9]/.test(escaped)) {
        end(); // \d, \s, \b, \1 …: not a literal
      } else if (depth === 0) {
        run += escaped;
      }
    } else if (ch === '(' || ch === '[') {
      end();
      depth++;
      if (ch === '[') {
        // skip the class to its closing bracket
        while (i < pattern.length && pattern[i] !== ']') {
          i += pattern[i] === '\\' ? 2 : 1;
        }
        depth--;
      }
    } else if (ch === ')') {
      end();
      depth = Math.max(0, depth - 1);
    } else if (ch === '|' && depth === 0) {
      end();
      alternatives.push([]);
    } else if ('*+?{'.includes(ch)) {
      // the character before is optional or repeated: it does not belong to the run
      run = run.slice(0, -1);
      end();
      if (ch === '{') {
        while (i < pattern.length && pattern[i] !== '}') {
          i++;
        }
      }
    } else if (META.has(ch)) {
      end();
    } else if (depth === 0) {
      run += ch;
    }
  }
  end();
  const needles = alternatives.map(
    parts => parts.sort((a, b) => b.length - a.length)[0] ?? ''
  );
  return needles.every(n => n.length >= min) ? needles : null;
}
