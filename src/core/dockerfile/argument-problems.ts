import type { Escape } from './directives.js';
import { isSpace, leadingSpaceLength } from './go-strings.js';
import { jsonForm } from './json-form.js';

const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';
const ASCII_GAP = /[\t\v\f\r ]/;

/** Why BuildKit refuses the arguments of a command (`kind` is its lower-case name), if it does. */
export function argumentProblem(kind: string, args: string, escape: Escape): string | undefined {
  switch (kind) {
    case 'env':
      return nameValueProblem(args, 'ENV', escape);
    case 'label':
      return nameValueProblem(args, 'LABEL', escape);
    case 'run':
    case 'cmd':
    case 'entrypoint':
    case 'shell':
      return args !== '' && jsonForm(args) === 'not-strings' ? NOT_STRING_ARRAY : undefined;
    case 'add':
    case 'copy':
    case 'volume':
      return jsonForm(args) === 'not-strings' ? NOT_STRING_ARRAY : undefined;
    case 'healthcheck':
      return healthcheckProblem(args);
    default:
      return undefined;
  }
}

function healthcheckProblem(args: string): string | undefined {
  let end = 0;
  while (end < args.length && !isSpace(args.charCodeAt(end))) end++;
  if (end === 0) return undefined;
  const command = args.slice(end + leadingSpaceLength(args.slice(end)));
  return command !== '' && jsonForm(command) === 'not-strings' ? NOT_STRING_ARRAY : undefined;
}

/** `ENV`/`LABEL`: `KEY value` (two words at least) or only `name=value` words. */
function nameValueProblem(args: string, keyword: string, escape: Escape): string | undefined {
  const words = argumentWords(args, escape);
  const first = words[0];
  if (first === undefined) return undefined;
  if (!first.includes('=')) return ASCII_GAP.test(args) ? undefined : `${keyword} must have two arguments`;
  const bad = words.find((word) => !word.includes('='));
  return bad === undefined ? undefined : `Syntax error - can't find = in ${JSON.stringify(bad)}. Must be of the form: name=value`;
}

/** Space-separated words, quotes and escapes kept: how BuildKit sees `ENV` and `LABEL` arguments. */
function argumentWords(args: string, escape: Escape): string[] {
  const words: string[] = [];
  let inWord = false;
  let quote = '';
  let blankOk = false;
  let word = '';
  for (let pos = 0; pos < args.length; pos++) {
    let ch = args.charAt(pos);
    if (!inWord && quote === '') {
      if (isSpace(args.charCodeAt(pos))) continue;
      inWord = true;
    }
    if (quote === '') {
      if (isSpace(args.charCodeAt(pos))) {
        if (blankOk || word !== '') words.push(word);
        inWord = false;
        word = '';
        blankOk = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
      } else if (ch === escape) {
        if (pos + 1 === args.length) continue;
        word += ch;
        pos++;
        ch = args.charAt(pos);
      }
      word += ch;
      continue;
    }
    if (ch === quote) quote = '';
    else if (ch === escape && quote !== "'") {
      if (pos + 1 === args.length) {
        quote = '';
        continue;
      }
      word += ch;
      pos++;
      ch = args.charAt(pos);
    }
    word += ch;
  }
  if (inWord || quote !== '') {
    if (blankOk || word !== '') words.push(word);
  }
  return words;
}
