import { error, hasErrors, warning, type Position, type Problem } from '../problem.js';
import { KIND_NAMES, needKind, NEED_KINDS } from '../needs/kinds/index.js';
import { needId, needName, type Need, type Origin } from '../needs/need.js';
import { analyseCommand, splitCommand } from './command.js';
import type { Escape } from './directives.js';
import { goDecode, leadingSpaceLength, upperCase } from './go-strings.js';
import type { Instruction, Segment, SplitResult } from './instruction.js';
import { withoutCarriageReturns } from './source-lines.js';
import { splitDockerfile } from './split.js';
import { lineage, readStage, stageLabel, type Stage } from './stages.js';
import { statementArgs, type Arg } from './statement-args.js';
import { logicalLine } from './words.js';

export const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set(['ADDRESS', 'NEED']);

const DOCKERFILE_KEYWORDS: ReadonlySet<string> = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
  ...STATEMENT_KEYWORDS,
]);

/** An `ADDRESS` or `NEED` statement and the needs it declares. */
export interface Statement {
  readonly instruction: Instruction;
  /** The stage it belongs to. */
  readonly stage: number;
  readonly needs: readonly Need[];
}

export interface AnalyseOptions {
  /** The file's name in messages. */
  readonly file: string;
  /** The stage to build (`--target`); the last stage when absent. */
  readonly target?: string;
}

/** Everything berth learns from an extended Dockerfile. */
export interface Analysis {
  readonly split: SplitResult;
  readonly stages: readonly Stage[];
  readonly statements: readonly Statement[];
  /** The stage that will be built, when the file has one. */
  readonly built?: Stage;
  /** The built image's needs: its stage's and those of the stages it descends from, child first wins. */
  readonly needs: readonly Need[];
  readonly problems: readonly Problem[];
}

/**
 * Finds the statements of an extended Dockerfile, the needs of the image it builds, and every
 * problem. Give it the file's bytes; a string is taken as text and encoded as UTF-8.
 */
export function analyseDockerfile(source: Uint8Array | string, options: AnalyseOptions): Analysis {
  const { file } = options;
  const split = splitDockerfile(source);
  const { escape } = split;
  const problems: Problem[] = [];
  if (split.rejection) {
    const { line, message } = split.rejection;
    problems.push(error({ file, line, column: 1 }, 'dockerfile.rejected', `docker would refuse this file: ${message}`));
  }
  const stages: Stage[] = [];
  const statements: Statement[] = [];
  for (const instruction of split.instructions) {
    const keyword = instruction.keyword;
    if (keyword === 'FROM') {
      stages.push(readStage(instruction, stages.length, stages, file, escape));
    } else if (STATEMENT_KEYWORDS.has(keyword)) {
      const stage = stages.at(-1);
      const at = startOf(instruction, file);
      const origin: Origin = { source: 'dockerfile', at, stage: stage ? stageLabel(stage) : '' };
      const trap = continuationTrap(instruction, split, origin, file);
      problems.push(...trap);
      if (!stage) {
        problems.push(error(at, 'statement.before-from', `${keyword} must come after a FROM: it belongs to the stage that FROM starts`));
        continue;
      }
      if (hasErrors(trap)) continue;
      const parsed = readStatement(instruction, instruction.segments, origin, escape, file);
      problems.push(...parsed.problems);
      statements.push({ instruction, stage: stage.index, needs: parsed.needs });
    } else {
      if (keyword === 'ONBUILD') problems.push(...onbuildStatement(instruction, escape, file));
      problems.push(...swallowedStatements(instruction, split, file));
    }
  }

  const built = builtStage(stages, options, file, problems);
  const needs = built ? collectNeeds(stages, statements, built, problems) : [];
  return { split, stages, statements, needs, problems, ...(built ? { built } : {}) };
}

/** The needs a statement declares, reading the text of `segments` (a prefix of its own, or all of them). */
function readStatement(
  instruction: Instruction,
  segments: readonly Segment[],
  origin: Origin,
  escape: Escape,
  file: string,
): { needs: Need[]; problems: Problem[] } {
  const at = startOf(instruction, file);
  const line = logicalLine(instruction, segments);
  const parsed = statementArgs(line, splitCommand(line.text, escape).restAt);
  if (!parsed.ok) return { needs: [], problems: [error({ file, ...parsed.at }, parsed.code, parsed.message)] };
  const { args } = parsed;
  if (instruction.keyword === 'ADDRESS') {
    if (args.length === 0) {
      return { needs: [], problems: [error(at, 'statement.missing-argument', 'ADDRESS needs at least one NAME or IP address')] };
    }
    const results = args.map((arg) => readNeed('address', [arg], origin, file, at));
    return { needs: results.flatMap((r) => r.needs), problems: results.flatMap((r) => r.problems) };
  }
  const [kindArg, ...rest] = args;
  if (!kindArg) {
    return { needs: [], problems: [error(at, 'statement.missing-argument', `NEED needs a kind: ${KIND_NAMES.join(', ')}`)] };
  }
  return readNeed(kindArg.text, rest, origin, file, { file, ...kindArg.at });
}

