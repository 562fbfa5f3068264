// The floor for any Node program that wraps `docker run`: Node starts, asks the engine about the
// image and the network over its local socket, then runs the same `docker run` with the terminal.
// Usage: node floor-run.mjs IMAGE NETWORK DOCKER-RUN-ARGS...
import { spawn } from 'node:child_process';
import { request } from 'node:http';

const [image, network, ...runArgs] = process.argv.slice(2);
const host = process.env.DOCKER_HOST ?? '';
const socketPath = host.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
const get = (path) => new Promise((resolve, reject) => {
  request({ socketPath, path, headers: { Host: 'docker' } }, (response) => {
    let body = '';
    response.setEncoding('utf8').on('data', (chunk) => (body += chunk));
    response.on('end', () => resolve(JSON.parse(body)));
  }).on('error', reject).end();
});
await Promise.all([get(`/images/${image}/json`), get(`/networks/${network}`)]);
const child = spawn('docker', runArgs, { stdio: 'inherit' });
child.on('close', (code) => (process.exitCode = code ?? 1));
