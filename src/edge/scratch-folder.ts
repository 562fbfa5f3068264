import { mkdtempSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** A private temporary folder (mode 0700) for a few files of berth's own. */
export interface ScratchFolder {
  readonly path: string;
  /** The path of a file berth may write in the folder; removed with it. */
  file(name: string): string;
  /** Removes the files named by `file`, then the folder, and whatever else is in it. Never throws. */
  remove(): void;
}

// Synchronous: berth waits for each of these steps anyway, and the promise-based calls cost a
// millisecond or two more; removing the known files by name spares loading a recursive remove.
export function makeScratchFolder(parent: string, prefix: string): ScratchFolder {
  const path = mkdtempSync(join(parent, prefix));
  const files = new Set<string>();
  return {
    path,
    file(name) {
      const file = join(path, name);
      files.add(file);
      return file;
    },
    remove() {
      for (const file of files) {
        try {
          unlinkSync(file);
        } catch {
          // Never written, or gone already.
        }
      }
      try {
        rmdirSync(path);
      } catch {
        try {
          rmSync(path, { recursive: true, force: true });
        } catch {
          // Left for the system's own clean-up of its temporary folder; berth's outcome stands.
        }
      }
    },
  };
}
