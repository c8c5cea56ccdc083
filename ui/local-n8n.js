'use strict';
// The same local n8n as `npm start`: scripts/start.js on free ports, in its own process group.
// Its output is echoed with a prefix (the first run installs n8n and says so); the banner it
// prints once ready gives the editor's address, the owner account and the sandbox.
const path = require('node:path');
const { spawn } = require('node:child_process');
const { freePort } = require('../lab/n8n');

const START_SCRIPT = path.join(__dirname, '..', 'scripts', 'start.js');
// The first run on a machine installs the pinned n8n (the README's Try it has the time it took).
const READY_TIMEOUT_MS = 20 * 60000;

function parseBanner(text) {
	const field = (re) => (text.match(re) || [])[1];
	const banner = {
		url: field(/n8n is ready[^\n]*open (http:\/\/\S+)/),
		email: field(/^\s*email\s+(\S+)/m),
		password: field(/^\s*password\s+(\S+)/m),
		sandboxUrl: field(/StatProxies sandbox\s+(http:\/\/\S+)/),
		apiKey: field(/API key\s+(\S+)/),
	};
	return Object.values(banner).every(Boolean) ? banner : null;
}

/**
 * Starts scripts/start.js and resolves once its banner is complete.
 * @returns {Promise<{ url, email, password, sandboxUrl, apiKey, output: () => string, stop: () => Promise<void> }>}
 */
async function startLocalN8n({ log = console.log } = {}) {
	const [n8nPort, sandboxPort] = [await freePort(), await freePort()];
	const child = spawn(process.execPath, [START_SCRIPT], {
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, N8N_PORT: String(n8nPort), SANDBOX_PORT: String(sandboxPort) },
	});
	let output = '';
	let exited = false;
	const exit = new Promise((resolve) => child.once('exit', resolve)).then(() => (exited = true));
	const echo = (chunk) => {
		output += chunk;
		for (const line of String(chunk).split('\n')) if (line.trim()) log(`  [npm start] ${line}`);
	};
	child.stdout.on('data', echo);
	child.stderr.on('data', echo);

	async function stop() {
		if (exited) return;
		// start.js stops n8n, the sandbox and the stand-in, and deletes its user folder.
		signal(child, 'SIGTERM');
		const timer = setTimeout(() => signal(child, 'SIGKILL'), 60000);
		await exit;
		clearTimeout(timer);
	}

	const ready = await new Promise((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`npm start was not ready within ${READY_TIMEOUT_MS / 60000} min`)),
			READY_TIMEOUT_MS,
		);
		const check = () => {
			const banner = parseBanner(output);
			if (!banner) return;
			clearTimeout(timer);
			child.stdout.off('data', check);
			resolve(banner);
		};
		child.stdout.on('data', check);
		exit.then(() => {
			clearTimeout(timer);
			reject(new Error('npm start exited before n8n was ready'));
		});
	}).catch(async (error) => {
		await stop();
		throw error;
	});
	return { ...ready, output: () => output, stop };
}

function signal(child, name) {
	try {
		process.kill(-child.pid, name);
	} catch {
		// Already gone.
	}
}

module.exports = { startLocalN8n };
