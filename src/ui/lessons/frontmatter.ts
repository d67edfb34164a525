/**
 * Front matter for lesson READMEs: a `---` fenced block of a small YAML
 * subset, then Markdown. Supported: maps (nested by indentation), block
 * lists (`- item`, including lists of maps), flow lists (`[a, 'b, c']`) and
 * flow maps (`{a: 1}`), plain / 'single' / "double" quoted scalars, block
 * scalars (`|` keeps newlines, `>` folds them), true/false/null, numbers,
 * `#` comments. Anything else is an error with a line number: lesson
 * authors get told, not silently ignored.
 */
export type Yaml = string | number | boolean | null | Yaml[] | { [k: string]: Yaml };

export class FrontMatterError extends Error {
  constructor(message: string, readonly line: number) {
    super(`front matter line ${line}: ${message}`);
  }
}

export function splitFrontMatter(src: string): { data: Record<string, Yaml>; body: string } {
  const text = src.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
  if (!m) return { data: {}, body: text };
  const data = parseYaml(m[1]!);
  if (data === null) return { data: {}, body: text.slice(m[0].length) };
  if (typeof data !== 'object' || Array.isArray(data)) throw new FrontMatterError('the front matter must be a map of keys', 1);
  return { data, body: text.slice(m[0].length) };
}

interface Line {
  no: number;
  indent: number;
  text: string; // without indentation
}

