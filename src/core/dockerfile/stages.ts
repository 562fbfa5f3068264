import type { Position } from '../problem.js';
import type { Instruction } from './instruction.js';
import { instructionWords } from './words.js';

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

/** Reads a `FROM [--flag=...] BASE [AS NAME]` instruction as stage number `index`. */
export function readStage(instruction: Instruction, index: number, earlier: readonly Stage[], file: string): Stage {
  const words = instructionWords(instruction).slice(1).filter((word) => !word.text.startsWith('--'));
  const base = words[0]?.text ?? '';
  const name = words[1]?.text.toLowerCase() === 'as' ? words[2]?.text.toLowerCase() : undefined;
  const parent = earlier.find((stage) => stage.name !== undefined && stage.name === base.toLowerCase())?.index;
  return {
    index,
    base,
    at: { file, line: instruction.startLine, column: words[0]?.column ?? 1 },
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
