import { argumentProblem } from './argument-problems.js';
import type { Escape } from './directives.js';
import { isSpace, trimSpace, upperCase } from './go-strings.js';
import { jsonForm } from './json-form.js';

// What BuildKit makes of one logical line: its keyword, whether it may open heredocs, and whether
// BuildKit refuses its arguments.

const HEREDOC_COMMANDS: ReadonlySet<string> = new Set(['add', 'copy', 'run']);
const COMMAND_GAP = /[\t\v\f\r ]+/;

interface Command {
  readonly name: string;
  /** `name` lower-cased when it is a command BuildKit knows, else `''`. */
  readonly kind: string;
  readonly args: string;
}

export interface CommandAnalysis {
  readonly keyword: string;
  /** Whether BuildKit looks for heredocs in this line (it still may find none). */
  readonly takesHeredocs: boolean;
  readonly problem: string | undefined;
}

/** Reads a logical line as BuildKit's parser does, to name the instruction and learn what follows it. */
export function analyseCommand(line: string, escape: Escape): CommandAnalysis {
  const top = splitCommand(line);
  let trigger: Command | undefined;
  let node = top;
  let problem: string | undefined;
  while (node.kind === 'onbuild' && node.args !== '') {
    node = splitCommand(node.args);
    trigger ??= node;
  }
  if (node.kind !== 'onbuild') problem = argumentProblem(node.kind, node.args, escape);
  // ONBUILD passes the question on to its trigger, one level deep.
  const decides = trigger ?? top;
  const takesHeredocs = HEREDOC_COMMANDS.has(decides.kind) && line.includes('<<') && jsonForm(decides.args) === 'shell';
  return { keyword: upperCase(top.name), takesHeredocs, problem };
}

function splitCommand(line: string): Command {
  const trimmed = trimSpace(line);
  const gap = COMMAND_GAP.exec(trimmed);
  const name = gap === null ? trimmed : trimmed.slice(0, gap.index);
  const args = gap === null ? '' : trimSpace(afterFlags(trimmed.slice(gap.index + gap[0].length)));
  return { name, kind: commandKind(name), args };
}

/** The arguments after leading `--flag[=value]` words (a lone `--` ends the flags). */
function afterFlags(line: string): string {
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let quote = '';
  for (let pos = 0; pos < line.length; pos++) {
    let ch = line.charAt(pos);
    if (phase === 'spaces') {
      if (isSpace(line.charCodeAt(pos))) continue;
      if (ch !== '-' || line.charAt(pos + 1) !== '-') return line.slice(pos);
      phase = 'word';
    }
    if (phase === 'word') {
      if (isSpace(line.charCodeAt(pos))) {
        if (word === '--') return line.slice(pos);
        phase = 'spaces';
        word = '';
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        phase = 'quote';
        continue;
      }
    } else if (ch === quote) {
      phase = 'word';
      continue;
    }
    if (ch === '\\') {
      if (pos + 1 === line.length) {
        phase = 'word';
        continue;
      }
      pos++;
      ch = line.charAt(pos);
    }
    word += ch;
  }
  return '';
}

/** The lower-case command name as BuildKit's dispatch table knows it, or `''`. */
function commandKind(name: string): string {
  if (name.length > 'healthcheck'.length) return '';
  let kind = '';
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (code >= 0x41 && code <= 0x5a) kind += String.fromCharCode(code + 0x20);
    else if (code >= 0x61 && code <= 0x7a) kind += ch;
    else if (code === 0x212a) kind += 'k'; // KELVIN SIGN lower-cases to k in Go
    else if (code === 0x130) kind += 'i'; // so does LATIN CAPITAL LETTER I WITH DOT ABOVE to i
    else return '';
  }
  return kind;
}
