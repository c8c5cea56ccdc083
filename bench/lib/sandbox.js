'use strict';
// The sandbox in its own process, as StatProxies would be: the measured process does not
// also pay for the server's work, and on two cores each side gets one.
const path = require('node:path');
const readline = require('node:readline');
const { spawnTracked, stopProcess } = require('../../lab/processes');

const CLI = path.join(__dirname, '..', '..', 'sandbox', 'cli.js');

/** @returns {Promise<{ url: string, key: string, reset: () => Promise<void>, orders: () => Promise<object[]>, stop: () => Promise<void> }>} */
async function startSandboxProcess() {
	const child = spawnTracked(process.execPath, [CLI, '--port', '0'], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const first = await new Promise((resolve, reject) => {
		const lines = readline.createInterface({ input: child.stdout });
		lines.once('line', (line) => resolve(line));
		child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
	});
	const { url, key } = JSON.parse(first);
	const control = async (method, route) => {
		const res = await fetch(`${url}/__sandbox/${route}`, { method });
		return res.json();
	};
	return {
		url,
		key,
		reset: async () => {
			await control('POST', 'reset');
		},
		requests: () => control('GET', 'requests'),
		orders: () => control('GET', 'orders'),
		stop: () => stopProcess(child),
	};
}

module.exports = { startSandboxProcess };

// Interrupted (Ctrl-C, a CI timeout): exit normally, so that lab/processes' exit handler
// kills the sandbox and any n8n this process started.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
