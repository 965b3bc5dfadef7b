import type { Diagnostic } from './diagnostic.ts';
import { DEFAULT_LIMITS, type Limits, utf8Length } from './limits.ts';
import { DURATION_UNITS, type Token, type TokenKind } from './token.ts';

export interface LexResult {
  tokens: Token[];
  diagnostics: Diagnostic[];
}

const NUMBER = /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
// μ (Greek mu) is taken too, so that a look-alike of µ (micro sign) gets a clear message
const UNIT = /[A-Za-zµμ_][A-Za-z0-9_µμ]*/y;
const PUNCT: ReadonlySet<string> = new Set(['(', ')', '{', '}', '[', ']', ',', '.', ':', '*']);

/** Splits rule text into tokens, collecting every lexical problem rather than stopping at the first. */
export function lex(text: string, limits: Limits = DEFAULT_LIMITS): LexResult {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const push = (kind: TokenKind, start: number, end: number, value: string, num = 0): void => {
    tokens.push({ kind, text: text.slice(start, end), value, num, start, end });
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) {
        diagnostics.push({
          code: 'unterminated_comment', severity: 'error', range: { start: i, end: i + 2 },
          message: 'block comment is never closed', hint: 'close it with */',
        });
        i = text.length;
      } else i = close + 2;
    } else if (c === '"') {
      i = lexQuoted(text, i, limits, push, diagnostics);
    } else if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) {
        diagnostics.push({
          code: 'unterminated_string', severity: 'error', range: { start: i, end: text.length },
          message: 'raw string is never closed', hint: 'close it with a backtick (`)',
        });
        i = text.length;
      } else {
        const value = text.slice(i + 1, close);
        checkStringLength(value, i, close + 1, limits, diagnostics);
        push('string', i, close + 1, value);
        i = close + 1;
      }
    } else if (isDigit(c) || (c === '-' && isDigit(text[i + 1] ?? ''))) {
      i = lexNumber(text, i, push, diagnostics);
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_') {
      WORD.lastIndex = i;
      const m = WORD.exec(text);
      const end = i + (m?.[0].length ?? 1);
      push('ident', i, end, text.slice(i, end));
      i = end;
    } else if (c === '=' || c === '!' || c === '<' || c === '>') {
      const two = text.slice(i, i + 2);
      if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
        push('op', i, i + 2, two);
        i += 2;
      } else if (c === '<' || c === '>') {
        push('op', i, i + 1, c);
        i++;
      } else {
        diagnostics.push({
          code: 'unexpected_character', severity: 'error', range: { start: i, end: i + 1 },
          message: `unexpected "${c}"`, hint: c === '=' ? 'compare with ==' : 'write != for "not equal", or not for negation',
        });
        i++;
      }
    } else if (PUNCT.has(c)) {
      push(c as TokenKind, i, i + 1, c);
      i++;
    } else {
      const cp = text.codePointAt(i) ?? 0;
      const width = cp > 0xffff ? 2 : 1;
      const hint = CHARACTER_HINTS[c] ?? (/[\s\u00a0\ufeff]/.test(c) ? 'only spaces, tabs and newlines separate words' : undefined);
      diagnostics.push(withHint({
        code: 'unexpected_character', severity: 'error', range: { start: i, end: i + width },
        message: `unexpected character ${showCharacter(cp)}`,
      }, hint));
      i += width;
    }
  }
  push('eof', text.length, text.length, '');
  return { tokens, diagnostics };
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

const QUOTE_HINT = 'names with spaces, "/", "-" or ":" must be written in quotes, e.g. "GET /api/users"';

const CHARACTER_HINTS: Readonly<Record<string, string>> = {
  '-': QUOTE_HINT, '/': QUOTE_HINT, ':': QUOTE_HINT,
  '&': 'write "and" to require both', '|': 'write "or" for either',
  "'": 'strings are written in double quotes: "…"',
};

/** A character as a message shows it: invisible and control characters by their code point. */
function showCharacter(cp: number): string {
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x2000 && cp <= 0x200f)
    ? code
    : `"${String.fromCodePoint(cp)}" (${code})`;
}

function withHint(d: Diagnostic, hint: string | undefined): Diagnostic {
  return hint === undefined ? d : { ...d, hint };
}

