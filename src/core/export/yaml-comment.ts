/**
 * One `# ` comment line of a generated file. A control character is written as `\xNN`, so that a
 * path from a host file that holds a newline cannot end the comment and start YAML (or, in a
 * script, a command) of its own.
 */
export function commentLine(line: string): string {
  return `# ${line.replace(/[\u0000-\u001f\u007f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)}`.trimEnd();
}
