// The engines the integration tests rely on: they answer, run the local base image, serve over an
// IPv6 user network (to the host and to a network namespace routed through it), and the test
// helpers remove everything they create.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  BASE_IMAGE, Cleanup, dockerOk, engineSkip, ensureBaseImage, leftovers, testPrefix,
  type Engine,
} from '../helpers/engine.js';
import { fetchPage } from '../helpers/http.js';
import { docAddress6, docSubnet6, NetLab, netnsSkip } from '../helpers/netns.js';

const netnsSkipped = await netnsSkip();

for (const engine of ['docker', 'podman'] as const satisfies readonly Engine[]) {
  describe(`${engine} engine`, { skip: await engineSkip(engine) }, () => {
    const prefix = testPrefix();
    const cleanup = new Cleanup({ engine, prefix });
    const lab = new NetLab();
    after(async () => {
      await lab.cleanup();
      await cleanup.run();
    });
    const run = (args: readonly string[]) => dockerOk(args, { engine });
    let web: { readonly subnet: string; readonly address: string } | undefined;

    it('answers', async () => {
      assert.match((await run(['version', '--format', '{{.Server.Version}}'])).trim(), /^\d+\.\d+/);
    });

    it('has the base image, idempotently, and runs echo in it', async () => {
      const [first, second] = await Promise.all([ensureBaseImage(engine), ensureBaseImage(engine)]);
      assert.equal(first, BASE_IMAGE);
      assert.equal(second, BASE_IMAGE);
      assert.equal(await run(['run', '--rm', BASE_IMAGE, 'echo', 'ok']), 'ok');
    });

    it('serves a file from a container to the host over an IPv6 user network', async () => {
      const subnet = docSubnet6();
      const address = docAddress6(subnet, 0x20);
      const network = cleanup.network(`${prefix}-net6`);
      await run(['network', 'create', '--ipv6', '--subnet', subnet, network]);
      const container = cleanup.container(`${prefix}-web`);
      await run([
        'run', '-d', '--name', container, '--network', network, '--ip6', address, BASE_IMAGE,
        'sh', '-c', `mkdir /www && echo "hello from ${prefix}" > /www/index.html && exec httpd -f -p 80 -h /www`,
      ]);
      web = { subnet, address };
      assert.equal(await fetchPage(`http://[${address}]/`, { timeoutMs: 15_000 }), `hello from ${prefix}\n`);
    });

    it('reaches that container from a network namespace routed through the host', {
      skip: netnsSkipped,
    }, async () => {
      assert.ok(web, 'needs the IPv6 web container of the previous test');
      const link = docSubnet6(64);
      const ns = await lab.namespace();
      const veth = await lab.veth(ns);
      await lab.address(veth.host, `${docAddress6(link, 1)}/64`);
      await lab.address(veth.peer, `${docAddress6(link, 2)}/64`, ns);
      await lab.route(web.subnet, { via: docAddress6(link, 1) }, ns);
      await lab.sysctl('net.ipv6.conf.all.forwarding', '1');
      // busybox wget's own -T option crashes (busybox 1.35); `timeout` bounds it instead.
      const fetched = await lab.exec(ns, ['timeout', '10', 'busybox', 'wget', '-q', '-O', '-', `http://[${web.address}]/`]);
      assert.equal(fetched.stdout, `hello from ${prefix}`, fetched.stderr);
    });

    it('removes everything the test created', async () => {
      const volume = cleanup.volume(`${prefix}-vol`);
      await run(['volume', 'create', volume]);
      assert.notDeepEqual(await leftovers(prefix, engine), []);
      await lab.cleanup();
      await cleanup.run();
      assert.deepEqual(await leftovers(prefix, engine), []);
      assert.deepEqual(await lab.leftovers(), []);
      // An object the test did not register still goes, because it carries the run's prefix.
      await run(['network', 'create', `${prefix}-unregistered`]);
      await cleanup.run();
      assert.deepEqual(await leftovers(prefix, engine), []);
    });
  });
}
