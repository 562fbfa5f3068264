// The man pages npm run build writes (dist/man): one for berth and one per command, rendered by
// the real man (man-db, groff) without warnings, saying what --help says, and all listed in
// package.json's "man" field, so that npm installs every one of them.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { berth, REPO_ROOT } from '../helpers/berth.js';

const MAN_DIR = join(REPO_ROOT, 'dist/man');

/** `man -l FILE` as plain text, wide enough that no line is broken. */
async function render(file: string): Promise<{ text: string; stderr: string; exitCode: number }> {
  const result = await execa('man', ['--warnings', '-l', file], { env: { MANWIDTH: '1000', MANPAGER: 'cat', PAGER: 'cat' }, reject: false });
  return { text: squash(result.stdout), stderr: result.stderr, exitCode: result.exitCode ?? -1 };
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The commands `berth --help` lists, but its own `help`. */
async function commands(): Promise<string[]> {
  const help = await berth(['--help']);
  return [...help.stdout.matchAll(/^ {2}([a-z]+) /gm)].map((match) => match[1] ?? '').filter((name) => name !== 'help');
}

/** What `--help` prints, split into the usage line, option descriptions and the text after them. */
function helpParts(help: string): { usage: string; descriptions: string[]; after: string } {
  const [, usage = ''] = /^Usage: (.+)$/m.exec(help) ?? [];
  const block = (title: string) => new RegExp(`^${title}:\\n([\\s\\S]*?)(?:\\n\\n|$)`, 'm').exec(help)?.[1] ?? '';
  // One entry per line that starts a term (continuation lines of a wrapped description are indented further).
  const entries = (text: string) => text.split(/\n(?= {2}\S)/).filter((entry) => entry.trim() !== '');
  const descriptions = [...entries(block('Arguments')), ...entries(block('Options'))]
    .map((entry) => squash(entry.trim().split(/\s{2,}/).slice(1).join(' ')));
  const after = help.includes('\n\n', help.indexOf('Options:')) ? help.slice(help.indexOf('\n\n', help.indexOf('Options:'))) : '';
  return { usage, descriptions, after: squash(after.replace(/^Commands:[\s\S]*?\n\n/m, '')) };
}

describe('the man pages', () => {
  it('are berth.1 and one per command, each listed in package.json\'s "man" field', async () => {
    const expected = ['berth.1', ...(await commands()).map((name) => `berth-${name}.1`)].sort();
    assert.deepEqual((await readdir(MAN_DIR)).sort(), expected);
    const { man } = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { man: string[] };
    assert.deepEqual([...man].sort(), expected.map((file) => `dist/man/${file}`));
  });

  it('render with man -l without warnings and say what --help says', async () => {
    for (const name of ['', ...(await commands())]) {
      const file = join(MAN_DIR, name === '' ? 'berth.1' : `berth-${name}.1`);
      const page = await render(file);
      assert.equal(page.exitCode, 0, page.stderr);
      assert.equal(page.stderr, '', `${file}: ${page.stderr}`);
      const help = await berth(name === '' ? ['--help'] : [name, '--help']);
      assert.equal(help.exitCode, 0, help.stderr);
      const parts = helpParts(help.stdout);
      assert.ok(page.text.includes(`SYNOPSIS ${parts.usage}`), `${file} has the synopsis "${parts.usage}"`);
      assert.ok(parts.descriptions.length > 0 && parts.usage !== '', `${name || 'berth'} --help has a usage line and options`);
      for (const description of parts.descriptions) assert.ok(page.text.includes(description), `${file} says "${description}"`);
      assert.ok(page.text.includes(parts.after), `${file} holds the text after the options: "${parts.after}"`);
    }
  });
});
