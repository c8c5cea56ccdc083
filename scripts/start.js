#!/usr/bin/env node
'use strict';
// `npm start`: the package in a real n8n on this machine, in one command. Builds and packs
// the package, starts the StatProxies sandbox and a stand-in Mattermost, and a local n8n
// with the package installed the n8n way, the sandbox credential and the examples imported,
// and an owner account ready. Ctrl-C stops all of it and says `Stopped.` when it is done.
// Nothing here can buy real proxies: the only StatProxies credential points at the sandbox.
//   N8N_PORT      n8n's port (5678); taken: npm start stops and says so
//   SANDBOX_PORT  the sandbox's port (4010); taken: the sandbox takes a free port and says which
const fs = require('node:fs');
const net = require('node:net');
const { startSandbox } = require('../sandbox');
const n8nLib = require('../lab/n8n');
const { startMattermostListener } = require('../lab/mattermost');
const { OWNER, buildAndPack, exampleOrderIds, prepareLocalInstance } = require('../lab/instance');
const { stopAll } = require('../lab/processes');

const N8N_PORT = Number(process.env.N8N_PORT || 5678);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT || 4010);
const log = (line) => console.log(line);
const cleanups = [];
// Ctrl-C during the first run's n8n install: stops its progress lines and its staging folder.
const installAbort = new AbortController();
let installing = null;

async function startSandboxOnPreferredPort() {
	try {
		return await startSandbox({ port: SANDBOX_PORT });
	} catch (error) {
		if (error.code !== 'EADDRINUSE') throw error;
		const sandbox = await startSandbox();
		log(
			`Port ${SANDBOX_PORT} is taken: the sandbox runs on ${sandbox.url} instead` +
				` (to choose its port: SANDBOX_PORT=<port> npm start).`,
		);
		return sandbox;
	}
}

// Otherwise the readiness check could be answered by another n8n already on that port.
function assertPortFree(port) {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', () =>
			reject(
				new Error(`Port ${port} is taken: stop what runs there, or run N8N_PORT=5679 npm start`),
			),
		);
		probe.listen(port, '127.0.0.1', () => probe.close(resolve));
	});
}

async function main() {
	const started = Date.now();
	await assertPortFree(N8N_PORT);
	installing = n8nLib.ensureN8n({ log, signal: installAbort.signal });
	const n8n = await installing;
	installing = null;
	if (stopping) return;
	const tarball = await buildAndPack({ log });

	const sandbox = await startSandboxOnPreferredPort();
	cleanups.push(() => sandbox.close());
	const mattermost = await startMattermostListener({
		onPost: (post) => log(`[mattermost #${post.channel_id}] ${post.message}`),
	});
	cleanups.push(() => mattermost.close());

	log('Preparing a fresh n8n user folder...');
	const { folder, installed, examples } = await prepareLocalInstance({
		n8n,
		tarball,
		sandbox,
		mattermost,
	});
	cleanups.push(() => n8nLib.removeUserFolder(folder));
	// The weekly rotation exchanges the orders it lists: the sandbox account has them.
	const seeded = sandbox.seedOrders(exampleOrderIds(examples)).map((order) => order.order_id);

	log(`Starting n8n ${n8n.version} on 127.0.0.1:${N8N_PORT}...`);
	const server = await n8nLib.startN8n(folder, {
		port: N8N_PORT,
		// Served over plain http on loopback only.
		env: { N8N_SECURE_COOKIE: 'false' },
	});
	cleanups.unshift(() => server.stop());
	await n8nLib.setupOwnerAndLogin(server.url, OWNER);

	log(`
  n8n is ready (${Math.round((Date.now() - started) / 1000)} s): open ${server.url}
    email     ${OWNER.email}
    password  ${OWNER.password}
  After sign-in n8n 2.41 opens its Assistant page: the workflows are at
  ${server.url}/home/workflows.

  ${installed.name}@${installed.version} is installed from this clone's tarball, straight into
  the user folder (as n8n's installer lays it out), so it is not listed under Settings >
  Community nodes; the Order Proxies node is in the nodes panel (search "proxy").
  Workflows: ${examples.map((w) => `"${w.name}"`).join(', ')}
  (the AI agent example needs your own OpenAI credential: open its "OpenAI Chat Model" node)

  StatProxies sandbox  ${sandbox.url}
    API key            ${sandbox.keys.full}   (already in the "StatProxies sandbox" credential)
    orders sold so far ${sandbox.url}/__sandbox/orders
                       (with the orders the weekly rotation lists: ${seeded.join(', ')})
    exchanges so far   ${sandbox.url}/__sandbox/exchanges
    order list shape   object; for the credential test, change it with
                       curl -X POST ${sandbox.url}/__sandbox/list -d '{"shape":"empty"}'
                       (object, list or empty; {"fault":"401"} fails every key, {"fault":null})
  Mattermost stand-in  ${mattermost.url}   (notifications are printed below)

  n8n log: ${server.logFile}
  Ctrl-C stops n8n, the sandbox and the stand-in, and deletes this n8n user folder
  (from a supervisor: signal the whole process group, here kill -INT -${processGroup()}).
`);

	server.process.once('exit', (code) => {
		if (stopping) return;
		// The log is about to be deleted with the user folder: show its end.
		const tail = fs.readFileSync(server.logFile, 'utf8').trim().split('\n').slice(-20).join('\n');
		log(`n8n stopped by itself (exit ${code}). The end of its log:\n${tail}`);
		shutdown(1);
	});
}

/** This process's group id (Node has no getpgid): field 5 of /proc/self/stat. */
function processGroup() {
	try {
		const stat = fs.readFileSync('/proc/self/stat', 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2];
	} catch {
		return '<pgid>';
	}
}

let stopping = false;
async function shutdown(code) {
	if (stopping) return;
	stopping = true;
	log('\nStopping...');
	installAbort.abort();
	for (const cleanup of cleanups) {
		try {
			await cleanup();
		} catch {
			// Keep stopping the rest.
		}
	}
	await stopAll();
	// An install cut short removes its staging folder (GBs) once its npm has exited.
	if (installing) {
		await Promise.race([installing.catch(() => {}), new Promise((r) => setTimeout(r, 60000))]);
	}
	log('Stopped.');
	process.exit(code);
}

process.once('SIGINT', () => shutdown(0));
process.once('SIGTERM', () => shutdown(0));

main().catch((error) => {
	// Once stopping, failures are the stop's own doing (the install's npm killed, say).
	if (stopping) return;
	console.error(error && error.stack ? error.stack : error);
	shutdown(1);
});
