import type { Position } from '../problem.js';
import { splitCommand } from './command.js';
import type { Escape } from './directives.js';
import type { Instruction } from './instruction.js';
import { logicalLine, whitespaceDelimitedWords, wordText } from './words.js';

/** A build stage: what a `FROM` starts. */
export interface Stage {
  readonly index: number;
  /** The `AS` name, lower-cased as BuildKit compares it. */
  readonly name?: string;
  /** What it is built from: an image reference or an earlier stage's name. */
  readonly base: string;
  /** The earlier stage it is built from, when `base` names one. */
  readonly parent?: number;
  readonly at: Position;
}

/**
 * Reads a `FROM [--flag=...] BASE [AS NAME]` instruction as stage number `index`, its words as
 * BuildKit finds them: flags taken off by `splitCommand`, the rest split by `parseStringsWhitespaceDelimited`.
 */
export function readStage(instruction: Instruction, index: number, earlier: readonly Stage[], file: string, escape: Escape): Stage {
  const line = logicalLine(instruction);
  const command = splitCommand(line.text, escape);
  const words = whitespaceDelimitedWords(line.text, command.argsAt, command.argsAt + command.args.length);
  const [first, second, third] = words.map(wordText);
  const base = first ?? '';
  const name = second?.toLowerCase() === 'as' ? third?.toLowerCase() : undefined;
  const parent = earlier.find((stage) => stage.name !== undefined && stage.name === base.toLowerCase())?.index;
  const at = words[0] ? line.positionAt(words[0].at) : { line: instruction.startLine, column: 1 };
  return {
    index,
    base,
    at: { file, ...at },
    ...(name === undefined ? {} : { name }),
    ...(parent === undefined ? {} : { parent }),
  };
}

/** How a stage is called in messages. */
export function stageLabel(stage: Stage): string {
  return stage.name ?? `#${stage.index}`;
}

/** The stage and the stages it descends from inside the file, the built stage first. */
export function lineage(stages: readonly Stage[], built: number): number[] {
  const chain: number[] = [];
  for (let index: number | undefined = built; index !== undefined && !chain.includes(index); index = stages[index]?.parent) {
    chain.push(index);
  }
  return chain;
}
