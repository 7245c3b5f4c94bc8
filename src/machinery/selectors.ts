import { badRequest } from './status.js';

/** One requirement of a label selector. */
export interface LabelRequirement {
  key: string;
  op: 'exists' | '!exists' | '=' | '!=' | 'in' | 'notin';
  values: string[];
}

/** A parsed label selector; an empty one matches everything. */
export interface LabelSelector {
  requirements: LabelRequirement[];
  matches(labels: Record<string, string> | undefined): boolean;
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Parses a label selector (`a=b,c!=d,e in (x,y),f notin (z),g,!h`), failing with a 400 Status
 * in upstream's wording (`unable to parse requirement: …`).
 */
export function parseLabelSelector(input: string): LabelSelector {
  const requirements: LabelRequirement[] = [];
  const s = input.trim();
  let i = 0;
  const fail = (msg: string): never => { throw badRequest(`unable to parse requirement: ${msg}`); };
  const skipWs = () => { while (i < s.length && /\s/.test(s[i])) i++; };
  const ident = (): string => {
    skipWs();
    const m = /^[^\s,=!()]+/.exec(s.slice(i));
    if (!m) fail(`found '${s[i] ?? ''}', expected: identifier`);
    i += m![0].length;
    return m![0];
  };
  while (i < s.length) {
    skipWs();
    let op: LabelRequirement['op'] | null = null;
    let values: string[] = [];
    let negate = false;
    if (s[i] === '!') { negate = true; i++; }
    const key = ident();
    checkKey(key, fail);
    skipWs();
    if (negate) op = '!exists';
    else if (i >= s.length || s[i] === ',') op = 'exists';
    else if (s.startsWith('==', i)) { op = '='; i += 2; }
    else if (s.startsWith('!=', i)) { op = '!='; i += 2; }
    else if (s[i] === '=') { op = '='; i += 1; }
    else {
      const word = /^(in|notin)\b/.exec(s.slice(i));
      if (!word) fail(`found '${s.slice(i).split(/[\s,]/)[0]}', expected: in, notin, =, ==, !=, gt, lt`);
      op = word![1] as 'in' | 'notin';
      i += word![0].length;
      skipWs();
      if (s[i] !== '(') fail(`found '${s[i] ?? ''}', expected: '('`);
      i++;
      const close = s.indexOf(')', i);
      if (close < 0) fail(`found '', expected: ')'`);
      values = s.slice(i, close).split(',').map((v) => v.trim());
      i = close + 1;
    }
    if (op === '=' || op === '!=') {
      skipWs();
      const m = /^[^\s,]*/.exec(s.slice(i))!;
      values = [m[0]];
      i += m[0].length;
    }
    for (const v of values) {
      if (v.length > 63 || !LABEL_VALUE.test(v)) {
        fail(`values[0][${key}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`);
      }
    }
    requirements.push({ key, op: op!, values });
    skipWs();
    if (i < s.length) {
      if (s[i] !== ',') fail(`found '${s[i]}', expected: ',' or 'end of string'`);
      i++;
    }
  }
  return labelSelector(requirements);
}

function checkKey(key: string, fail: (m: string) => never): void {
  const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
  if (name.length > 63 || !LABEL_KEY.test(key)) {
    fail(`key: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`);
  }
}

/** A selector from already parsed requirements. */
export function labelSelector(requirements: LabelRequirement[]): LabelSelector {
  return {
    requirements,
    matches(labels) {
      const l = labels ?? {};
      return requirements.every((r) => {
        const has = Object.prototype.hasOwnProperty.call(l, r.key);
        switch (r.op) {
          case 'exists': return has;
          case '!exists': return !has;
          case '=': return has && l[r.key] === r.values[0];
          case '!=': return !has || l[r.key] !== r.values[0];
          case 'in': return has && r.values.includes(l[r.key]);
          case 'notin': return !has || !r.values.includes(l[r.key]);
        }
      });
    },
  };
}

/** One requirement of a field selector. */
export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/**
 * Parses a field selector (`metadata.name=x,status.phase!=Active`); `\,` `\=` `\\` escape. Fails
 * with 400 `invalid selector: '<s>'; can't understand '<term>'`.
 */
export function parseFieldSelector(input: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  if (input.trim() === '') return out;
  for (const term of splitUnescaped(input, ',')) {
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(term);
    if (!m || m[1] === '') throw badRequest(`invalid selector: '${input}'; can't understand '${term}'`);
    out.push({ field: m[1].trim(), op: m[2] === '!=' ? '!=' : '=', value: unescape(m[3]) });
  }
  return out;
}

function splitUnescaped(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) { cur += s[i] + s[i + 1]; i++; continue; }
    if (s[i] === sep) { parts.push(cur); cur = ''; continue; }
    cur += s[i];
  }
  parts.push(cur);
  return parts;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

const TRUE_VALUES = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_VALUES = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Whether a value is true as Go's ParseBool reads it (`true`, `True`, `1`, `t`, …). */
export function isGoTrue(v: string | null): boolean {
  return v !== null && TRUE_VALUES.has(v);
}

/**
 * A boolean query parameter read as upstream reads one (Go's ParseBool: `true`, `True`, `1`, `t`, …);
 * absent or empty is `fallback`, anything else answers 400.
 */
export function parseBoolParam(q: URLSearchParams, name: string, fallback = false): boolean {
  const v = q.get(name);
  if (v === null || v === '') return fallback;
  if (TRUE_VALUES.has(v)) return true;
  if (FALSE_VALUES.has(v)) return false;
  throw badRequest(`invalid value for ${name}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/**
 * A LabelSelector (`matchLabels` and `matchExpressions`) in the text form of label selectors, as
 * upstream prints it: requirements sorted by key, `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`,
 * `!k`. An empty selector gives ''.
 */
export function formatLabelSelector(sel: { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | null | undefined): string {
  if (!sel) return '';
  const reqs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In': reqs.push([e.key, `${e.key} in (${values})`]); break;
      case 'NotIn': reqs.push([e.key, `${e.key} notin (${values})`]); break;
      case 'Exists': reqs.push([e.key, e.key]); break;
      case 'DoesNotExist': reqs.push([e.key, `!${e.key}`]); break;
      default: reqs.push([e.key, `${e.key} ${e.operator} (${values})`]);
    }
  }
  return reqs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((r) => r[1]).join(',');
}
