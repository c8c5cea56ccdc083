'use strict';
// Long-running n8n processes (`n8n start`, `n8n worker`) on 127.0.0.1, each with its own log
// file in the user folder, and what their logs say.
const fs = require('node:fs');
const path = require('node:path');
const { spawnTracked, stopProcess } = require('../processes');
const { freePort, tail } = require('./folder');

const MINUTE = 60000;

function readLog(file) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

/** The lines of a log written with N8N_LOG_FORMAT=json that are n8n logger entries. */
function logEntries(file) {
	const entries = [];
	for (const line of readLog(file).split('\n')) {
		if (!line.startsWith('{')) continue;
		try {
			entries.push(JSON.parse(line));
		} catch {
			// A line of a stack trace or of the task runner: not n8n's logger.
		}
	}
	return entries;
}

async function waitForHttp(url, { timeoutMs, child, logFile }) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) {
			throw new Error(
				`n8n exited with ${child.exitCode} while starting:\n${tail(readLog(logFile))}`,
			);
		}
		try {
			// While starting, n8n 2.x answers every path 200 "n8n is starting up": only JSON counts.
			const res = await fetch(url);
			if (res.ok && /json/.test(res.headers.get('content-type') || '')) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`n8n did not answer ${url} within ${timeoutMs} ms:\n${tail(readLog(logFile))}`);
}

/**
 * Starts a long-running n8n process (`start` by default; `worker`, `webhook` for queue mode)
 * and waits until each of `readyPaths` answers 200 with JSON. Its output goes to
 * <user folder>/<command>-<port>.log. For `start` that includes the editor's public settings:
 * n8n 1.x answers /healthz/readiness some 10 s before its REST API exists.
 * @returns {Promise<{ url: string, port: number, logFile: string, process, pid: number,
 *   stop: () => Promise<void> }>}
 */
async function startN8n(
	folder,
	{
		args = ['start'],
		port,
		env = {},
		readyPaths = args[0] === 'start'
			? ['/healthz/readiness', '/rest/settings']
			: ['/healthz/readiness'],
		timeoutMs = 2 * MINUTE,
	} = {},
) {
	const { n8n } = folder;
	const listenPort = port || (await freePort());
	const logFile = path.join(folder.path, `${args[0]}-${listenPort}.log`);
	const log = fs.openSync(logFile, 'a');
	const child = spawnTracked(n8n.nodeBin, [n8n.n8nBin, ...args], {
		cwd: folder.path,
		env: folder.env({ N8N_PORT: String(listenPort), N8N_HOST: '127.0.0.1', ...env }),
		stdio: ['ignore', log, log],
	});
	fs.closeSync(log);
	const url = `http://127.0.0.1:${listenPort}`;
	try {
		for (const readyPath of readyPaths) {
			await waitForHttp(url + readyPath, { timeoutMs, child, logFile });
		}
	} catch (error) {
		await stopProcess(child);
		throw error;
	}
	return {
		url,
		port: listenPort,
		logFile,
		process: child,
		pid: child.pid,
		stop: () => stopProcess(child, 10000),
	};
}

module.exports = { startN8n, readLog, logEntries };