function readNeed(word: string, args: readonly Arg[], origin: Origin, file: string, kindAt: Position): { needs: Need[]; problems: Problem[] } {
  const kind = needKind(word);
  if (!kind) {
    const message = `unknown kind "${word}"; known kinds: ${KIND_NAMES.join(', ')}`;
    return { needs: [], problems: [error(kindAt, 'statement.unknown-kind', message)] };
  }
  const result = kind.parse(args.map((arg) => arg.text), origin);
  if (result.ok) return { needs: [result.need], problems: [] };
  const arg = args[result.argument];
  const at = arg ? { file, ...arg.at } : kindAt;
  const usage = `NEED ${kind.kind} ${kind.usage}`;
  return { needs: [], problems: [error(at, `statement.bad-${kind.kind}`, `${result.message} (usage: ${usage})`)] };
}

/** ONBUILD's trigger as BuildKit finds it (after ONBUILD's flags, with the file's escape) must not be a statement. */
function onbuildStatement(instruction: Instruction, escape: Escape, file: string): Problem[] {
  const line = logicalLine(instruction);
  const { trigger } = analyseCommand(line.text, escape);
  const keyword = trigger ? upperCase(goDecode(trigger.name)) : '';
  if (!trigger || !STATEMENT_KEYWORDS.has(keyword)) return [];
  const at = { file, ...line.positionAt(trigger.nameAt) };
  return [error(at, 'statement.onbuild', `ONBUILD ${keyword} is not allowed: needs are declared by the image itself, not by images built from it`)];
}

/** A line a continuation reaches over blank or comment lines, which BuildKit makes part of the instruction. */
interface Swallowed {
  /** The first blank or comment line before it. */
  readonly empty: number;
  /** The instruction's segments before it. */
  readonly before: readonly Segment[];
  readonly next: Segment;
  /** Its first word as a keyword (decoded, upper case). */
  readonly word: string;
}

function swallowedLines(instruction: Instruction, escape: Escape): Swallowed[] {
  const found: Swallowed[] = [];
  const { segments, emptyContinuationLines: empties } = instruction;
  if (empties.length === 0) return found;
  for (let i = 1; i < segments.length; i++) {
    const next = segments[i];
    const previous = segments[i - 1];
    if (!next || !previous) continue;
    const empty = empties.find((line) => line > previous.line && line < next.line);
    if (empty === undefined) continue;
    const word = upperCase(goDecode(splitCommand(next.text, escape).name));
    found.push({ empty, before: segments.slice(0, i), next, word });
  }
  return found;
}

/**
 * A statement continued over a blank or comment line into what reads as the next instruction:
 * BuildKit would make that instruction part of the statement. Only when the statement is already
 * complete before the empty line: otherwise the words that follow are its own.
 */
function continuationTrap(instruction: Instruction, split: SplitResult, origin: Origin, file: string): Problem[] {
  const at = startOf(instruction, file);
  for (const { empty, before, next, word } of swallowedLines(instruction, split.escape)) {
    if (!DOCKERFILE_KEYWORDS.has(word)) continue;
    const prefix = readStatement(instruction, before, origin, split.escape, file);
    if (prefix.problems.length > 0 || prefix.needs.length === 0) continue;
    const message = `${instruction.keyword} on line ${instruction.startLine} continues over ${blankOrComment(split, empty)} line ${empty} into the ${word} on line ${next.line}, which would become part of it; remove the trailing "${split.escape}" before line ${empty}`;
    return [error(at, 'statement.continuation-trap', message)];
  }
  const blank = instruction.emptyContinuationLines.find((line) => blankOrComment(split, line) === 'blank');
  if (blank === undefined) return [];
  return [warning({ file, line: blank, column: 1 }, 'statement.empty-continuation', `empty continuation line inside ${instruction.keyword} on line ${instruction.startLine}`)];
}

