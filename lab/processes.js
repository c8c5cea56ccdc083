'use strict';
// Child processes that must not outlive the suite. n8n starts a task-runner process of its
// own, so each child gets its own process group and is killed as a group.
const { spawn } = require('node:child_process');

const running = new Set();

/** Spawns `command` in its own process group and remembers it until it exits. */
function spawnTracked(command, args, options = {}) {
	const child = spawn(command, args, { ...options, detached: true });
	running.add(child);
	child.once('exit', () => running.delete(child));
	return child;
}

function signalGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// Already gone.
	}
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
function stopProcess(child, graceMs = 5000) {
	if (child.exitCode !== null || child.signalCode !== null) {
		signalGroup(child, 'SIGKILL');
		return Promise.resolve();
	}
	return new Promise((resolve) => {
		const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			// The group may still hold the task runner.
			signalGroup(child, 'SIGKILL');
			resolve();
		});
		signalGroup(child, 'SIGTERM');
	});
}

async function stopAll() {
	await Promise.all([...running].map((child) => stopProcess(child)));
}

/** Runs a command to its end; resolves {code, stdout, stderr} and never rejects on exit code. */
function run(command, args, options = {}) {
	const { timeoutMs = 120000, input, ...spawnOptions } = options;
	return new Promise((resolve, reject) => {
		const child = spawnTracked(command, args, { ...spawnOptions, stdio: ['pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		const timer = setTimeout(() => {
			stderr += `\n[killed after ${timeoutMs} ms]`;
			signalGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			// The command's own children (n8n's task runner) go with it.
			signalGroup(child, 'SIGKILL');
			resolve({ code: code === null ? `signal ${signal}` : code, stdout, stderr });
		});
		child.stdin.end(input);
	});
}

/** Like run(), but rejects with the output when the command fails. */
async function runOrThrow(command, args, options) {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const tail = (result.stderr || result.stdout).split('\n').slice(-30).join('\n');
		throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${tail}`);
	}
	return result;
}

// Last resort on any exit path: a synchronous SIGKILL to every group still alive.
process.on('exit', () => {
	for (const child of running) signalGroup(child, 'SIGKILL');
});

module.exports = { spawnTracked, stopProcess, stopAll, run, runOrThrow };