type Push = (kind: TokenKind, start: number, end: number, value: string, num?: number) => void;

function lexNumber(text: string, start: number, push: Push, diagnostics: Diagnostic[]): number {
  NUMBER.lastIndex = start;
  const m = NUMBER.exec(text);
  let end = start + (m?.[0].length ?? 1);
  const num = Number(text.slice(start, end));
  UNIT.lastIndex = end;
  const unit = UNIT.exec(text);
  if (!Number.isFinite(num)) {
    diagnostics.push({
      code: 'bad_number', severity: 'error', range: { start, end: end + (unit?.[0].length ?? 0) },
      message: `number "${text.slice(start, end)}" is too large`, hint: 'numbers must fit a 64-bit float (about ±1.8e308)',
    });
  }
  if (!unit) {
    if (text[end] === '.' && isDigit(text[end + 1] ?? '')) {
      diagnostics.push({
        code: 'bad_number', severity: 'error', range: { start, end: end + 1 },
        message: `malformed number "${text.slice(start, end + 1)}…"`, hint: 'a number has at most one decimal point',
      });
    }
    push('number', start, end, text.slice(start, end), num);
    return end;
  }
  const scale = Object.hasOwn(DURATION_UNITS, unit[0]) ? DURATION_UNITS[unit[0]] : undefined;
  end += unit[0].length;
  if (scale === undefined) {
    diagnostics.push({
      code: 'bad_duration_unit', severity: 'error', range: { start, end },
      message: `unknown duration unit "${unit[0]}" in "${text.slice(start, end)}"`,
      hint: unit[0].includes('μ')
        ? 'that μ is the Greek letter; write us, or µs with the micro sign (U+00B5)'
        : 'units are ns, us (or µs), ms, s, m and h, written right after the number: 250ms',
    });
  }
  push('duration', start, end, text.slice(start, end), num * (scale ?? 0));
  return end;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r' };

function lexQuoted(text: string, start: number, limits: Limits, push: Push, diagnostics: Diagnostic[]): number {
  let value = '';
  let i = start + 1;
  while (i < text.length && text[i] !== '"' && text[i] !== '\n') {
    if (text[i] !== '\\') {
      value += text[i];
      i++;
      continue;
    }
    const e = text[i + 1] ?? '';
    if (Object.hasOwn(ESCAPES, e)) {
      value += ESCAPES[e];
      i += 2;
      continue;
    }
    const u = e === 'u' ? /^\\u\{([0-9A-Fa-f]{1,6})\}/.exec(text.slice(i, i + 10)) : null;
    const cp = u ? parseInt(u[1] as string, 16) : -1;
    if (u && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      value += String.fromCodePoint(cp);
      i += u[0].length;
      continue;
    }
    const lone = e === '' || e === '\n';
    diagnostics.push({
      code: 'bad_escape', severity: 'error', range: { start: i, end: lone ? i + 1 : i + 2 },
      message: lone ? 'a string cannot end with a lone backslash' : `unknown escape "\\${e}" in string`,
      hint: 'escapes are \\" \\\\ \\n \\t \\r and \\u{hex code point, e.g. 1F600}; for regular expressions use a raw string in backticks: `\\d+`',
    });
    if (lone) {
      i++;
      continue;
    }
    value += e;
    i += 2;
  }
  if (text[i] !== '"') {
    diagnostics.push({
      code: 'unterminated_string', severity: 'error', range: { start, end: i },
      message: 'string is never closed', hint: 'close it with " on the same line',
    });
    push('string', start, i, value);
    return i;
  }
  checkStringLength(value, start, i + 1, limits, diagnostics);
  push('string', start, i + 1, value);
  return i + 1;
}

function checkStringLength(value: string, start: number, end: number, limits: Limits, diagnostics: Diagnostic[]): void {
  if (value.length * 3 <= limits.maxStringBytes) return;
  const bytes = utf8Length(value);
  if (bytes > limits.maxStringBytes) {
    diagnostics.push({
      code: 'string_too_long', severity: 'error', range: { start, end },
      message: `string literal is ${bytes} bytes; the limit is ${limits.maxStringBytes}`,
    });
  }
}
