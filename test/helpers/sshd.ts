// A real OpenSSH server for tests, alone in a network namespace: its own host key, one client key
// allowed to log in as root, and a directory to serve. Reached from the host over a veth pair on a
// documentation IPv6 /64.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { docAddress6, docSubnet6, type NetLab } from './netns.js';

export interface Sshd {
  /** The server's address, for `root@[ADDRESS]:/dir`. */
  readonly address: string;
  /** The client's private key. */
  readonly identity: string;
  /** A known_hosts file that holds the server's key. */
  readonly knownHosts: string;
  readonly stop: () => Promise<void>;
}

/** Starts sshd in a new namespace of `lab`, keeping its keys and config under `dir`. */
export async function startSshd(lab: NetLab, dir: string): Promise<Sshd> {
  await mkdir(dir, { recursive: true });
  const ns = await lab.namespace();
  const pair = await lab.veth(ns);
  const subnet = docSubnet6(64);
  const host = docAddress6(subnet, 1);
  const address = docAddress6(subnet, 2);
  await lab.address(pair.host, `${host}/64`);
  await lab.address(pair.peer, `${address}/64`, ns);

  const hostKey = join(dir, 'host_key');
  const identity = join(dir, 'id_ed25519');
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', identity]);
  const authorized = join(dir, 'authorized_keys');
  await writeFile(authorized, await readFile(`${identity}.pub`, 'utf8'));
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, `${address} ${(await readFile(`${hostKey}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ')}\n`);
  const config = join(dir, 'sshd_config');
  await writeFile(config, [
    `ListenAddress ${address}`,
    `HostKey ${hostKey}`,
    `AuthorizedKeysFile ${authorized}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n'));
  // sshd refuses to start without its privilege separation directory.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const server: ChildProcess = spawn('ip', ['netns', 'exec', ns, '/usr/sbin/sshd', '-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  await waitForPort(ns, lab, address, () => log);
  return {
    address,
    identity,
    knownHosts,
    stop: async () => {
      const exited = server.exitCode === null && server.signalCode === null ? new Promise((resolve) => server.once('exit', resolve)) : undefined;
      // The daemon and every session it forked: a session outlives the client's unmount and keeps
      // the daemon's stderr open, which would keep this test process alive.
      const pids = (await execa('ip', ['netns', 'pids', ns], { reject: false })).stdout.split(/\s+/).filter((pid) => pid !== '');
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
      server.stderr?.destroy();
      await exited;
    },
  };
}

async function waitForPort(ns: string, lab: NetLab, address: string, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const listening = await lab.exec(ns, ['ss', '-Hltn', `src [${address}]:22`]);
    if (listening.stdout.trim() !== '') return;
    await sleep(100);
  }
  throw new Error(`sshd did not listen on [${address}]:22 within 10 s: ${log()}`);
}