export function parseYaml(src: string): Yaml {
  const raw = src.replace(/\r\n?/g, '\n').split('\n');
  const lines: (Line | null)[] = raw.map((l, i) => {
    if (/^\s*(#.*)?$/.test(l)) return null; // blank or comment
    if (/^\t/.test(l)) throw new FrontMatterError('use spaces, not tabs, for indentation', i + 1);
    const indent = l.length - l.trimStart().length;
    return { no: i + 1, indent, text: l.trimEnd().slice(indent) };
  });
  let i = 0;
  const peek = (): Line | null => {
    while (i < lines.length && lines[i] === null) i++;
    return i < lines.length ? lines[i]! : null;
  };

  const blockScalar = (style: string, parentIndent: number): string => {
    const out: string[] = [];
    let indent = -1;
    while (i < raw.length) {
      const l = raw[i]!;
      if (l.trim() === '') {
        out.push('');
        i++;
        continue;
      }
      const ind = l.length - l.trimStart().length;
      if (ind <= parentIndent) break;
      if (indent < 0) indent = ind;
      out.push(l.slice(Math.min(indent, ind)));
      i++;
    }
    while (out.length && out[out.length - 1] === '') out.pop();
    const keep = style.includes('+');
    const strip = style.includes('-');
    let s = style.startsWith('>') ? out.join('\n').replace(/([^\n])\n(?=[^\n ])/g, '$1 ') : out.join('\n');
    if (!strip) s += '\n';
    if (keep) return s;
    return s;
  };

  const parseNode = (indent: number): Yaml => {
    const first = peek();
    if (!first || first.indent < indent) return null;
    if (first.text === '-' || first.text.startsWith('- ')) return parseList(first.indent);
    return parseMap(first.indent);
  };

  const valueAfterKey = (rest: string, line: Line): Yaml => {
    if (rest === '') {
      const next = peek();
      if (next && (next.indent > line.indent || (next.indent === line.indent && (next.text === '-' || next.text.startsWith('- '))))) return parseNode(next.indent);
      return null;
    }
    if (/^[|>][+-]?$/.test(rest)) return blockScalar(rest, line.indent);
    return scalar(rest, line.no);
  };

  const parseMap = (indent: number): { [k: string]: Yaml } => {
    const out: { [k: string]: Yaml } = {};
    for (;;) {
      const line = peek();
      if (!line || line.indent < indent) break;
      if (line.indent > indent) throw new FrontMatterError('unexpected indentation', line.no);
      if (line.text === '-' || line.text.startsWith('- ')) break;
      const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:#{}[\],'"][^:#]*?)\s*:(?:\s+(.*))?$/.exec(line.text);
      if (!m) throw new FrontMatterError(`expected "key: value", got "${line.text}"`, line.no);
      const key = m[1]!.startsWith('"') || m[1]!.startsWith("'") ? String(scalar(m[1]!, line.no)) : m[1]!;
      if (Object.prototype.hasOwnProperty.call(out, key)) throw new FrontMatterError(`duplicate key "${key}"`, line.no);
      i++;
      out[key] = valueAfterKey((m[2] ?? '').trim(), line);
    }
    return out;
  };

  const parseList = (indent: number): Yaml[] => {
    const out: Yaml[] = [];
    for (;;) {
      const line = peek();
      if (!line || line.indent !== indent || !(line.text === '-' || line.text.startsWith('- '))) {
        if (line && line.indent > indent) throw new FrontMatterError('unexpected indentation', line.no);
        break;
      }
      const content = line.text === '-' ? '' : line.text.slice(2).trimStart();
      const col = indent + (line.text.length - content.length);
      if (content === '') {
        i++;
        const next = peek();
        out.push(next && next.indent > indent ? parseNode(next.indent) : null);
      } else if (/^[^'"[{][^:#]*?:(\s|$)/.test(content) || /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')\s*:(\s|$)/.test(content)) {
        // "- key: value": a map whose first key sits on the dash line.
        lines[i] = { no: line.no, indent: col, text: content };
        out.push(parseMap(col));
      } else {
        i++;
        out.push(/^[|>][+-]?$/.test(content) ? blockScalar(content, indent) : scalar(content, line.no));
      }
    }
    return out;
  };

  const root = parseNode(0);
  const rest = peek();
  if (rest) throw new FrontMatterError(`unexpected "${rest.text}"`, rest.no);
  return root;
}

function splitFlow(s: string, no: number): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  for (let k = 0; k < s.length; k++) {
    const c = s[k]!;
    if (quote) {
      cur += c;
      if (c === '\\' && quote === '"') cur += s[++k] ?? '';
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (quote || depth !== 0) throw new FrontMatterError('unbalanced brackets or quotes', no);
  if (cur.trim() !== '') parts.push(cur.trim());
  return parts;
}

export function scalar(input: string, no = 0): Yaml {
  let s = input.trim();
  if (s.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)"\s*(#.*)?$/.exec(s);
    if (!m) throw new FrontMatterError(`bad double-quoted string ${s}`, no);
    try {
      return JSON.parse(`"${m[1]!.replace(/\\'/g, "'")}"`) as string;
    } catch {
      throw new FrontMatterError(`bad escape in ${s}`, no);
    }
  }
  if (s.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'\s*(#.*)?$/.exec(s);
    if (!m) throw new FrontMatterError(`bad single-quoted string ${s}`, no);
    return m[1]!.replace(/''/g, "'");
  }
  if (s.startsWith('[')) {
    if (!s.endsWith(']')) throw new FrontMatterError(`unterminated list ${s}`, no);
    return splitFlow(s.slice(1, -1), no).map((p) => scalar(p, no));
  }
  if (s.startsWith('{')) {
    if (!s.endsWith('}')) throw new FrontMatterError(`unterminated map ${s}`, no);
    const out: { [k: string]: Yaml } = {};
    for (const p of splitFlow(s.slice(1, -1), no)) {
      const m = /^([^:]+?)\s*:\s*(.*)$/.exec(p);
      if (!m) throw new FrontMatterError(`expected "key: value" in ${s}`, no);
      out[String(scalar(m[1]!, no))] = scalar(m[2]!, no);
    }
    return out;
  }
  s = s.replace(/\s+#.*$/, '');
  if (s === '' || s === '~' || s === 'null') return null;
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(s) && !/^\d+\.\d+\.\d+/.test(s)) return Number(s);
  return s;
}
