// The floor for any Node program that wraps `docker build`: Node starts and runs `docker build`
// on a Dockerfile that is already plain, with the terminal.
// Usage: node floor-build.mjs DOCKER-BUILD-ARGS...
import { spawn } from 'node:child_process';

const child = spawn('docker', ['build', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('close', (code) => (process.exitCode = code ?? 1));