/** A statement-looking line after an empty continuation line is part of the instruction before it. */
function swallowedStatements(instruction: Instruction, split: SplitResult, file: string): Problem[] {
  return swallowedLines(instruction, split.escape)
    .filter(({ word }) => STATEMENT_KEYWORDS.has(word))
    .map(({ empty, next, word }) => {
      const message = `line ${next.line} looks like ${word} but is part of the ${instruction.keyword} on line ${instruction.startLine}, continued over ${blankOrComment(split, empty)} line ${empty}; it is not a statement`;
      return warning({ file, line: next.line, column: next.column + leadingSpaceLength(next.text) }, 'statement.swallowed', message);
    });
}

function blankOrComment(split: SplitResult, line: number): string {
  const text = withoutCarriageReturns(split.lines[line - 1]?.text ?? '');
  return leadingSpaceLength(text) === text.length ? 'blank' : 'comment';
}
function builtStage(stages: readonly Stage[], options: AnalyseOptions, file: string, problems: Problem[]): Stage | undefined {
  if (options.target === undefined) return stages.at(-1);
  const wanted = options.target.toLowerCase();
  const stage = stages.find((s) => s.name === wanted);
  if (!stage) {
    const names = stages.flatMap((s) => (s.name === undefined ? [] : [s.name]));
    const known = names.length > 0 ? `stages: ${names.join(', ')}` : 'the file names no stages (FROM ... AS NAME)';
    problems.push(error({ file, line: 1, column: 1 }, 'dockerfile.unknown-target', `target stage "${options.target}" not found; ${known}`));
  }
  return stage;
}

function collectNeeds(stages: readonly Stage[], statements: readonly Statement[], built: Stage, problems: Problem[]): Need[] {
  const ancestry = lineage(stages, built.index);
  const byStage = new Map<number, Map<string, Need>>();
  for (const statement of statements) {
    if (!ancestry.includes(statement.stage)) {
      const stage = stages[statement.stage];
      const at = startOf(statement.instruction, built.at.file);
      const label = stage ? stageLabel(stage) : '?';
      problems.push(warning(at, 'statement.unused-stage', `${statement.instruction.keyword} in stage "${label}" does not reach the built image (stage "${stageLabel(built)}" does not descend from it)`));
    }
    const own = byStage.get(statement.stage) ?? new Map<string, Need>();
    byStage.set(statement.stage, own);
    for (const need of statement.needs) addOwnNeed(own, need, problems);
  }
  const merged = new Map<string, Need>();
  for (const index of [...ancestry].reverse()) {
    for (const [id, need] of byStage.get(index) ?? []) {
      merged.delete(id);
      merged.set(id, need);
    }
  }
  const needs = [...merged.values()];
  checkTargets(needs, problems);
  return needs;
}

// Inside one stage, a need declared twice must say the same thing.
function addOwnNeed(own: Map<string, Need>, need: Need, problems: Problem[]): void {
  const id = needId(need);
  const earlier = own.get(id);
  if (!earlier) {
    own.set(id, need);
    return;
  }
  const at = positionOf(need);
  const line = positionOf(earlier)?.line;
  if (!at) return;
  if (JSON.stringify(NEED_KINDS[need.kind].format(need)) === JSON.stringify(NEED_KINDS[earlier.kind].format(earlier))) {
    problems.push(warning(at, 'statement.duplicate', `${need.kind} "${needName(need)}" is already declared on line ${line}`));
    return;
  }
  problems.push(error(at, 'statement.contradiction', `${need.kind} "${needName(need)}" contradicts line ${line}: ${describe(earlier)} there, ${describe(need)} here`));
}

function checkTargets(needs: readonly Need[], problems: Problem[]): void {
  const targets = new Map<string, Need>();
  for (const need of needs) {
    if (need.kind !== 'volume') continue;
    const other = targets.get(need.target);
    if (!other || other.kind !== 'volume') {
      targets.set(need.target, need);
      continue;
    }
    const at = positionOf(need);
    if (at) problems.push(error(at, 'statement.contradiction', `volumes "${other.name}" (line ${positionOf(other)?.line}) and "${need.name}" are both mounted at ${need.target}`));
  }
}

function describe(need: Need): string {
  return need.kind === 'volume' ? `at ${need.target} (${need.mode})` : 'with other arguments';
}

function positionOf(need: Need): Position | undefined {
  return need.origin.source === 'dockerfile' ? need.origin.at : undefined;
}

function startOf(instruction: Instruction, file: string): Position {
  const first = instruction.segments[0];
  const indent = first ? leadingSpaceLength(first.text) : 0;
  return { file, line: instruction.startLine, column: (first?.column ?? 1) + indent };
}
