import { argumentProblem } from './argument-problems.js';
import { DASH, DOUBLE_QUOTE, SINGLE_QUOTE } from './char-codes.js';
import type { Escape } from './directives.js';
import { goDecode, isCommandGap, isSpace, leadingSpaceLength, trimmedEnd, upperCase, type ByteString } from './go-strings.js';
import { jsonForm } from './json-form.js';

// What BuildKit makes of one logical line: its keyword, whether it may open heredocs, and whether
// BuildKit refuses its arguments.

const HEREDOC_COMMANDS: ReadonlySet<string> = new Set(['add', 'copy', 'run']);

/** A command as BuildKit's `splitCommand` cuts a logical line; every offset is into that line. */
export interface CommandParts {
  /** The command word, as written. */
  readonly name: ByteString;
  readonly nameAt: number;
  /** `name` lower-cased when it is a word BuildKit's dispatch table could know, else `''`. */
  readonly kind: string;
  /** Where the text after the command word and the gap after it starts (builder flags included). */
  readonly restAt: number;
  /** The arguments: after the builder flags, trimmed. */
  readonly args: ByteString;
  readonly argsAt: number;
}

export interface CommandAnalysis {
  /** The keyword, decoded and in upper case. */
  readonly keyword: string;
  /** ONBUILD's trigger, when the line is an ONBUILD with one. */
  readonly trigger?: CommandParts;
  /** Whether BuildKit looks for heredocs in this line (it still may find none). */
  readonly takesHeredocs: boolean;
  readonly problem: string | undefined;
}

/**
 * Reads a logical line as BuildKit's `newNodeFromLine` does, to name the instruction and learn what
 * follows it; ONBUILD's trigger is read the same way (`parseSubCommand`), and `canContainHeredoc`
 * decides about heredocs.
 */
export function analyseCommand(line: ByteString, escape: Escape): CommandAnalysis {
  const top = splitCommand(line, escape);
  let trigger: CommandParts | undefined;
  let node = top;
  while (node.kind === 'onbuild' && node.args !== '') {
    node = splitCommand(line, escape, node.argsAt, node.argsAt + node.args.length);
    trigger ??= node;
  }
  const problem = node.kind === 'onbuild' ? undefined : argumentProblem(node.kind, node.args, escape);
  // ONBUILD passes the question on to its trigger, one level deep.
  const decides = trigger ?? top;
  const takesHeredocs = HEREDOC_COMMANDS.has(decides.kind) && line.includes('<<') && jsonForm(decides.args) === 'shell';
  return { keyword: upperCase(goDecode(top.name)), takesHeredocs, problem, ...(trigger ? { trigger } : {}) };
}

/**
 * BuildKit's `splitCommand` on `line[from:to]`: `strings.TrimSpace` (runes decoded), the command word
 * up to the first `[\t\v\f\r ]+` (BuildKit's `reWhitespace`), then `extractBuilderFlags`, then
 * `strings.TrimSpace` of the arguments.
 */
export function splitCommand(line: ByteString, escape: Escape, from = 0, to = line.length): CommandParts {
  const start = from + leadingSpaceLength(line, from, to);
  const end = trimmedEnd(line, start, to);
  let gap = start;
  while (gap < end && !isCommandGap(line.charCodeAt(gap))) gap++;
  const name = line.slice(start, gap);
  let restAt = gap;
  while (restAt < end && isCommandGap(line.charCodeAt(restAt))) restAt++;
  const hasRest = gap < end;
  const flagsEnd = hasRest ? builderFlagsEnd(line, restAt, end, escape) : end;
  const argsAt = flagsEnd + leadingSpaceLength(line, flagsEnd, end);
  const argsEnd = trimmedEnd(line, argsAt, end);
  return { name, nameAt: start, kind: commandKind(name), restAt, args: line.slice(argsAt, argsEnd), argsAt };
}

/**
 * Where the arguments start after leading `--flag[=value]` words (a lone `--` ends the flags), or
 * `end` when nothing but flags follows. Mirrors `extractBuilderFlags`, which walks bytes: its
 * `unicode.IsSpace(rune(line[pos]))` takes the bytes 0x85 and 0xA0 for spaces even inside a
 * multi-byte character, and it uses the file's escape character.
 */
function builderFlagsEnd(line: ByteString, from: number, end: number, escape: Escape): number {
  const escapeCode = escape.charCodeAt(0);
  let phase: 'spaces' | 'word' | 'quote' = 'spaces';
  let word = '';
  let quote = 0;
  for (let pos = from; pos < end; pos++) {
    let code = line.charCodeAt(pos);
    if (phase === 'spaces') {
      if (isSpace(code)) continue;
      if (code !== DASH || pos + 1 === end || line.charCodeAt(pos + 1) !== DASH) return pos;
      phase = 'word';
    }
    if (phase === 'word') {
      if (isSpace(code)) {
        if (word === '--') return pos;
        phase = 'spaces';
        word = '';
        continue;
      }
      if (code === SINGLE_QUOTE || code === DOUBLE_QUOTE) {
        quote = code;
        phase = 'quote';
        continue;
      }
    } else if (code === quote) {
      phase = 'word';
      continue;
    }
    if (code === escapeCode) {
      if (pos + 1 === end) {
        phase = 'word';
        continue;
      }
      pos++;
      code = line.charCodeAt(pos);
    }
    word += String.fromCharCode(code);
  }
  return end;
}

/**
 * The lower-case command name as BuildKit's dispatch table compares it (`strings.ToLower` of the
 * decoded word), or `''` when it cannot be one of its commands.
 */
function commandKind(name: ByteString): string {
  if (name.length > 3 * 'healthcheck'.length) return '';
  let kind = '';
  for (const ch of goDecode(name)) {
    const code = ch.charCodeAt(0);
    if (code >= 0x41 && code <= 0x5a) kind += String.fromCharCode(code + 0x20);
    else if (code >= 0x61 && code <= 0x7a) kind += ch;
    else if (code === 0x212a) kind += 'k'; // KELVIN SIGN lower-cases to k in Go
    else if (code === 0x130) kind += 'i'; // so does LATIN CAPITAL LETTER I WITH DOT ABOVE to i
    else return '';
  }
  return kind;
}
